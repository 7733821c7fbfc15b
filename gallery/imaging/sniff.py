"""Recognise an image by its magic bytes (never by its name or declared type)."""
from __future__ import annotations

ACCEPTED_TYPES = ("jpeg", "png", "tiff", "webp", "heic")

# Brands of the ISO base media file format that mean HEIF holding HEVC (HEIC) images;
# "mif1"/"msf1" are generic HEIF brands, accepted only with a HEVC brand beside them
# (AVIF files also say "mif1").
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_GENERIC_HEIF_BRANDS = {b"mif1", b"msf1"}

# How many leading bytes sniff_image_type needs to decide.
SNIFF_BYTES = 64


def sniff_image_type(head: bytes) -> str | None:
    """"jpeg", "png", "tiff", "webp" or "heic" from the first bytes of a file, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "heic" if _is_heic(head) else None
    return None


def _is_heic(head: bytes) -> bool:
    box_size = int.from_bytes(head[:4], "big")
    box = head[8:min(box_size, len(head))] if box_size >= 16 else head[8:16]
    major = box[:4]
    compatible = {box[i:i + 4] for i in range(8, len(box) - 3, 4)}
    if major in _HEIC_BRANDS:
        return True
    return bool((major in _GENERIC_HEIF_BRANDS or compatible & _GENERIC_HEIF_BRANDS) and compatible & _HEIC_BRANDS)
