import pytest

from gallery.imaging import sniff_image_type
from tests.imaging.conftest import encode

from PIL import Image


@pytest.mark.parametrize("format, expected", [("JPEG", "jpeg"), ("PNG", "png"), ("TIFF", "tiff"), ("WEBP", "webp")])
def test_recognises_pillow_written_files(format, expected):
    head = encode(Image.new("RGB", (8, 8), "red"), format)[:64]
    assert sniff_image_type(head) == expected


def test_recognises_heic_written_by_pillow_heif():
    import pillow_heif
    pillow_heif.register_heif_opener()
    assert sniff_image_type(encode(Image.new("RGB", (64, 64), "red"), "HEIF")[:64]) == "heic"


@pytest.mark.parametrize("head", [
    b"",
    b"hello, this is text",
    b"%PDF-1.7\n",
    b"GIF89a\x01\x00\x01\x00",
    b"BM\x00\x00",
    b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",  # AVIF is HEIF, but not HEIC
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",  # an MP4 video
    b"RIFF\x00\x00\x00\x00WAVEfmt ",
])
def test_rejects_what_we_do_not_accept(head):
    assert sniff_image_type(head) is None


def test_generic_heif_brand_with_hevc_compatible_brand_is_heic():
    assert sniff_image_type(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic") == "heic"
