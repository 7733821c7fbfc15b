"""Opaque, time-sortable identifiers (ULID layout, lowercase Crockford base32).

Sortable ids let lists paginate on the primary key alone; the 80 random bits
make ids unguessable enough that a typo never lands on someone else's row
(authorisation never relies on that: every query is scoped to its owner).
"""
import secrets
import threading
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 26


_last = (0, 0)
_lock = threading.Lock()


def new_id() -> str:
    """Monotonic within a process (ULID's rule): ids made in the same millisecond count up from a random
    start, so "newest first" holds for things created back to back."""
    global _last
    with _lock:
        millis, random = int(time.time() * 1000), secrets.randbits(80)
        if millis <= _last[0] and _last[1] < (1 << 80) - 1:
            millis, random = _last[0], _last[1] + 1
        _last = (millis, random)
    value = (millis << 80) | random
    chars = []
    for _ in range(ID_LENGTH):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_token(nbytes: int = 24) -> str:
    """A secret for URLs (share links, unsubscribe): nbytes*8 random bits."""
    return secrets.token_urlsafe(nbytes)
