"""Signed, non-expiring tokens for the links in a message (unsubscribe, open pixel, click, survey).

They carry only our own ids (and, for clicks, the target URL we wrote), so a forged or
edited link fails the HMAC check; unsubscribe links must keep working for years (RFC 8058).
"""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from gallery.core.keyring import itsdangerous_keys
from gallery.errors import Problem

PURPOSES = ("unsubscribe", "open", "click", "survey")


def _serializer(purpose: str) -> URLSafeSerializer:
    return _serializer_for(tuple(itsdangerous_keys()), purpose)


@lru_cache(maxsize=32)
def _serializer_for(keys: tuple[str, ...], purpose: str) -> URLSafeSerializer:
    """One serializer per key set and purpose (a mail signs four links; building them each time was a cost)."""
    return URLSafeSerializer(list(keys), salt=f"retention.{purpose}")


def sign(purpose: str, value) -> str:
    return _serializer(purpose).dumps(value)


def verify(purpose: str, token: str):
    try:
        return _serializer(purpose).loads(token)
    except BadSignature:
        raise Problem(404, "This link is not valid; it may have been copied incompletely.") from None


def url(purpose: str, value, suffix: str = "") -> str:
    base = current_app.config["GALLERY"].public_base_url.rstrip("/")
    prefix = {"unsubscribe": "/u/", "open": "/t/o/", "click": "/t/c/", "survey": "/t/s/"}[purpose]
    return f"{base}{prefix}{sign(purpose, value)}{suffix}"
