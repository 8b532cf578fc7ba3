"""Uploads: only JPEG, PNG and WebP, re-encoded with nothing but the pixels."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms

from charities import images
from core.errors import InvalidInput


def _file(format_, *, mode="RGB", size=(40, 30), **save):
    out = io.BytesIO()
    Image.new(mode, size, (200, 40, 40, 128)[: len(mode)]).save(out, format=format_, **save)
    return SimpleUploadedFile(f"photo.{format_.lower()}", out.getvalue())


@pytest.mark.parametrize("format_", ["GIF", "TIFF", "BMP"])
def test_other_image_formats_are_refused_with_a_translated_sentence(format_):
    with translation.override("ar"), pytest.raises(InvalidInput) as refused:
        images.image_clean(_file(format_), field="photos")
    assert refused.value.field == "photos"
    assert "JPEG" in str(refused.value) and "WebP" in str(refused.value)
    assert str(refused.value) != "Only JPEG, PNG and WebP photos are accepted.", "Arabic, not English"
    with translation.override("en"), pytest.raises(InvalidInput, match="Only JPEG, PNG and WebP"):
        images.image_clean(_file(format_))


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(format_):
    cleaned = images.image_clean(_file(format_))
    assert Image.open(io.BytesIO(cleaned.read())).size == (40, 30)


def test_a_png_with_a_colour_profile_comes_out_without_it():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = _file("PNG", mode="RGBA", icc_profile=profile)  # transparent: stays a PNG
    assert Image.open(io.BytesIO(upload.read())).info.get("icc_profile"), "the test file carries one"
    upload.seek(0)
    cleaned = Image.open(io.BytesIO(images.image_clean(upload).read()))
    assert "icc_profile" not in cleaned.info


def test_a_jpeg_with_a_comment_comes_out_clean():
    upload = _file("JPEG", comment=b"secret: home at 30.0444,31.2357")
    assert b"30.0444" in upload.read()
    upload.seek(0)
    raw = images.image_clean(upload).read()
    assert b"30.0444" not in raw and b"secret" not in raw
    assert "comment" not in Image.open(io.BytesIO(raw)).info


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG")  # 36 MP, a few KB on disk
    with translation.override("en"), pytest.raises(InvalidInput, match="too large in pixels"):
        images.image_clean(SimpleUploadedFile("bomb.png", out.getvalue()))


def test_uploads_are_bounded_per_request(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440, "larger files spool to disk"
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
    assert images.MAX_PIXELS <= 24_000_000
