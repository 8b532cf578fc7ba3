"""Every uploaded image is decoded and re-encoded before it is stored.

Only JPEG, PNG and WebP are opened (`Image.open(formats=...)`: Pillow's other
decoders — TIFF, BMP, GIF, PSD, EPS... — are never reached by our users' bytes).
Re-encoding from bare pixels drops everything beside them: EXIF (GPS coordinates of
a beneficiary's home included), comments, XMP and the ICC colour profile (the pixels
are first converted to sRGB, so colours survive). Memory is bounded before decoding:
the header's size is checked against MAX_PIXELS, and a JPEG is decoded straight at
the reduced size (`draft`), so five photos in one request stay within tens of MB.
Shared by charities (logos) and cases (case, update and report photos).
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # a 6000x4000 phone photo; anything larger is refused unread
MAX_SIDE = 2560
FORMATS = ("JPEG", "PNG", "WEBP")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply the embedded colour profile, if any, so dropping it keeps the colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _bare(image: Image.Image, mode: str) -> Image.Image:
    """A new image holding only the pixels: no info (comment, icc_profile, exif, xmp)."""
    bare = Image.new(mode, image.size)
    bare.paste(image.convert(mode))
    return bare


OTHER_IMAGES = (b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"8BPS", b"\x00\x00\x01\x00")


def _other_image_format(head: bytes) -> bool:
    """An image format we refuse by choice (so the person is told which ones we take),
    recognised by its first bytes without handing it to a decoder."""
    return head.startswith(OTHER_IMAGES) or head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif")


def image_clean(upload, *, field: str = "photos") -> ContentFile:
    """Return a metadata-free JPEG (or PNG when the image has transparency) of the upload.
    Raises InvalidInput naming `field` for a file over 5 MB, too many pixels, a format
    other than JPEG, PNG or WebP, or one that does not decode."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_IMAGE_BYTES:
        raise InvalidInput(_("Each photo must be 5 MB or smaller."), field=field)
    unreadable = _("This file is not an image we can read (use JPEG, PNG or WebP).")
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(_("This photo is too large in pixels."), field=field)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload, formats=FORMATS)
        if image.format == "JPEG":
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
    except UnidentifiedImageError:
        upload.seek(0)
        if _other_image_format(upload.read(16)):
            raise InvalidInput(_("Only JPEG, PNG and WebP photos are accepted."), field=field) from None
        raise InvalidInput(unreadable, field=field) from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(unreadable, field=field) from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        _bare(_to_srgb(image.convert("RGBA")), "RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        _bare(_to_srgb(image.convert("RGB")), "RGB").save(out, format="JPEG", quality=85, optimize=True)
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
