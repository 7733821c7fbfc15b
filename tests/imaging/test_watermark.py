import io

import pytest
from PIL import Image, ImageChops, ImageStat

from gallery.imaging import ImageRejected, Watermark, process_image
from tests.imaging.conftest import decode, encode


def difference(a, b) -> float:
    return ImageStat.Stat(ImageChops.difference(a.convert("L"), b.convert("L"))).mean[0]


@pytest.fixture
def grey_photo():
    return encode(Image.new("RGB", (3000, 2000), (90, 90, 90)), "JPEG", quality=92)


def test_no_watermark_no_variant(grey_photo):
    assert all(r.name != "watermarked" for r in process_image(io.BytesIO(grey_photo)).renditions)


def test_text_watermark_variant_at_preview_size(grey_photo):
    result = process_image(io.BytesIO(grey_photo), watermark=Watermark(text="© Studio Lumen"))
    marked = [r for r in result.renditions if r.name == "watermarked"]
    assert [(r.format, r.width, r.height) for r in marked] == [("jpeg", 1200, 800)]
    preview, watermarked = decode(result.get("preview").data), decode(marked[0].data)
    centre = (450, 350, 750, 450)
    assert difference(preview.crop(centre), watermarked.crop(centre)) > 3, "the mark is in the middle"
    assert difference(preview.crop((0, 0, 200, 200)), watermarked.crop((0, 0, 200, 200))) < 1.5
    assert decode(result.get("preview").data).size == (1200, 800), "the clean preview stays clean"
    assert not watermarked.getexif()


def test_png_watermark_and_opacity(grey_photo):
    logo = Image.new("RGBA", (400, 100), (0, 0, 0, 0))
    logo.paste((255, 255, 255, 255), (0, 0, 400, 100))
    png = encode(logo, "PNG")
    faint = process_image(io.BytesIO(grey_photo), watermark=Watermark(png=png, opacity=0.2))
    strong = process_image(io.BytesIO(grey_photo), watermark=Watermark(png=png, opacity=0.9))
    middle = (600, 400)
    faint_value = decode(faint.get("watermarked").data).getpixel(middle)[0]
    strong_value = decode(strong.get("watermarked").data).getpixel(middle)[0]
    assert 90 + 0.2 * 165 - 8 < faint_value < 90 + 0.2 * 165 + 8
    assert 90 + 0.9 * 165 - 8 < strong_value < 90 + 0.9 * 165 + 8


def test_unreadable_watermark_png_is_a_readable_reason(grey_photo):
    with pytest.raises(ImageRejected, match="watermark could not be read"):
        process_image(io.BytesIO(grey_photo), watermark=Watermark(png=b"not a png"))


def test_watermark_needs_something_and_a_sane_opacity():
    with pytest.raises(ValueError):
        Watermark()
    with pytest.raises(ValueError):
        Watermark(text="x", opacity=0)
    with pytest.raises(ValueError):
        Watermark(text="x", opacity=1.5)
