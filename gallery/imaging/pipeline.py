"""Decode once, cascade down, encode: the rendition pipeline.

One pass per photo:
1. sniff the type by magic bytes and read only the header with that format's own
   Pillow plugin; refuse more than `max_pixels` before any pixel is decoded
   (a progressive JPEG decodes at full header size even when drafted);
2. decode once, JPEG through DCT scaling (`draft`) to the smallest scale still at
   least as large as the largest rendition;
3. resize to the largest rendition, then convert to sRGB (ICC) and apply the EXIF
   orientation on that smaller image, and cascade: each next size from the previous;
4. encode each size as progressive JPEG (q85) and WebP where it is smaller,
   with no metadata at all (no EXIF, GPS, XMP, comments or ICC: untagged is sRGB).
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, Iterator

from PIL import Image

from gallery.imaging import colour
from gallery.imaging.errors import ImageRejected
from gallery.imaging.sniff import ACCEPTED_TYPES, SNIFF_BYTES, sniff_image_type
from gallery.imaging.structure import check_aspect, check_structure
from gallery.imaging.specs import DEFAULT_SPECS, WATERMARKED_SPEC, RenditionSpec, Watermark
from gallery.imaging.watermark import apply_watermark

try:  # HEIC support: registers the "HEIF" format with Pillow
    from pillow_heif import register_heif_opener
    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a hard dependency; keep the rest usable
    pass

log = logging.getLogger(__name__)

# What Pillow's plugins raise on malformed data. Anything else (a job's timeout, an interrupt) is not the
# file's fault and must not be reported as "damaged".
DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError,
                 AttributeError, struct.error)

Image.init()
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "webp": "WEBP", "heic": "HEIF"}
NOT_ACCEPTED = "The file is not an image we accept (JPEG, PNG, TIFF, WebP or HEIC)."

# EXIF orientation -> the transpositions that make the picture upright (as ImageOps.exif_transpose).
_ORIENTATION = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_EXIF_IFD, _ORIENTATION_TAG = 0x8769, 0x0112
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED, _OFFSET_TIME_ORIGINAL = 0x9003, 0x9004, 0x9011


@dataclass(frozen=True)
class ImageInfo:
    width: int  # upright, after EXIF orientation
    height: int
    taken_at: datetime | None  # aware; EXIF has no zone unless OffsetTimeOriginal is set: then UTC is assumed
    placeholder_color: str  # "#rrggbb", the dominant colour, for a placeholder while the picture loads
    source_format: str  # one of ACCEPTED_TYPES


@dataclass(frozen=True)
class RenderedImage:
    name: str
    format: str  # "jpeg" | "webp"
    data: bytes = field(repr=False)
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format


@dataclass(frozen=True)
class ProcessedImage:
    info: ImageInfo
    renditions: list[RenderedImage]

    def get(self, name: str, format: str = "jpeg") -> RenderedImage | None:
        return next((r for r in self.renditions if r.name == name and r.format == format), None)


def process_image(source: str | os.PathLike | BinaryIO, specs: tuple[RenditionSpec, ...] | list[RenditionSpec]
                  = DEFAULT_SPECS, *, watermark: Watermark | None = None,
                  max_pixels: int = 120_000_000) -> ProcessedImage:
    """Renditions and facts of one uploaded image; ImageRejected with a readable reason if it cannot be."""
    specs = list(specs)
    if watermark is not None:
        specs.append(WATERMARKED_SPEC)
    if not specs:
        raise ValueError("no rendition specs")
    with _binary(source) as fp:
        head = fp.read(SNIFF_BYTES)
        fp.seek(0)
        if not head:
            raise ImageRejected("The file is empty (0 bytes).")
        kind = sniff_image_type(head)
        if kind not in ACCEPTED_TYPES:
            raise ImageRejected(NOT_ACCEPTED)
        check_structure(fp, kind)
        fp.seek(0)
        try:
            image = _open_header(fp, kind)
            _check_size(image.size, max_pixels)
            check_aspect(image.size)
            return _render(image, kind, specs, watermark)
        except (ImageRejected, MemoryError):
            raise
        except DECODE_ERRORS as exc:  # Pillow's plugins raise many kinds of errors on malformed data
            log.info("image decode failed: %r", exc, exc_info=True)
            if kind == "tiff" and _tiff_photometric(fp) == _YCBCR:
                raise ImageRejected(YCBCR_TIFF) from exc
            raise ImageRejected(_damaged_reason(exc)) from exc


@contextlib.contextmanager
def _binary(source) -> Iterator[BinaryIO]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fp:
            yield fp
    else:
        source.seek(0)
        yield source


def _open_header(fp: BinaryIO, kind: str) -> Image.Image:
    """Read the header with the sniffed format's plugin only. Calling the plugin's factory
    (what Image.open does after identifying) skips Pillow's own process-wide pixel limit,
    which _check_size replaces with ours and a readable message."""
    factory, _accept = Image.OPEN[_PIL_FORMATS[kind]]
    image = factory(fp, "")
    if image.width < 1 or image.height < 1:
        raise ImageRejected("The file is truncated or damaged: its header gives no picture size.")
    return image


_YCBCR = 6
YCBCR_TIFF = ("This TIFF stores its colours as YCbCr, which our decoder cannot read reliably; export it as an "
              "RGB TIFF or a JPEG and upload that.")


def _tiff_photometric(fp: BinaryIO) -> int | None:
    try:
        fp.seek(0)
        factory, _accept = Image.OPEN["TIFF"]
        return factory(fp, "").tag_v2.get(262)
    except DECODE_ERRORS:
        return None


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageRejected(f"The image is too large ({width} x {height} pixels; "
                            f"the limit is {max_pixels / 1_000_000:g} megapixels).")


def _damaged_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if isinstance(exc, EOFError) or "truncated" in text or "premature end" in text:
        detail = "the image data ends before the picture is complete"
    else:
        detail = "its image data could not be decoded"
    return f"The file is truncated or damaged: {detail}."


def _fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """The size with the long edge at most `long_edge`, aspect kept; never larger than `size`."""
    width, height = size
    longest = max(width, height)
    if longest <= long_edge:
        return size
    scale = long_edge / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_for(image: Image.Image, kind: str, largest_edge: int) -> Image.Image:
    """Decode the pixels once; a JPEG through DCT scaling (`draft`) at 1/2, 1/4 or 1/8 when that still covers
    the largest rendition."""
    if kind == "jpeg":
        image.draft(image.mode, _fit(image.size, largest_edge))
    image.load()
    return image


def _render(image: Image.Image, kind: str, specs: list[RenditionSpec], watermark: Watermark | None) -> ProcessedImage:
    header_size = image.size
    specs = sorted(specs, key=lambda s: -s.long_edge)
    first_size = _fit(header_size, specs[0].long_edge)
    decode_for(image, kind, specs[0].long_edge)
    exif = _exif(image)
    orientation = exif.get(_ORIENTATION_TAG, 1)
    if orientation not in _ORIENTATION:  # 1, absent, or nonsense such as 0, 9 or a string
        orientation = 1
    icc = image.info.get("icc_profile")

    current = colour.to_resizable(image)
    if current.size != first_size:
        current = current.resize(first_size, Image.Resampling.LANCZOS)
    if current is not image:
        image.close()  # frees the decoded pixels now, not when the caller lets go of the image
    current = colour.to_srgb_rgb(current, icc)
    for method in _ORIENTATION.get(orientation, ()):
        current = current.transpose(method)
    upright = header_size[::-1] if orientation in (5, 6, 7, 8) else header_size

    renditions: list[RenderedImage] = []
    for spec in specs:
        target = _fit(upright, spec.long_edge)
        if current.size != target:
            current = current.resize(target, Image.Resampling.LANCZOS)
        picture = apply_watermark(current, watermark) if spec.watermark else current
        renditions.extend(_encode(spec, picture))
    info = ImageInfo(width=upright[0], height=upright[1], taken_at=_taken_at(exif),
                     placeholder_color=colour.dominant_hex(current), source_format=kind)
    return ProcessedImage(info=info, renditions=renditions)


def _encode(spec: RenditionSpec, picture: Image.Image) -> list[RenderedImage]:
    picture.info = {}  # nothing of the original's metadata may reach a rendition
    jpeg = io.BytesIO()
    picture.save(jpeg, "JPEG", quality=spec.quality, progressive=spec.progressive, optimize=True)
    out = [RenderedImage(spec.name, "jpeg", jpeg.getvalue(), *picture.size)]
    if "webp" in spec.formats:
        webp = io.BytesIO()
        picture.save(webp, "WEBP", quality=spec.webp_quality, method=spec.webp_method)
        if webp.tell() < jpeg.tell():  # WebP only where it pays
            out.append(RenderedImage(spec.name, "webp", webp.getvalue(), *picture.size))
    return out


def _exif(image: Image.Image) -> Image.Exif:
    try:
        return image.getexif()
    except Exception:  # broken EXIF costs the orientation and the date, not the photo
        log.info("ignoring unreadable EXIF", exc_info=True)
        return Image.Exif()


def _taken_at(exif: Image.Exif) -> datetime | None:
    try:
        ifd = exif.get_ifd(_EXIF_IFD)
    except Exception:  # a broken Exif IFD costs the date, not the photo
        return None
    raw = ifd.get(_DATETIME_ORIGINAL) or ifd.get(_DATETIME_DIGITIZED)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00" and other placeholders
        return None
    return taken.replace(tzinfo=_offset(ifd.get(_OFFSET_TIME_ORIGINAL)))


def _offset(raw) -> timezone:
    if isinstance(raw, str) and len(raw.strip("\x00 ")) == 6:
        text = raw.strip("\x00 ")
        try:
            sign = -1 if text[0] == "-" else 1
            hours, minutes = int(text[1:3]), int(text[4:6])
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
        except (ValueError, IndexError):
            pass
    return timezone.utc
