"""Opaque, time-sortable identifiers (ULID layout, lowercase Crockford base32).

Sortable ids let lists paginate on the primary key alone; the 80 random bits
make ids unguessable enough that a typo never lands on someone else's row
(authorisation never relies on that: every query is scoped to its owner).
"""
import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 26


def new_id() -> str:
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(ID_LENGTH):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_token(nbytes: int = 24) -> str:
    """A secret for URLs (share links, unsubscribe): nbytes*8 random bits."""
    return secrets.token_urlsafe(nbytes)
