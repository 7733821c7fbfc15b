"""A studio's logo: judged by its content, limited in size, and re-encoded by us.

Only PNG, JPEG and WebP are taken (by their magic bytes, never by name or declared type). SVG is refused: it
is a document that can carry scripts and links, and mail clients do not show it. The picture's size is read
from its header before any pixel is decoded (a small file declaring a huge picture is refused there), then it is
decoded, turned upright, fitted into a box a logo never needs more than, and written again as PNG: what is
stored and served is always our own encoding, never the uploaded bytes.
"""
from __future__ import annotations

import io
import zlib

from PIL import Image, ImageOps

from gallery.imaging.errors import ImageRejected
from gallery.imaging.sniff import SNIFF_BYTES, sniff_image_type

LOGO_TYPES = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
MIN_SIDE = 32  # smaller than this cannot be read at the size the page shows it
MAX_SIDE = 6000
MAX_PIXELS = 24_000_000
STORED_BOX = (1200, 600)  # 36 to 56 px tall on screen: sharp on a 3x display with room to spare
NOT_A_LOGO = "Send the logo as a PNG, JPEG or WebP picture (SVG is not accepted: it can carry scripts)."
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, IndexError, TypeError, KeyError, EOFError, zlib.error,
                  Image.DecompressionBombError)


def normalise_logo(data: bytes) -> tuple[bytes, int, int]:
    """(PNG bytes, width, height) of an uploaded logo; ImageRejected with a reason the photographer can read."""
    if not data:
        raise ImageRejected("The file is empty (0 bytes).")
    if len(data) > MAX_LOGO_BYTES:
        raise ImageRejected(f"The logo is {len(data) / 1_000_000:.1f} MB; at most {MAX_LOGO_BYTES / 1_000_000:g} MB.")
    kind = sniff_image_type(data[:SNIFF_BYTES])
    if kind not in LOGO_TYPES:
        raise ImageRejected(NOT_A_LOGO)
    try:
        factory, _accept = Image.OPEN[LOGO_TYPES[kind]]
        image = factory(io.BytesIO(data), "")  # the plugin alone: its header, no pixels yet
        width, height = image.size
        if width < MIN_SIDE or height < MIN_SIDE:
            raise ImageRejected(f"The logo is {width} x {height} pixels; it needs at least {MIN_SIDE} on each side.")
        if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
            raise ImageRejected(f"The logo is {width} x {height} pixels; at most {MAX_SIDE} on a side and "
                                f"{MAX_PIXELS / 1_000_000:g} megapixels.")
        image.load()
        picture = ImageOps.exif_transpose(image)
    except ImageRejected:
        raise
    except _DECODE_ERRORS as error:
        raise ImageRejected("The file is truncated or damaged: it could not be read as a picture.") from error
    transparent = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    picture = picture.convert("RGBA" if transparent else "RGB")
    picture.thumbnail(STORED_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height
