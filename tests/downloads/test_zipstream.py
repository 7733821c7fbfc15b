"""The zip layout itself, including zip64 (thresholds lowered so the test stays small)."""
import io
import os
import zipfile

import pytest

from gallery.downloads import zipstream
from gallery.downloads.zipstream import ZipEntry, ZipPlan, crc32_of


def build(files, names):
    entries = [ZipEntry(name, key, len(data), crc32_of([data])) for name, (key, data) in zip(names, files.items())]
    return ZipPlan(entries).bind(lambda key, a, b: [files[key][a:b]])


@pytest.mark.parametrize("zip64", [False, True])
def test_any_slice_equals_the_same_bytes_of_the_whole(monkeypatch, zip64):
    if zip64:
        monkeypatch.setattr(zipstream, "ZIP64_SIZE_LIMIT", 3000)
        monkeypatch.setattr(zipstream, "ZIP64_COUNT_LIMIT", 10)
    files = {f"k{i}": os.urandom(i * 211) for i in range(40)}
    plan = build(files, [f"föto {i}.jpg" for i in range(40)])
    whole = b"".join(plan.iter_bytes())
    assert len(whole) == plan.length and plan.zip64_end is zip64
    archive = zipfile.ZipFile(io.BytesIO(whole))
    assert archive.testzip() is None
    assert [archive.read(f"föto {i}.jpg") for i in range(40)] == list(files.values())
    for start in (0, 1, 29, 30, 31, 5000, plan.length - 23, plan.length - 1):
        for end in (start + 1, start + 4096, None):
            assert b"".join(plan.iter_bytes(start, end)) == whole[start:end]


def test_empty_files_and_dos_dates():
    from datetime import UTC, datetime

    plan = ZipPlan([ZipEntry("empty.txt", "e", 0, 0, datetime(2026, 6, 20, 14, 30, 10, tzinfo=UTC))]).bind(
        lambda key, a, b: [b""])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(plan.iter_bytes())))
    assert archive.read("empty.txt") == b"" and archive.infolist()[0].date_time == (2026, 6, 20, 14, 30, 10)
