"""One spelling of an email address, for every comparison, lookup and rate-limit key.

NFKC folds compatibility forms (full-width letters, ligatures), casefold folds case beyond ASCII, the
domain is encoded to its IDNA (ASCII) form. Two spellings that reach the same mailbox in practice give the
same string, so `victim@ｅxample.com` cannot collect codes or budgets apart from `victim@example.com`.
"""
from __future__ import annotations

import unicodedata


def normalize_email(raw: str) -> str:
    value = unicodedata.normalize("NFKC", str(raw or "")).strip().casefold()
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    domain = domain.rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a valid IDNA name: keep the folded form (validation rejects it elsewhere)
    return f"{local}@{domain}"
