"""Downloaded originals without the camera's GPS position, byte for byte otherwise.

Nothing is re-encoded: in the JPEG's EXIF (APP1) segment the GPS IFD pointer is taken out of IFD0 (the entries
after it move up, the freed 12 bytes become zeros) and the GPS IFD with its values is overwritten with zeros;
in an XMP packet every `prefix:GPS...` attribute or element is overwritten with spaces (whitespace XML ignores).
The file keeps its exact length and every byte from the first non-metadata segment on, so the image data is
identical and a zip's layout (sizes, offsets) does not change: only the CRC-32, which follows from the stored
CRC of the original and the changed head alone (`crc32_after_head_change`), without reading the whole file.

Only JPEG originals carry the position this way on cameras and phones we take; other formats pass unchanged.
"""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from typing import Callable, Iterable

GPS_IFD_TAG = 0x8825
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}
HEAD_READ = 64 * 1024
HEAD_MAX = 4 * 1024 * 1024  # metadata segments beyond this are not metadata we expect
_XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_GPS = re.compile(rb"""\s[\w.-]+:GPS\w*\s*=\s*(?:"[^"]*"|'[^']*')"""  # attribute form
                      rb"""|<([\w.-]+:GPS\w*)[\s>].*?</\1\s*>""", re.S)  # element form


@dataclass(frozen=True)
class StrippedHead:
    """The first `len(data)` bytes of the file with the position removed; the rest of the file is unchanged."""

    data: bytes


def strip_gps(head: bytes) -> StrippedHead | None | bool:
    """The head with GPS removed; None when there is none; False when the head is too short to tell
    (read more and ask again)."""
    if head[:2] != b"\xff\xd8":
        return None
    data = bytearray(head)
    changed_to = 0
    offset = 2
    while True:
        if offset + 4 > len(data):
            return False
        if data[offset] != 0xFF:
            return None  # not a marker where one must be: leave the file alone
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan / end of image: metadata is over
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            offset += 2
            continue
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        end = offset + 2 + length
        if end > len(data):
            return False
        payload = offset + 4
        if marker == 0xE1 and data[payload:payload + 6] == b"Exif\x00\x00":
            if _blank_exif_gps(data, payload + 6, end):
                changed_to = end
        elif marker == 0xE1 and data[payload:payload + len(_XMP_ID)] == _XMP_ID:
            if _blank_xmp_gps(data, payload + len(_XMP_ID), end):
                changed_to = end
        offset = end
    return StrippedHead(bytes(data[:changed_to])) if changed_to else None


def _blank_exif_gps(data: bytearray, tiff: int, end: int) -> bool:
    order = bytes(data[tiff:tiff + 2])
    if order not in (b"II", b"MM"):
        return False
    e = "<" if order == b"II" else ">"

    def u16(at):
        return struct.unpack(e + "H", data[at:at + 2])[0]

    def u32(at):
        return struct.unpack(e + "I", data[at:at + 4])[0]

    if tiff + 8 > end:
        return False
    ifd0 = tiff + u32(tiff + 4)
    if ifd0 + 2 > end:
        return False
    count = u16(ifd0)
    entries = ifd0 + 2
    if entries + 12 * count + 4 > end:
        return False
    gps_index = next((i for i in range(count) if u16(entries + 12 * i) == GPS_IFD_TAG), None)
    if gps_index is None:
        return False
    gps_ifd = tiff + u32(entries + 12 * gps_index + 8)
    # IFD0 without the pointer: later entries move up, the next-IFD offset follows them, 12 zero bytes remain.
    tail = bytes(data[entries + 12 * (gps_index + 1):entries + 12 * count + 4])
    data[entries + 12 * gps_index:entries + 12 * gps_index + len(tail)] = tail
    data[entries + 12 * (count - 1) + 4:entries + 12 * count + 4] = bytes(12)
    data[ifd0:ifd0 + 2] = struct.pack(e + "H", count - 1)
    # The GPS IFD and the values it points to become zeros.
    if tiff <= gps_ifd and gps_ifd + 2 <= end:
        gps_count = u16(gps_ifd)
        if gps_ifd + 2 + 12 * gps_count + 4 <= end:
            for i in range(gps_count):
                entry = gps_ifd + 2 + 12 * i
                size = TYPE_SIZES.get(u16(entry + 2), 1) * u32(entry + 4)
                if size > 4:
                    value = tiff + u32(entry + 8)
                    if tiff <= value and value + size <= end:
                        data[value:value + size] = bytes(size)
            data[gps_ifd:gps_ifd + 2 + 12 * gps_count + 4] = bytes(2 + 12 * gps_count + 4)
    return True


def _blank_xmp_gps(data: bytearray, start: int, end: int) -> bool:
    packet = bytes(data[start:end])
    found = False
    for match in _XMP_GPS.finditer(packet):
        a, b = match.span()
        if match.group(0)[:1].isspace():
            a += 1  # keep the separating whitespace itself
        data[start + a:start + b] = b" " * (b - a)
        found = True
    return found


def read_head(read: Callable[[int, int], Iterable[bytes]], size: int) -> StrippedHead | None:
    """Read as much of the file's start as its metadata needs (`read(start, end)` -> chunks) and strip it."""
    want = min(size, HEAD_READ)
    while True:
        head = b"".join(read(0, want))
        result = strip_gps(head)
        if result is not False:
            return result
        if want >= min(size, HEAD_MAX):
            return None
        want = min(size, want * 4, HEAD_MAX)


# --- CRC-32 of the changed file from the original's CRC and the head (zlib's crc32_combine, in Python) ----------

_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if (a & (m - 1)) == 0:
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


_X2N = [1 << 30]
for _ in range(31):
    _X2N.append(_multmodp(_X2N[-1], _X2N[-1]))


def _x8nmodp(n: int) -> int:
    """x^(8n) modulo the CRC polynomial (reflected)."""
    p, k = 1 << 31, 3
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return p


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A+B from CRC(A), CRC(B) and len(B)."""
    return _multmodp(_x8nmodp(length2), crc1) ^ crc2


def crc32_after_head_change(original_crc: int, old_head: bytes, new_head: bytes, total_size: int) -> int:
    """CRC-32 of a file whose first len(new_head) bytes changed (same length): CRC is affine, so the change of
    the head's CRC, shifted by the unchanged rest, is the change of the whole file's CRC."""
    assert len(old_head) == len(new_head)
    delta = zlib.crc32(old_head) ^ zlib.crc32(new_head)
    return original_crc ^ _multmodp(_x8nmodp(total_size - len(new_head)), delta)


class LocationFree:
    """An original as downloaded without its position: the stripped head (read once, on first need) and the
    CRC-32 that follows from it. `head` is empty when the file has no position to remove."""

    def __init__(self, storage, key: str, size: int, crc32: int | None):
        self._storage, self.key, self.size, self._crc32 = storage, key, size, crc32
        self._head: bytes | None = None
        self._original_head = b""

    @property
    def head(self) -> bytes:
        if self._head is None:
            stripped = read_head(lambda a, b: self._storage.iter_range(self.key, a, b), self.size)
            self._head = stripped.data if stripped else b""
            if self._head:
                self._original_head = b"".join(self._storage.iter_range(self.key, 0, len(self._head)))
        return self._head

    @property
    def crc32(self) -> int:
        head = self.head
        if not head:
            return self._crc32
        return crc32_after_head_change(self._crc32, self._original_head, head, self.size)

    def iter_bytes(self, start: int, end: int, read: Callable[[int, int], Iterable[bytes]]) -> Iterable[bytes]:
        """Bytes start..end of the stripped file: the head from memory, the rest from `read(start, end)`."""
        head = self.head
        if start < len(head):
            yield head[start:min(end, len(head))]
        if end > len(head):
            yield from read(max(start, len(head)), end)
