"""What renditions to make: sizes by long edge, formats, and the optional watermark."""
from __future__ import annotations

from dataclasses import dataclass

JPEG_QUALITY = 85
WEBP_QUALITY = 80


@dataclass(frozen=True)
class RenditionSpec:
    name: str
    long_edge: int
    formats: tuple[str, ...] = ("jpeg",)  # "jpeg" always made; "webp" kept only where it pays
    watermark: bool = False
    quality: int = JPEG_QUALITY
    progressive: bool = True  # else baseline; Huffman tables are always optimised
    webp_quality: int = WEBP_QUALITY
    webp_method: int = 4  # libwebp's effort, 0 (fast) to 6 (small)

    def __post_init__(self):
        if self.long_edge < 1:
            raise ValueError("long_edge must be positive")
        unknown = set(self.formats) - {"jpeg", "webp"}
        if unknown or not self.formats:
            raise ValueError(f"formats must be drawn from jpeg, webp (got {self.formats!r})")


# Encoder settings chosen by measurement (bench/renditions.py --tune; 24 MP bench photos, SSIM against a
# full-resolution reference):
# - progressive JPEG is 4 % smaller than baseline with optimised Huffman tables, with identical pixels, and costs
#   2.4 times the encode (large 41 vs 17 ms, preview 16 vs 7 ms): kept for large and preview, which clients
#   download again and again and which draw early on a slow phone; the thumb's JPEG is a fallback (browsers take
#   its WebP), so it goes baseline (1.1 vs 2.4 ms).
# - WebP at 1200 px needs quality 90 to match the JPEG's SSIM on every photo, and is then 7-26 % larger at any
#   method up to 4 (method 6: 2 % larger at 14 times the encode): no WebP preview.
# - WebP at 400 px matches the JPEG's SSIM on every photo at quality 85 and is 9 % smaller at method 4 (11 ms;
#   method 2: 7 %, 6 ms; method 6: 12 %, 29 ms), still kept only where it is smaller.
DEFAULT_SPECS: tuple[RenditionSpec, ...] = (
    RenditionSpec("large", 2048, ("jpeg",)),
    RenditionSpec("preview", 1200, ("jpeg",)),
    RenditionSpec("thumb", 400, ("jpeg", "webp"), progressive=False, webp_quality=85, webp_method=4),
)

# Added by process_image when a watermark is given: preview size, JPEG only.
WATERMARKED_SPEC = RenditionSpec("watermarked", 1200, ("jpeg",), watermark=True)


@dataclass(frozen=True)
class Watermark:
    """The photographer's mark: a PNG (with alpha) or a line of text, blended at `opacity`."""

    text: str | None = None
    png: bytes | None = None
    opacity: float = 0.35

    def __post_init__(self):
        if not self.text and not self.png:
            raise ValueError("a watermark needs text or a PNG")
        if not 0.0 < self.opacity <= 1.0:
            raise ValueError("opacity must be in (0, 1]")
