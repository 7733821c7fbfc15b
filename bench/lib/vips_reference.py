"""The like-for-like libvips reference for bench/renditions.py: the rendition set our pipeline makes, made by
pyvips in the same process.

Per photo: one decode with shrink-on-load (the largest JPEG shrink, 1, 2, 4 or 8, that still leaves the largest
rendition's size, as our pipeline's DCT scaling does), the embedded ICC profile to sRGB when there is one, the
EXIF orientation, then each size from the one before (lanczos3, the exact pixel size ours makes), each encoded
with the spec's own settings (JPEG quality, progressive or baseline with optimised Huffman tables, no metadata;
WebP at the spec's quality and effort, kept only where it is smaller than the JPEG, as ours does), and the
watermarked variant composited from the same mark when asked. Each intermediate is made in memory
(`copy_memory`), so no step is computed twice. libvips' operation cache is off, so every round decodes anew.
"""
from __future__ import annotations

import os

os.environ.setdefault("VIPS_CONCURRENCY", "1")  # the benchmark runs on one core: one vips worker thread
import pyvips  # noqa: E402

pyvips.cache_set_max(0)

from gallery.imaging.pipeline import _fit  # noqa: E402  (the very sizes our pipeline makes)


def version() -> str:
    return f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}, pyvips {pyvips.__version__}"


def decode(data: bytes, largest_edge: int) -> tuple[pyvips.Image, tuple[int, int]]:
    """Decode once with shrink-on-load, upright, sRGB, in memory; and the upright full size."""
    header = pyvips.Image.new_from_buffer(data, "")
    width, height = header.width, header.height
    turned = header.get_typeof("orientation") != 0 and header.get("orientation") in (5, 6, 7, 8)
    first = _fit((width, height), largest_edge)
    shrink = 1
    for factor in (8, 4, 2):
        if width // factor >= first[0] and height // factor >= first[1]:
            shrink = factor
            break
    image = pyvips.Image.new_from_buffer(data, "", shrink=shrink, access="sequential")
    if image.get_typeof("icc-profile-data"):
        image = image.icc_transform("srgb")
    image = image.autorot()
    return image.copy_memory(), ((height, width) if turned else (width, height))


def resize_to(image: pyvips.Image, size: tuple[int, int]) -> pyvips.Image:
    if (image.width, image.height) == size:
        return image
    return image.resize(size[0] / image.width, vscale=size[1] / image.height, kernel="lanczos3").copy_memory()


def watermark(image: pyvips.Image, mark_rgba: pyvips.Image, opacity: float, mark_width: float = 0.4) -> pyvips.Image:
    """The mark scaled to 40 % of the width, centred, its alpha times `opacity`, composited over."""
    width = max(1, round(image.width * mark_width))
    height = max(1, round(mark_rgba.height * width / mark_rgba.width))
    if height > image.height * 0.8:
        height = max(1, round(image.height * 0.8))
        width = max(1, round(mark_rgba.width * height / mark_rgba.height))
    mark = mark_rgba.resize(width / mark_rgba.width, vscale=height / mark_rgba.height, kernel="lanczos3")
    mark = mark[0:3].bandjoin((mark[3] * opacity).cast("uchar"))
    left, top = (image.width - width) // 2, (image.height - height) // 2
    return image.composite2(mark, "over", x=left, y=top).flatten().cast("uchar").copy_memory()


def encode_jpeg(image: pyvips.Image, quality: int, progressive: bool) -> bytes:
    return image.jpegsave_buffer(Q=quality, interlace=progressive, optimize_coding=True, strip=True)


def encode_webp(image: pyvips.Image, quality: int, method: int) -> bytes:
    return image.webpsave_buffer(Q=quality, effort=method, strip=True)


def render_set(data: bytes, specs, mark_rgba: pyvips.Image | None = None, opacity: float = 0.35) -> list[tuple]:
    """[(name, format, bytes, width, height)] for `specs` (objects with name, long_edge, formats, watermark,
    quality, progressive, webp_quality, webp_method), largest first."""
    specs = sorted(specs, key=lambda spec: -spec.long_edge)
    current, upright = decode(data, specs[0].long_edge)
    out = []
    for spec in specs:
        if spec.watermark and mark_rgba is None:
            continue
        current = resize_to(current, _fit(upright, spec.long_edge))
        picture = watermark(current, mark_rgba, opacity) if spec.watermark else current
        jpeg = encode_jpeg(picture, spec.quality, spec.progressive)
        out.append((spec.name, "jpeg", jpeg, picture.width, picture.height))
        if "webp" in spec.formats:
            webp = encode_webp(picture, spec.webp_quality, spec.webp_method)
            if len(webp) < len(jpeg):
                out.append((spec.name, "webp", webp, picture.width, picture.height))
    return out


def from_pillow(image) -> pyvips.Image:
    """A Pillow image (RGB or RGBA) as a vips image, for the shared watermark mark."""
    bands = len(image.getbands())
    vimage = pyvips.Image.new_from_memory(image.tobytes(), image.width, image.height, bands, "uchar")
    return vimage.copy(interpretation="srgb" if bands >= 3 else "b-w")
