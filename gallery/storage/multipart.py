"""Multipart uploads on the local filesystem, in the shape of S3's (start, parts, list, complete, abort),
so a resumable upload through the app works the same way as a direct upload to the bucket.

Parts live under `<root>/.multipart/<upload_id>/` until the upload completes; each part is written to
a temporary file and renamed, so a part is either there whole or not at all (a cut connection leaves
nothing behind). Its name carries its number and MD5 (the ETag the client sends back to complete).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PART = re.compile(r"^(\d{5})-([0-9a-f]{32})$")


class MultipartError(ValueError):
    """The storage refused a multipart operation; `code` is S3's name for it (NoSuchUpload, InvalidPart)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


class ShortPart(MultipartError):
    def __init__(self, received: int, expected: int):
        super().__init__("IncompleteBody", f"received {received} of {expected} bytes")
        self.received = received


class LocalMultipart:
    """Mixed into LocalStorage (which provides `root` and `save`)."""

    root: Path

    def _upload_dir(self, upload_id: str) -> Path:
        if not _UPLOAD_ID.match(upload_id or ""):
            raise MultipartError("NoSuchUpload", "unknown upload id")
        return self.root / ".multipart" / upload_id

    def start_multipart(self, key: str, *, content_type: str | None = None) -> str:
        self.path(key)  # type: ignore[attr-defined]  # refuses unsafe keys now, not at completion
        upload_id = secrets.token_urlsafe(24)
        self._upload_dir(upload_id).mkdir(parents=True)
        return upload_id

    def upload_part(self, upload_id: str, part_number: int, stream: BinaryIO, expected: int) -> dict:
        """Write exactly `expected` bytes from `stream` as part `part_number`; a shorter body stores nothing."""
        folder = self._upload_dir(upload_id)
        if not folder.is_dir():
            raise MultipartError("NoSuchUpload", "the upload was completed, aborted or never started")
        digest, written = hashlib.md5(usedforsecurity=False), 0
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                while written < expected:
                    block = stream.read(min(CHUNK, expected - written))
                    if not block:
                        break
                    digest.update(block)
                    out.write(block)
                    written += len(block)
            if written != expected:
                raise ShortPart(written, expected)
            for old in folder.glob(f"{part_number:05d}-*"):  # a part sent again replaces the first
                old.unlink(missing_ok=True)
            os.replace(tmp, folder / f"{part_number:05d}-{digest.hexdigest()}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return {"part_number": part_number, "etag": f'"{digest.hexdigest()}"', "bytes": written}

    def list_parts(self, key: str, upload_id: str) -> list[dict]:
        folder = self._upload_dir(upload_id)
        if not folder.is_dir():
            raise MultipartError("NoSuchUpload", "the upload was completed, aborted or never started")
        parts = []
        for entry in folder.iterdir():
            match = _PART.match(entry.name)
            if match:
                parts.append({"part_number": int(match[1]), "etag": f'"{match[2]}"', "bytes": entry.stat().st_size})
        return sorted(parts, key=lambda p: p["part_number"])

    def complete_multipart(self, key: str, upload_id: str, parts: list[dict]) -> None:
        stored = {p["part_number"]: p for p in self.list_parts(key, upload_id)}
        wanted = sorted(parts, key=lambda p: p["part_number"])
        for part in wanted:
            have = stored.get(part["part_number"])
            if have is None or have["etag"].strip('"') != str(part["etag"]).strip('"'):
                raise MultipartError("InvalidPart", f"part {part['part_number']} is missing or its ETag differs")
        folder = self._upload_dir(upload_id)
        files = [folder / f"{p['part_number']:05d}-{stored[p['part_number']]['etag'].strip(chr(34))}" for p in wanted]
        target = self.path(key)  # type: ignore[attr-defined]
        target.parent.mkdir(parents=True, exist_ok=True)
        # The first part becomes the object: the others are appended to it, then it is renamed into place
        # (same file system), so the bytes are written once more at most, never copied whole.
        # Part 1 leaves the part list first: if the process dies half-way, the upload lacks part 1 (sent again
        # on resume) rather than holding a part 1 longer than its ETag says.
        assembling = folder / ".assembling"
        os.replace(files[0], assembling)
        with assembling.open("ab") as out:
            for path in files[1:]:
                with path.open("rb") as part:
                    shutil.copyfileobj(part, out, CHUNK)
        os.replace(assembling, target)
        shutil.rmtree(folder, ignore_errors=True)

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            shutil.rmtree(self._upload_dir(upload_id), ignore_errors=True)
        except MultipartError:
            pass

