"""Cheap checks of a file's structure before any pixel is decoded: junk is refused in well under a second.

- Compressed formats (JPEG, PNG, WebP, HEIC) never hold a long run of zero bytes in real picture data: a
  header followed by megabytes of zeros is junk (or a disk error) and would cost minutes of decoding.
- A JPEG's picture data must end with its end-of-image marker: without one the file was cut short, and the
  decoder would quietly paint the missing part grey. The photographer is told the file is damaged, so they
  can export or copy it again before a client ever sees a grey bar.
"""
from __future__ import annotations

import mmap
from typing import BinaryIO

from gallery.imaging.errors import ImageRejected

ZERO_RUN = 1024 * 1024  # a megabyte of zeros
_ZERO_PROBE = b"\0" * 4096
COMPRESSED = {"jpeg", "png", "webp", "heic"}
MAX_ASPECT = 50  # longest side over shortest: panoramas up to 50:1


def check_structure(fp: BinaryIO, kind: str) -> None:
    try:
        fileno = fp.fileno()
    except (AttributeError, OSError):
        data = _read_all(fp)
        _check_bytes(data, kind)
        return
    fp.seek(0, 2)
    size = fp.tell()
    fp.seek(0)
    if size == 0:
        return
    with mmap.mmap(fileno, 0, access=mmap.ACCESS_READ) as data:
        _check_bytes(data, kind)


def _read_all(fp: BinaryIO) -> bytes:
    fp.seek(0)
    data = fp.read()
    fp.seek(0)
    return data


def _check_bytes(data, kind: str) -> None:
    if kind == "jpeg":
        scan = _first_scan(data)
        # The last end-of-image marker, searched from the end (a camera file ends with it, so this reads a few
        # bytes, not the whole picture); a file with none after its scan was cut short.
        end = data.rfind(b"\xff\xd9", scan) if scan >= 0 else -1
        if end < 0:
            raise ImageRejected("The file is truncated or damaged: the image data ends before the picture is "
                                "complete.")
        start, stop = scan, end
    else:
        start, stop = 0, len(data)
    if kind not in COMPRESSED or not _may_hold_zero_run(data, start, stop):
        return
    if kind == "jpeg":  # the picture data ends at the first end-of-image marker (more may follow: a preview)
        stop = data.find(b"\xff\xd9", start)
    if _has_zero_run(data, start, stop):
        raise ImageRejected("The file is truncated or damaged: it holds megabytes of empty data where the picture "
                            "should be.")


def _may_hold_zero_run(data, start: int, stop: int) -> bool:
    """False when data[start:stop] certainly holds no run of `ZERO_RUN` zeros: such a run would cover one of
    the probes laid every quarter of a run, so a file whose probes all hold data is cleared by reading
    4 KB every 256 KB instead of every byte. A probe of zeros sends the file to the exact search."""
    probe = len(_ZERO_PROBE)
    step = ZERO_RUN // 4
    for position in range(start, max(start, stop - probe) + 1, step):
        if data[position:position + probe] == _ZERO_PROBE:
            return True
    return False


def _first_scan(data) -> int:
    """Offset of the main image's first start-of-scan marker, walking the marker segments (an EXIF thumbnail
    inside APP1 has a scan of its own, which a plain search would find first)."""
    pos, size = 2, len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return -1
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:
            return pos
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return -1


def _has_zero_run(data, start: int = 0, stop: int | None = None) -> bool:
    """True if `ZERO_RUN` consecutive zero bytes occur in data[start:stop] (C-speed searches and compares of
    4 KB pieces, no copy of the whole)."""
    stop = len(data) if stop is None else stop
    probe = len(_ZERO_PROBE)
    while (hit := data.find(_ZERO_PROBE, start, stop)) >= 0:
        run_end = hit + ZERO_RUN
        if run_end > stop:
            return False
        pos = hit
        while pos < run_end and data[pos:pos + probe] == _ZERO_PROBE[:min(probe, run_end - pos)]:
            pos += probe
        if pos >= run_end:
            return True
        start = pos + 1
    return False


def check_aspect(size: tuple[int, int]) -> None:
    width, height = size
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageRejected(f"The picture is {width} x {height} pixels: at most {MAX_ASPECT} times as long as it "
                            "is wide can be shown in a gallery.")
