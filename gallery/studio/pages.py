"""GET /studio: the shell page of the studio (an ES-module app on the public /api/v1, no build step).

The page carries no data: the app logs in, reads and writes through /api/v1 like any other front end.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, make_response, render_template, request, url_for
from flask_smorest import Blueprint

blp = Blueprint("studio", __name__, description="The photographer's studio (HTML shell of the web app)")

LANGUAGES = {"en": "English", "nb": "Norsk bokmål", "pl": "Polski", "hr": "Hrvatski", "id": "Bahasa Indonesia"}
VENDOR = {
    "preact": "vendor/preact-10.29.8/preact.module.js",
    "preact/hooks": "vendor/preact-10.29.8/hooks.module.js",
    "htm": "vendor/htm-3.1.1/htm.module.js",
    "uqr": "vendor/uqr-0.1.3/index.mjs",
}


def _import_map() -> str:
    return json.dumps({"imports": {name: url_for("static", filename=path) for name, path in VENDOR.items()}})


@lru_cache(maxsize=8)
def _script_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _storage_origins() -> list[str]:
    """Where the browser PUTs direct uploads and follows signed thumbnail redirects (S3, a CDN)."""
    settings = current_app.config["GALLERY"]
    origins = [o for o in (_origin(settings.cdn_base_url),) if o]
    if settings.storage_backend == "s3":
        origins.append(_origin(settings.s3_endpoint_url) or "https://*.amazonaws.com")
    return origins


def _language() -> str:
    chosen = request.cookies.get("studio_lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


@blp.get("/studio")
@blp.response(200, description="The studio web app (HTML shell).")
def studio():
    """The photographer's studio: galleries, uploads, sharing and proofing results, in the browser."""
    import_map = _import_map()
    extra = " ".join(_storage_origins())
    csp = ("default-src 'self'; "
           f"script-src 'self' {_script_hash(import_map)}; "
           "style-src 'self' 'unsafe-inline'; "
           f"img-src 'self' data: blob: {extra}; "
           f"connect-src 'self' {extra}; "
           "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    html = render_template("studio/index.html", import_map=import_map, lang=_language(), languages=LANGUAGES)
    response = make_response(html)
    response.headers["Content-Security-Policy"] = csp
    response.headers["Cache-Control"] = "no-cache"
    return response
