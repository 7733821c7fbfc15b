"""The app's signing keys: the current secret key and the old ones still accepted (key rotation).

Every signer asks here, so one setting (`GALLERY_SECRET_KEY_FALLBACKS`) keeps sessions, CSRF tokens,
signed object URLs, unlock and visitor tokens and the unsubscribe links in mail already sent valid
after `GALLERY_SECRET_KEY` changes; new signatures always use the current key. Dropping an old key
from the fallbacks ends everything signed with it.
"""
from __future__ import annotations

from flask import current_app


def current_key() -> str:
    return current_app.config["SECRET_KEY"]


def verification_keys() -> list[str]:
    """Keys a signature may have been made with: the current one first, then the fallbacks, newest first."""
    return [current_app.config["SECRET_KEY"], *current_app.config.get("SECRET_KEY_FALLBACKS", ())]


def itsdangerous_keys() -> list[str]:
    """The same keys in itsdangerous' order (oldest first, the signing key last)."""
    return list(reversed(verification_keys()))
