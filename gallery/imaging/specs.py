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


DEFAULT_SPECS: tuple[RenditionSpec, ...] = (
    RenditionSpec("large", 2048, ("jpeg",)),
    RenditionSpec("preview", 1200, ("jpeg", "webp")),
    RenditionSpec("thumb", 400, ("jpeg", "webp")),
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
