"""Where the API token comes from: --token, GALLERY_TOKEN, or the OS keyring (the `keyring` extra)."""
from __future__ import annotations

import os

SERVICE = "gallery-upload"


class NoToken(Exception):
    pass


def _keyring():
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def resolve(url: str, given: str | None, *, save: bool = False) -> str:
    if save:
        if not given:
            raise NoToken("--save-token stores the token given with --token; pass one.")
        store = _keyring()
        if store is None:
            raise NoToken("The OS keyring needs the keyring extra: pipx install './uploader[keyring]'.")
        store.set_password(SERVICE, url.rstrip("/"), given)
    token = given or os.environ.get("GALLERY_TOKEN") or os.environ.get("GALLERY_API_TOKEN")
    if not token and (store := _keyring()) is not None:
        try:
            token = store.get_password(SERVICE, url.rstrip("/"))
        except Exception:  # noqa: BLE001 - no usable keyring backend on this machine
            token = None
    if not token:
        raise NoToken("No API token: set GALLERY_TOKEN, pass --token, or store one in the OS keyring "
                      "with --token TOKEN --save-token.")
    return token
