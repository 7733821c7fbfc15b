"""The photographer's watermark, blended over a rendition."""
from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from gallery.imaging.errors import ImageRejected
from gallery.imaging.specs import Watermark

_MARK_WIDTH = 0.4  # of the picture's width
_MAX_MARK_PIXELS = 25_000_000


def apply_watermark(picture: Image.Image, mark: Watermark) -> Image.Image:
    """A copy of `picture` (RGB) with the mark centred at the mark's opacity.

    Only the mark's own box is blended (a paste through the mark's alpha, which over an opaque picture is the
    same "over" composite): the rest of the picture is copied as it is, not converted to RGBA and back."""
    colours, alpha, position = _placed_mark(mark, picture.size)
    out = picture.copy()
    out.paste(colours, position, alpha)
    return out


@lru_cache(maxsize=32)
def _placed_mark(mark: Watermark, size: tuple[int, int]) -> tuple[Image.Image, Image.Image, tuple[int, int]]:
    """The mark scaled for a picture of `size`: its colours, its alpha times the opacity, and where it goes
    (kept: the photos of a gallery share a handful of sizes)."""
    drawn = _decode_mark(mark.png) if mark.png else _draw_text(mark.text)
    scaled, position = _scaled(drawn, size)
    alpha = scaled.getchannel("A").point(lambda a: round(a * mark.opacity))
    colours = scaled.convert("RGB") if scaled.mode == "RGBA" else scaled
    return colours, alpha, position


def _scaled(mark: Image.Image, size: tuple[int, int]) -> tuple[Image.Image, tuple[int, int]]:
    width = max(1, round(size[0] * _MARK_WIDTH))
    height = max(1, round(mark.height * width / mark.width))
    if height > size[1] * 0.8:  # a tall mark on a wide picture: fit the height instead
        height = max(1, round(size[1] * 0.8))
        width = max(1, round(mark.width * height / mark.height))
    return mark.resize((width, height), Image.Resampling.LANCZOS), ((size[0] - width) // 2, (size[1] - height) // 2)


@lru_cache(maxsize=8)
def _decode_mark(png: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as mark:
            if mark.width * mark.height > _MAX_MARK_PIXELS:
                raise ImageRejected("The watermark image is too large; use a PNG under 25 megapixels.")
            return mark.convert("RGBA")
    except ImageRejected:
        raise
    except Exception as exc:
        raise ImageRejected("The watermark could not be read; upload it again as a PNG file.") from exc


@lru_cache(maxsize=8)
def _draw_text(text: str) -> Image.Image:
    """The text in white with a dark outline, on transparency, cropped to its box."""
    font = _scalable_font(64)
    if font is not None:
        box = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font, stroke_width=3)
    else:  # older Pillow without a bundled scalable font: draw the bitmap font small, scale it up
        font = ImageFont.load_default()
        box = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font, stroke_width=1)
    stroke = 3 if isinstance(font, ImageFont.FreeTypeFont) else 1
    drawn = Image.new("RGBA", (box[2] - box[0] + 2 * stroke, box[3] - box[1] + 2 * stroke), (0, 0, 0, 0))
    ImageDraw.Draw(drawn).text((stroke - box[0], stroke - box[1]), text, font=font, fill=(255, 255, 255, 255),
                               stroke_width=stroke, stroke_fill=(0, 0, 0, 160))
    return drawn


def _scalable_font(size: int):
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1 with FreeType
    except (TypeError, AttributeError, OSError, ImportError):
        return None
