"""The photos of an export folder: which files, their type, content hash, capture time, set and order."""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

CHUNK = 1024 * 1024
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "webp": "image/webp",
                 "heic": "image/heic"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class Cancelled(Exception):
    """Work stopped because the photographer pressed Ctrl-C."""


@dataclass
class LocalFile:
    path: Path
    size: int
    mtime_ns: int = 0
    set_name: str | None = None
    sha256: str = ""
    content_type: str | None = None
    taken_at: datetime | None = None
    photo_id: str | None = None  # once the gallery has it
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


def sniff(head: bytes) -> str | None:
    """The image type by magic bytes (the server judges again; this only skips what is plainly no photo)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and (head[8:12] in _HEIF_BRANDS or any(b in head[16:64] for b in _HEIF_BRANDS)):
        return "heic"
    return None


def is_candidate(path: Path) -> bool:
    """Hidden files and the temporary files editors write while exporting are never candidates."""
    name = path.name
    return not (name.startswith((".", "~")) or name.endswith((".tmp", ".part", ".crdownload", ".download")))


def find_files(folder: Path, *, recursive: bool = False, sets_from_folders: bool = False,
               set_name: str | None = None) -> list[LocalFile]:
    """Files of `folder` (sub-folders too when recursive or sets come from folders), each with its set:
    the first-level sub-folder's name with --sets-from-folders (files at the top take `set_name`)."""
    pattern = "**/*" if recursive or sets_from_folders else "*"
    found = []
    for path in sorted(folder.glob(pattern)):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not is_candidate(path):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue  # vanished between listing and stat
        if not path.is_file():
            continue
        in_set = relative.parts[0][:120] if sets_from_folders and len(relative.parts) > 1 else set_name
        found.append(LocalFile(path, stat.st_size, stat.st_mtime_ns, set_name=in_set))
    return found


def look(local: LocalFile, *, capture_time: bool = False) -> LocalFile:
    """Type (magic bytes) and, if asked, the capture time: reads only the head of the file."""
    with local.path.open("rb") as handle:
        local.content_type = CONTENT_TYPES.get(sniff(handle.read(64)))
    if capture_time and local.content_type:
        local.taken_at = read_capture_time(local.path)
    return local


def hash_file(local: LocalFile, cancel: threading.Event) -> LocalFile:
    """sha256 in one pass; stops between two blocks when `cancel` is set (Ctrl-C)."""
    digest = hashlib.sha256()
    with local.path.open("rb") as handle:
        while block := handle.read(CHUNK):
            if cancel.is_set():
                raise Cancelled()
            digest.update(block)
    local.sha256 = digest.hexdigest()
    return local


def read_capture_time(path: Path) -> datetime | None:
    """EXIF DateTimeOriginal (else DateTimeDigitized, else DateTime), with sub-seconds, or None."""
    import exifread

    logging.getLogger("exifread").setLevel(logging.ERROR)
    try:
        with path.open("rb") as handle:
            tags = exifread.process_file(handle, details=False, extract_thumbnail=False)
    except Exception:  # noqa: BLE001 - a file exifread cannot read simply has no capture time
        return None
    for name, sub in (("EXIF DateTimeOriginal", "EXIF SubSecTimeOriginal"),
                      ("EXIF DateTimeDigitized", "EXIF SubSecTimeDigitized"), ("Image DateTime", "EXIF SubSecTime")):
        value = tags.get(name)
        if value is None:
            continue
        try:
            moment = datetime.strptime(str(value).strip()[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        fraction = str(tags.get(sub) or "").strip()
        if fraction.isdigit():
            moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
        return moment
    return None


def ordered(files: list[LocalFile], order: str) -> list[LocalFile]:
    """Gallery order: by capture time (files without one after, by name) or by file name (natural: 2 < 10)."""
    def natural(local: LocalFile):
        import re

        relative = str(local.path).lower()
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", relative)]

    if order == "capture":
        return sorted(files, key=lambda f: (f.taken_at is None, f.taken_at or datetime.min, natural(f)))
    return sorted(files, key=natural)


def set_names_in_order(files: list[LocalFile]) -> list[str]:
    """Sets in the order their first photo appears (so Ceremony comes before Reception by capture time)."""
    return list(dict.fromkeys(f.set_name for f in files if f.set_name))
