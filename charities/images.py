"""Every uploaded image is decoded and re-encoded before it is stored.

Re-encoding drops EXIF (GPS coordinates of a beneficiary's home included) and
anything smuggled beside the pixels; a file Pillow cannot decode is refused.
Shared by charities (logos) and cases (case, update and report photos).
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560


def image_clean(upload, *, field: str = "photos") -> ContentFile:
    """Return a metadata-free JPEG (or PNG when the image has transparency) of the upload.
    Raises InvalidInput naming `field` for a file over 5 MB or one that is not an image."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_IMAGE_BYTES:
        raise InvalidInput(_("Each photo must be 5 MB or smaller."), field=field)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.width * image.height > MAX_PIXELS:
            raise InvalidInput(_("This photo is too large in pixels."), field=field)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(_("This file is not an image we can read (use JPEG or PNG)."), field=field) from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def images_clean(uploads, *, field: str = "photos", limit: int = 5) -> list[ContentFile]:
    uploads = [u for u in uploads if u]
    if len(uploads) > limit:
        raise InvalidInput(_("Attach at most %(limit)d photos.") % {"limit": limit}, field=field)
    return [image_clean(u, field=field) for u in uploads]


def photo_limit_message(limit: int) -> str:
    """Said when an upload would take a case, update or report past its photo limit."""
    return ngettext(
        "It can hold at most %(limit)d photo in all.", "It can hold at most %(limit)d photos in all.", limit
    ) % {"limit": limit}
