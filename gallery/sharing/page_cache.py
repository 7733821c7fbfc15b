"""Share-API responses served from a cache, with ETags: a page a visitor has seen costs a lookup, and a page
their browser already holds costs a 304.

The key of a response names everything its bytes depend on:
- the route and its query arguments as sent (cursor, limit, set, list);
- the share link (its id and role) and the gallery with its `state_version`;
- the visitor (id and `state_version`), or nobody;
- the signing bucket of the URLs inside (signed URLs are identical within one bucket of `GALLERY_SIGNED_URL_TTL`
  seconds, gallery.galleries.access.ShareAccess.signed_url) and the signing secret;
- the response format (FORMAT, bumped when a cached route's JSON changes shape).
The versions are bumped by every write that changes what a link shows (gallery.sharing.versions), in the same
transaction, and are read with the link on every request: a changed gallery or visitor misses at once on every
process, and one visitor's or link's view can never answer another's (their ids are in the key). Revoked or
expired links, unpublished or expired galleries are refused before the cache is asked.

Bodies live in gallery.core.response_cache (Redis when configured, else per process), with their brotli and gzip
encodings beside them, so a browser's compressed response is not compressed again on every request.
"""
from __future__ import annotations

import gzip
import hashlib
from functools import wraps

from flask import Response, current_app, request

from gallery.core import clock
from gallery.core.response_cache import store

FORMAT = "1"
MIN_COMPRESS_BYTES = 1024
CACHE_CONTROL = "private, no-cache"  # the browser keeps it, and asks (If-None-Match) before using it again


def cached(route: str):
    """Route decorator, between `share_access` (which passes `access`) and the argument parsing: answers 304 when
    the request's If-None-Match holds the ETag, else the cached body, before the arguments are even parsed (the key
    holds the raw query; a malformed one is refused by the view and so never cached). On a miss the view runs and
    its 200 JSON response is kept until its signed URLs' bucket ends."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, access, **kwargs):
            key, ttl = _key(access, route, sorted(request.args.items(multi=True)))
            etag = key[:32]
            if request.if_none_match.contains_weak(etag):
                return _conditional(Response(status=304), etag)
            cache = store()
            body = cache.get(key)
            if body is None:
                response = view(*args, access=access, **kwargs)
                if response.status_code != 200 or response.mimetype != "application/json":
                    return response
                body = response.get_data()
                cache.set(key, body, ttl)
            return _respond(cache, key, body, etag, ttl)

        return wrapper

    return decorator


def _respond(cache, key: str, body: bytes, etag: str, ttl: int) -> Response:
    response = current_app.response_class(body, mimetype="application/json")
    encoding = _encoding() if len(body) >= MIN_COMPRESS_BYTES else None
    if encoding is not None:
        encoded = cache.get(f"{key}:{encoding}")
        if encoded is None:
            encoded = _compress(body, encoding)
            cache.set(f"{key}:{encoding}", encoded, ttl)
        response.set_data(encoded)
        response.headers["Content-Encoding"] = encoding  # (Flask-Compress leaves encoded responses alone)
    return _conditional(response, etag)


def _conditional(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)  # one validator for every encoding of the same JSON
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Vary"] = "Accept-Encoding, Authorization, Cookie"
    return response


def _key(access, route: str, args: list[tuple[str, str]]) -> tuple[str, int]:
    settings = current_app.config["GALLERY"]
    ttl = settings.signed_url_ttl
    now = int(clock.now().timestamp())
    bucket = now // ttl
    visitor = access.visitor
    parts = [FORMAT, route, _secret_fingerprint(), str(bucket), access.link.id, access.role, access.gallery.id,
             str(access.gallery.state_version),
             f"{visitor.id}:{visitor.state_version}" if visitor is not None else "-",
             *(f"{name}={value}" for name, value in args)]
    key = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return key, (bucket + 1) * ttl - now + 1


def _secret_fingerprint() -> str:
    cached = current_app.extensions.get("share_page_secret")
    if cached is None:
        secret = current_app.config["SECRET_KEY"].encode()
        cached = current_app.extensions["share_page_secret"] = hashlib.sha256(b"share-page\0" + secret).hexdigest()[:16]
    return cached


def _encoding() -> str | None:
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding]:
            return encoding
    return None


def _compress(body: bytes, encoding: str) -> bytes:
    config = current_app.config
    if encoding == "br":
        import brotli

        return brotli.compress(body, quality=config.get("COMPRESS_BR_LEVEL", 4))
    return gzip.compress(body, compresslevel=config.get("COMPRESS_LEVEL", 6), mtime=0)
