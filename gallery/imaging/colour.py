"""Pixel modes and colour: any decoded image to 8-bit sRGB RGB, and its dominant colour."""
from __future__ import annotations

import io
import logging

from PIL import Image, ImageCms

log = logging.getLogger(__name__)

_SRGB = ImageCms.createProfile("sRGB")
_RESIZABLE = {"RGB", "RGBA", "L", "LA", "CMYK"}
_WHITE = (255, 255, 255)


def to_resizable(image: Image.Image) -> Image.Image:
    """8 bits per channel in a mode Pillow resizes well; 16-bit and palette images converted."""
    mode = image.mode
    if mode in _RESIZABLE:
        return image
    if mode.startswith("I;16") or mode == "I":
        return image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if mode == "F":
        low, high = image.getextrema()
        scale = 255.0 if high <= 1.0 else 1 / 257
        return image.point(lambda v: v * scale).convert("L")
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode == "La":
        return image.convert("LA")
    if mode == "RGBa":
        return image.convert("RGBA")
    return image.convert("RGB")  # YCbCr, LAB, HSV, RGBX...


def to_srgb_rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB in sRGB: alpha flattened onto white, the embedded ICC profile (if any) applied."""
    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGB" if image.mode == "RGBA" else "L", image.size, _WHITE if image.mode == "RGBA" else 255)
        background.paste(image, mask=image.getchannel("A"))
        image = background
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if not _is_srgb(source):
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            # A broken or mismatched profile costs colour accuracy, not the photo.
            log.info("ignoring unusable ICC profile: %s", exc)
    return image if image.mode == "RGB" else image.convert("RGB")


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    try:
        description = ImageCms.getProfileDescription(profile)
    except ImageCms.PyCMSError:
        return False
    return "srgb" in description.lower().replace(" ", "")


def dominant_hex(image: Image.Image) -> str:
    """The most common of a few representative colours, as "#rrggbb"."""
    small = image.copy()
    small.thumbnail((64, 64), Image.Resampling.BILINEAR)
    palette = small.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    count, index = max(palette.getcolors())
    red, green, blue = palette.getpalette()[index * 3:index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
