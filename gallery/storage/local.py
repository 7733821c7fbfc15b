"""Local filesystem storage (the embedded default), under var/storage."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from flask import Response, send_file

from gallery.core.filenames import content_disposition
from gallery.storage.base import ObjectNotFound

_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$")
CHUNK = 1024 * 1024


class LocalStorage:
    def __init__(self, root: str | Path, send_header: str | None = None, accel_prefix: str = "/protected/"):
        self.root = Path(root).resolve()
        self.send_header = send_header
        self.accel_prefix = accel_prefix

    @classmethod
    def from_settings(cls, settings) -> "LocalStorage":
        return cls(settings.storage_dir, settings.storage_send_header, settings.storage_accel_prefix)

    def path(self, key: str) -> Path:
        # Keys are ours, but check anyway: a key never leaves the storage root.
        if not _SAFE_KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root / key

    def save(self, key: str, stream: BinaryIO, *, content_type: str | None = None) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename: a reader never sees half an object.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
                written = out.tell()
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written

    def save_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> int:
        import io

        return self.save(key, io.BytesIO(data), content_type=content_type)

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def iter_range(self, key: str, start: int = 0, end: int | None = None, chunk_size: int = CHUNK) -> Iterator[bytes]:
        with self.open(key) as handle:
            handle.seek(start)
            remaining = None if end is None else end - start
            while remaining is None or remaining > 0:
                block = handle.read(chunk_size if remaining is None else min(chunk_size, remaining))
                if not block:
                    break
                if remaining is not None:
                    remaining -= len(block)
                yield block

    def size(self, key: str) -> int:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        folder = self.path(prefix.rstrip("/"))
        if folder.is_dir():
            shutil.rmtree(folder)
        else:
            folder.unlink(missing_ok=True)

    def serve(self, key: str, *, content_type: str | None = None, download_name: str | None = None) -> Response:
        path = self.path(key)
        if not path.is_file():
            raise ObjectNotFound(key)
        if self.send_header:
            # The front web server (nginx, Apache) sends the bytes; the app only authorised.
            response = Response(status=200, mimetype=content_type or "application/octet-stream")
            value = self.accel_prefix + key if self.send_header == "X-Accel-Redirect" else str(path)
            response.headers[self.send_header] = value
        else:
            response = send_file(path, mimetype=content_type or _guess_type(key), conditional=True, max_age=3600)
        if download_name:
            response.headers["Content-Disposition"] = content_disposition(download_name)
        return response


def _guess_type(key: str) -> str:
    import mimetypes

    return mimetypes.guess_type(key)[0] or "application/octet-stream"
