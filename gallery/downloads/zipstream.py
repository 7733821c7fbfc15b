"""A store-only zip archive laid out from metadata alone.

Every entry's size and CRC-32 are known before the first byte (the CRC is
computed once per file and kept on its row), so the archive's total length and
the bytes at any offset follow from the entry list: the response carries an
exact Content-Length, and a `Range` request starts reading at the right file
and offset instead of regenerating everything before it. Memory stays
constant: headers are built one at a time and file data is streamed in chunks.

Zip64 records are used only where a size or offset needs them, so small
archives stay plain zip; the choice depends only on the entries, so the
layout is deterministic.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator

ZIP32_MAX = 0xFFFFFFFF  # the "see the zip64 record" marker
ZIP16_MAX = 0xFFFF
# Thresholds at which zip64 fields are needed (module values so a test can lower them).
ZIP64_SIZE_LIMIT = ZIP32_MAX
ZIP64_COUNT_LIMIT = ZIP16_MAX
UTF8_FLAG = 0x0800
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")  # 30 bytes
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")  # 46 bytes
END_RECORD = struct.Struct("<IHHHHIIH")  # 22 bytes
ZIP64_END_RECORD = struct.Struct("<IQHHIIQQQQ")  # 56 bytes
ZIP64_LOCATOR = struct.Struct("<IIQI")  # 20 bytes


@dataclass(frozen=True)
class ZipEntry:
    name: str  # already safe and unique within the archive
    key: str  # storage key of the bytes
    size: int
    crc32: int
    modified: datetime | None = None
    # An original served without its GPS position (gallery.downloads.location.LocationFree): same size, its own
    # CRC and head bytes, worked out when first needed.
    location_free: object | None = None

    @property
    def checksum(self) -> int:
        return self.location_free.crc32 if self.location_free is not None else self.crc32


def dos_datetime(moment: datetime | None) -> tuple[int, int]:
    if moment is None or moment.year < 1980:
        return 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    date = ((min(moment.year, 2107) - 1980) << 9) | (moment.month << 5) | moment.day
    return time, date


class _Planned:
    __slots__ = ("entry", "name", "offset", "zip64_local", "zip64_offset")

    def __init__(self, entry: ZipEntry, offset: int):
        self.entry = entry
        self.name = entry.name.encode("utf-8")
        self.offset = offset
        self.zip64_local = entry.size >= ZIP64_SIZE_LIMIT
        self.zip64_offset = offset >= ZIP64_SIZE_LIMIT

    @property
    def local_length(self) -> int:
        return LOCAL_HEADER.size + len(self.name) + (20 if self.zip64_local else 0)

    @property
    def central_extra(self) -> int:
        fields = (2 if self.zip64_local else 0) + (1 if self.zip64_offset else 0)
        return 4 + 8 * fields if fields else 0

    @property
    def central_length(self) -> int:
        return CENTRAL_HEADER.size + len(self.name) + self.central_extra

    def local_header(self) -> bytes:
        entry = self.entry
        time, date = dos_datetime(entry.modified)
        size32 = ZIP32_MAX if self.zip64_local else entry.size
        extra = struct.pack("<HHQQ", 0x0001, 16, entry.size, entry.size) if self.zip64_local else b""
        version = 45 if self.zip64_local else 20
        return LOCAL_HEADER.pack(0x04034B50, version, UTF8_FLAG, 0, time, date, entry.checksum, size32, size32,
                                 len(self.name), len(extra)) + self.name + extra

    def central_header(self) -> bytes:
        entry = self.entry
        time, date = dos_datetime(entry.modified)
        values = []
        if self.zip64_local:
            values += [entry.size, entry.size]
        if self.zip64_offset:
            values.append(self.offset)
        extra = struct.pack(f"<HH{len(values)}Q", 0x0001, 8 * len(values), *values) if values else b""
        size32 = ZIP32_MAX if self.zip64_local else entry.size
        offset32 = ZIP32_MAX if self.zip64_offset else self.offset
        version = 45 if extra else 20
        # external attributes: a regular file, rw-r--r--
        return CENTRAL_HEADER.pack(0x02014B50, (3 << 8) | version, version, UTF8_FLAG, 0, time, date, entry.checksum,
                                   size32, size32, len(self.name), len(extra), 0, 0, 0, 0o100644 << 16,
                                   offset32) + self.name + extra


class ZipPlan:
    """The archive as a list of segments; `iter_bytes(start, end)` streams any slice of it."""

    def __init__(self, entries: Iterable[ZipEntry]):
        self.planned: list[_Planned] = []
        offset = 0
        for entry in entries:
            planned = _Planned(entry, offset)
            self.planned.append(planned)
            offset += planned.local_length + entry.size
        self.central_offset = offset
        self.central_size = sum(p.central_length for p in self.planned)
        count = len(self.planned)
        self.zip64_end = (count >= ZIP64_COUNT_LIMIT or self.central_offset >= ZIP64_SIZE_LIMIT
                          or self.central_size >= ZIP64_SIZE_LIMIT)
        end_size = END_RECORD.size + (ZIP64_END_RECORD.size + ZIP64_LOCATOR.size if self.zip64_end else 0)
        self.length = self.central_offset + self.central_size + end_size

    def _end_records(self) -> bytes:
        count = len(self.planned)
        end_of_central = self.central_offset + self.central_size
        records = b""
        if self.zip64_end:
            records += ZIP64_END_RECORD.pack(0x06064B50, ZIP64_END_RECORD.size - 12, (3 << 8) | 45, 45, 0, 0,
                                             count, count, self.central_size, self.central_offset)
            records += ZIP64_LOCATOR.pack(0x07064B50, 0, end_of_central, 1)
            count16, size32, offset32 = ZIP16_MAX, ZIP32_MAX, ZIP32_MAX
        else:
            count16, size32, offset32 = count, self.central_size, self.central_offset
        records += END_RECORD.pack(0x06054B50, 0, 0, count16, count16, size32, offset32, 0)
        return records

    def _segments(self) -> Iterator[tuple[int, Callable[[int, int], Iterable[bytes]]]]:
        """(length, producer(start, end)) for each piece of the archive, in order; built lazily."""
        for planned in self.planned:
            header = planned.local_header
            yield planned.local_length, lambda a, b, header=header: [header()[a:b]]
            yield planned.entry.size, lambda a, b, entry=planned.entry: self._entry_bytes(entry, a, b)
        for planned in self.planned:
            yield planned.central_length, lambda a, b, planned=planned: [planned.central_header()[a:b]]
        tail_length = self.length - self.central_offset - self.central_size
        yield tail_length, lambda a, b: [self._end_records()[a:b]]

    def _entry_bytes(self, entry: ZipEntry, a: int, b: int) -> Iterable[bytes]:
        if entry.location_free is None:
            return self._read(entry.key, a, b)
        return entry.location_free.iter_bytes(a, b, lambda start, end: self._read(entry.key, start, end))

    def bind(self, read: Callable[[str, int, int], Iterable[bytes]]) -> "ZipPlan":
        """Give the plan its byte source: read(key, start, end_exclusive) -> chunks."""
        self._read = read
        return self

    def iter_bytes(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes start..end (end exclusive; None: to the end of the archive)."""
        end = self.length if end is None else min(end, self.length)
        position = 0
        for length, produce in self._segments():
            segment_end = position + length
            if segment_end > start and position < end:
                a = max(start, position) - position
                b = min(end, segment_end) - position
                for chunk in produce(a, b):
                    if chunk:
                        yield chunk
            position = segment_end
            if position >= end:
                break


def crc32_of(chunks: Iterable[bytes]) -> int:
    value = 0
    for chunk in chunks:
        value = zlib.crc32(chunk, value)
    return value & 0xFFFFFFFF
