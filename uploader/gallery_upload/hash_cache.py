"""Content hashes remembered between runs, keyed by (path, size, mtime): a second run over 2,000 photos
(after Ctrl-C, or with --watch restarted) does not read 50 GB again to learn what it already knows.

A small SQLite file in the user's cache folder (GALLERY_UPLOAD_CACHE overrides it; "off" disables it).
A file changed in place gets a new mtime and so a new entry; the server checks every hash anyway.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path


def default_location() -> Path | None:
    configured = os.environ.get("GALLERY_UPLOAD_CACHE")
    if configured:
        return None if configured.lower() == "off" else Path(configured)
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gallery-upload" / "hashes.sqlite3"


class HashCache:
    def __init__(self, location: Path | None = None):
        self.db = None
        location = location if location is not None else default_location()
        if location is None:
            return
        try:
            location.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(location, isolation_level=None, check_same_thread=False, timeout=5)
            self.db.execute("CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, size INTEGER, "
                            "mtime_ns INTEGER, sha256 TEXT)")
        except (OSError, sqlite3.Error):
            self.db = None  # a read-only home or a locked file: hash every time, as without a cache

    def get(self, path: Path, size: int, mtime_ns: int) -> str | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT sha256 FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
                                  (str(path.resolve()), size, mtime_ns)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put(self, path: Path, size: int, mtime_ns: int, sha256: str) -> None:
        if self.db is None:
            return
        try:
            self.db.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)",
                            (str(path.resolve()), size, mtime_ns, sha256))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
