"""Safe Content-Disposition values (RFC 6266 / RFC 5987) for any file name."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name: str, fallback: str = "download") -> str:
    """A file name with no path, control characters or quotes; keeps Unicode letters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:200] or fallback


def content_disposition(name: str, disposition: str = "attachment") -> str:
    name = safe_filename(name)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "_")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
