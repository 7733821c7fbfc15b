"""The edge of every request: body size by route, and text that no route should ever see.

One `before_request` hook (installed first, before anything reads the body):

- each route has a body limit that fits it: small for JSON (`GALLERY_MAX_JSON_BYTES`, 256 KB by default,
  less on the unauthenticated auth routes), large only where a route says so with `@body_limit(...)`
  (photo uploads). A declared Content-Length over the limit is refused at once with 413, before a byte is
  read; a chunked body is cut off with 413 while it is being read (werkzeug's limited stream);
- NUL characters and lone surrogates in the path, the path parameters or the query string answer 400:
  no database column can store them (PostgreSQL refuses NUL in text) and no person types them.

JSON bodies are parsed in `gallery.core.parsing` (depth, sizes and the same text rule).
"""
from __future__ import annotations

import re
from typing import Callable

from flask import current_app, request

from gallery.errors import Problem

# Characters no text field may hold: NUL (PostgreSQL text cannot store it) and UTF-16 surrogates, which are
# not characters at all (a lone one cannot even be encoded to UTF-8).
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

SMALL_BODY = 16 * 1024  # login, signup, codes: a few short fields


def forbidden_text(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def body_limit(limit: int | Callable[[], int]):
    """Route decorator: this route accepts bodies up to `limit` bytes (or `limit()`, read per request).
    Put it right above the `def` so the attribute travels through the other decorators (functools.wraps)."""

    def decorator(view):
        view.body_limit = limit
        return view

    return decorator


def route_body_limit() -> int:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    limit = getattr(view, "body_limit", None)
    if limit is None:
        return current_app.config["GALLERY"].max_json_bytes
    return limit() if callable(limit) else limit


def guard_request() -> None:
    """before_request: refuse an oversized body before reading it; refuse unreadable text in the URL."""
    limit = route_body_limit()
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise Problem(413, f"The request body is too large for this route ({length} bytes; at most {limit}).",
                      max_bytes=limit)
    _check_url()


def read_body() -> bytes:
    """The whole (small) body, cached. A chunked body is cut at the route's limit by werkzeug without an
    error; reaching the limit exactly means there was more, so that is a 413 too."""
    body = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(body) >= limit:
        raise Problem(413, f"The request body is too large for this route (at most {limit} bytes).",
                      max_bytes=limit)
    return body


def _check_url() -> None:
    bad = None
    if forbidden_text(request.path):
        bad = "path"
    else:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, str) and forbidden_text(value):
                bad = name
                break
        else:
            for name, value in request.args.items(multi=True):
                if forbidden_text(name) or forbidden_text(value):
                    bad = name if not forbidden_text(name) else "query"
                    break
    if bad is not None:
        raise Problem(400, "The address holds characters no text may contain (NUL or a lone surrogate).",
                      errors={bad: ["Contains a NUL character or a lone surrogate."]})
