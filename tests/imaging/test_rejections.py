"""Files that must not become renditions end with one readable sentence, never a traceback."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from gallery.imaging import ImageRejected, process_image
from tests.conftest import CORPUS
from tests.imaging.conftest import jpeg_claiming, png_claiming

NOT_ACCEPTED = "The file is not an image we accept (JPEG, PNG, TIFF, WebP or HEIC)."


def rejection(source) -> str:
    with pytest.raises(ImageRejected) as caught:
        process_image(source)
    reason = caught.value.reason
    assert reason == str(caught.value)
    assert reason.endswith(".") and "\n" not in reason and "Traceback" not in reason and "Error" not in reason
    return reason


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "IMG_0001.jpg"
    empty.write_bytes(b"")
    assert rejection(empty) == "The file is empty (0 bytes)."


@pytest.mark.parametrize("content", [
    b"This is not a photo, just text named .jpg\n",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"GIF89a" + bytes(100),
    b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(100),
])
def test_non_images_and_unaccepted_formats_named_jpg(tmp_path, content):
    fake = tmp_path / "IMG_0002.jpg"
    fake.write_bytes(content)
    assert rejection(fake) == NOT_ACCEPTED


def test_gif_is_not_accepted_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, "GIF")
    assert rejection(buffer) == NOT_ACCEPTED


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_truncated_corpus_jpeg(keep):
    data = (CORPUS / "photos" / "jolla.jpg").read_bytes()
    reason = rejection(io.BytesIO(data[:int(len(data) * keep)]))
    assert reason == "The file is truncated or damaged: the image data ends before the picture is complete."


def test_jpeg_cut_inside_its_headers():
    data = (CORPUS / "photos" / "DSCN0010.jpg").read_bytes()
    assert rejection(io.BytesIO(data[:300])).startswith("The file is truncated or damaged:")


def test_truncated_png(make_photo):
    data = make_photo((600, 400), "PNG")
    assert rejection(io.BytesIO(data[:len(data) // 2])).startswith("The file is truncated or damaged:")


def test_jpeg_magic_followed_by_garbage():
    assert rejection(io.BytesIO(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)).startswith(
        "The file is truncated or damaged:")


def test_png_bomb_30000_square_is_refused_from_its_header():
    # Pillow itself would refuse it with DecompressionBombError; ours says it in words.
    assert rejection(io.BytesIO(png_claiming(30000, 30000))) == (
        "The image is too large (30000 x 30000 pixels; the limit is 120 megapixels).")


def test_jpeg_bomb_30000_square_is_refused_before_decoding():
    assert rejection(io.BytesIO(jpeg_claiming(30000, 30000))) == (
        "The image is too large (30000 x 30000 pixels; the limit is 120 megapixels).")


def test_between_pillows_warning_and_our_limit_pillow_does_not_decide():
    # 11000 x 11000 = 121 MP: over our limit, under Pillow's error threshold (~179 MP).
    assert "(11000 x 11000 pixels;" in rejection(io.BytesIO(png_claiming(11000, 11000)))


def test_the_limit_is_a_parameter(make_photo):
    with pytest.raises(ImageRejected, match=r"too large \(800 x 600 pixels; the limit is 0.4 megapixels\)"):
        process_image(io.BytesIO(make_photo((800, 600))), max_pixels=400_000)
    assert process_image(io.BytesIO(make_photo((800, 600))), max_pixels=480_000).info.width == 800


def test_a_compressed_png_bomb_under_the_limit_in_pixels_still_works_lazily(make_photo):
    """A highly compressed PNG of 10000 x 8000 (80 MP, a few KB on disk) is under the limit:
    it is decoded, not refused, and yields normal renditions."""
    buffer = io.BytesIO()
    Image.new("L", (10000, 8000), 200).save(buffer, "PNG", optimize=True)
    assert buffer.tell() < 200_000
    result = process_image(buffer)
    assert (result.get("large").width, result.get("large").height) == (2048, 1638)
