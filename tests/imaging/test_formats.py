"""Every accepted format and pixel mode becomes 8-bit sRGB renditions."""
from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms

from gallery.imaging import DEFAULT_SPECS, RenditionSpec, process_image
from tests.imaging.conftest import decode, encode, raw_png


def centre(result, name="thumb"):
    picture = decode(result.get(name).data)
    return picture.getpixel((picture.width // 2, picture.height // 2))


def close(pixel, expected, tolerance=6):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


def test_png_bytes_named_jpg_are_processed_as_png(tmp_path, make_photo):
    mislabelled = tmp_path / "IMG_0003.jpg"
    mislabelled.write_bytes(make_photo((900, 600), "PNG"))
    result = process_image(mislabelled)
    assert result.info.source_format == "png"
    assert (result.get("thumb").width, result.get("thumb").height) == (400, 267)


@pytest.mark.parametrize("format, kind", [("PNG", "png"), ("TIFF", "tiff"), ("WEBP", "webp"), ("HEIF", "heic")])
def test_each_accepted_format(make_photo, format, kind):
    import pillow_heif
    pillow_heif.register_heif_opener()
    result = process_image(io.BytesIO(make_photo((3000, 2000), format, quality=90) if format != "PNG"
                                      else make_photo((3000, 2000), format)))
    assert result.info.source_format == kind
    assert [(r.name, r.width, r.height) for r in result.renditions if r.format == "jpeg"] == [
        ("large", 2048, 1365), ("preview", 1200, 800), ("thumb", 400, 267)]


def test_heic_with_exif_orientation_is_upright():
    """pillow-heif applies HEIF's own rotation; an EXIF orientation written into the file
    must not turn the picture a second time (pillow-heif resets it to 1 on read)."""
    import pillow_heif
    pillow_heif.register_heif_opener()
    picture = Image.new("RGB", (600, 300), "blue")
    picture.paste((255, 0, 0), (0, 0, 300, 300))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6
    result = process_image(io.BytesIO(encode(picture, "HEIF", quality=95, exif=exif.tobytes())))
    thumb = decode(result.get("thumb").data)
    assert (result.info.width, result.info.height) == (300, 600)
    assert thumb.size == (200, 400)
    # orientation 6 turns the picture a quarter clockwise: the red left half ends on top
    assert close(thumb.getpixel((100, 50)), (255, 0, 0), 30)
    assert close(thumb.getpixel((100, 350)), (0, 0, 255), 30)


def test_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (500, 500), (0, 255, 255, 0))  # pure red ink
    result = process_image(io.BytesIO(encode(cmyk, "JPEG", quality=95)))
    pixel = centre(result)
    assert pixel[0] > 200 and pixel[1] < 40 and pixel[2] < 40


def test_cmyk_jpeg_with_inverted_adobe_markers_from_the_corpus_style_writer():
    # Photoshop writes CMYK JPEGs with an Adobe APP14 marker; Pillow reads those as inverted
    # ink. Whatever the storage, white paper must come out white.
    result = process_image(io.BytesIO(encode(Image.new("CMYK", (300, 300), (0, 0, 0, 0)), "JPEG")))
    assert close(centre(result), (255, 255, 255))


def test_sixteen_bit_grey_png_keeps_its_tones():
    rows = [struct.pack(">" + "H" * 64, *([0x8080] * 64)) for _ in range(64)]
    result = process_image(io.BytesIO(raw_png(64, 64, 16, 0, rows)))
    assert close(centre(result), (128, 128, 128), 2)


def test_sixteen_bit_rgb_png_keeps_its_colour():
    rows = [struct.pack(">" + "HHH" * 64, *([0xC000, 0x4000, 0x2000] * 64)) for _ in range(64)]
    result = process_image(io.BytesIO(raw_png(64, 64, 16, 2, rows)))
    assert close(centre(result), (192, 64, 32), 2)


def test_sixteen_bit_grey_tiff_keeps_its_tones():
    grey = Image.new("I;16", (300, 200), 0xC0C0)
    result = process_image(io.BytesIO(encode(grey, "TIFF")))
    assert close(centre(result), (192, 192, 192), 2)


def test_palette_png_with_transparency_is_flattened_onto_white():
    picture = Image.new("P", (200, 200), 0)
    picture.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    picture.paste(1, (0, 0, 100, 200))  # left half red, right half index 0 = transparent
    result = process_image(io.BytesIO(encode(picture, "PNG", transparency=0)))
    thumb = decode(result.get("thumb").data)
    assert close(thumb.getpixel((150, 100)), (255, 255, 255))
    assert close(thumb.getpixel((50, 100)), (255, 0, 0), 20)


def test_rgba_png_is_flattened_onto_white():
    picture = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    picture.paste((0, 0, 255, 255), (0, 0, 150, 300))
    result = process_image(io.BytesIO(encode(picture, "PNG")))
    thumb = decode(result.get("thumb").data)
    assert thumb.mode == "RGB"
    assert close(thumb.getpixel((250, 150)), (255, 255, 255))
    assert close(thumb.getpixel((50, 150)), (0, 0, 255), 20)


def test_greyscale_and_one_bit_images(make_photo):
    assert process_image(io.BytesIO(make_photo((500, 400), "JPEG", mode="L"))).get("thumb").width == 400
    assert process_image(io.BytesIO(make_photo((500, 400), "PNG", mode="1"))).get("thumb").width == 400


def test_an_embedded_profile_is_converted_not_copied():
    # The sRGB profile Pillow builds is a real ICC profile; a picture tagged with it keeps its
    # values, and no rendition carries a profile.
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process_image(io.BytesIO(encode(Image.new("RGB", (300, 300), (10, 120, 200)), "JPEG",
                                             quality=100, icc_profile=srgb)))
    assert close(centre(result), (10, 120, 200))
    assert all("icc_profile" not in decode(r.data).info for r in result.renditions)


def test_small_photos_are_never_upscaled(make_photo):
    result = process_image(io.BytesIO(make_photo((300, 500), "JPEG")))
    assert {(r.name, r.width, r.height) for r in result.renditions if r.format == "jpeg"} == {
        ("large", 300, 500), ("preview", 300, 500), ("thumb", 240, 400)}


def test_jpeg_draft_still_gives_exact_sizes(make_photo):
    # 6000 x 4000 decodes at 1/2 scale (3000 x 2000, still >= 2048): sizes must not drift.
    result = process_image(io.BytesIO(make_photo((6000, 4000), "JPEG", quality=80)))
    assert [(r.width, r.height) for r in result.renditions if r.format == "jpeg"] == [
        (2048, 1365), (1200, 800), (400, 267)]


def test_custom_specs_are_made_in_any_order(make_photo):
    specs = [RenditionSpec("tiny", 64), RenditionSpec("huge", 5000, ("jpeg", "webp"))]
    result = process_image(io.BytesIO(make_photo((1600, 1200), "JPEG")), specs)
    assert {(r.name, r.width) for r in result.renditions if r.format == "jpeg"} == {("tiny", 64), ("huge", 1600)}


def test_specs_are_validated():
    with pytest.raises(ValueError):
        RenditionSpec("x", 0)
    with pytest.raises(ValueError):
        RenditionSpec("x", 100, ("gif",))
    assert [s.name for s in DEFAULT_SPECS] == ["large", "preview", "thumb"]


def test_taken_at_with_offset_and_gps_stripped():
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(0x8769).update({0x9003: "2024:06:01 14:30:05", 0x9011: "-05:00"})
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    source = encode(Image.new("RGB", (1000, 800), "green"), "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825), "the source carries GPS"
    result = process_image(io.BytesIO(source))
    assert result.info.taken_at.isoformat() == "2024-06-01T14:30:05-05:00"
    for rendition in result.renditions:
        assert not decode(rendition.data).getexif()
        assert b"Canon" not in rendition.data


@pytest.mark.parametrize("value", ["0000:00:00 00:00:00", "garbage", "    :  :     :  :  "])
def test_placeholder_dates_give_no_taken_at(value):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = value
    source = encode(Image.new("RGB", (100, 80), "green"), "JPEG", exif=exif.tobytes())
    assert process_image(io.BytesIO(source)).info.taken_at is None


def test_placeholder_colour_is_the_dominant_colour():
    picture = Image.new("RGB", (800, 600), (200, 30, 40))
    picture.paste((20, 20, 20), (0, 0, 200, 150))  # a small dark corner does not win
    assert process_image(io.BytesIO(encode(picture, "PNG"))).info.placeholder_color == "#c81e28"


@pytest.mark.parametrize("blob", [
    b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",  # first IFD beyond the end
    b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12",  # entries cut short
    b"Exif\x00\x00garbage!garbage",
])
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_broken_exif_costs_the_metadata_not_the_photo(blob):
    result = process_image(io.BytesIO(encode(Image.new("RGB", (500, 300), "red"), "JPEG", exif=blob)))
    assert (result.info.width, result.info.height, result.info.taken_at) == (500, 300, None)
    assert all(b"garbage" not in r.data for r in result.renditions)


@pytest.mark.parametrize("orientation", [0, 9, 65535])
def test_nonsense_orientation_is_ignored(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    result = process_image(io.BytesIO(encode(Image.new("RGB", (500, 300), "red"), "JPEG", exif=exif.tobytes())))
    assert (result.info.width, result.info.height) == (500, 300)
