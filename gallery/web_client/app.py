"""Every gallery as an installable app: a web app manifest named after the gallery, icons cut from its cover,
and a service worker scoped to the gallery's address (`/g/{token}`), which keeps the page, its script and the
photos already seen, so the gallery opens from the home screen, offline too.

Icons use the cover as this link may see it (a watermarked gallery's icon comes from the watermarked image);
with no usable cover, the studio's accent colour.
"""
from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, request
from flask_smorest import Blueprint
from PIL import Image, ImageOps

from gallery.accounts.branding import studio_brand
from gallery.errors import Problem
from gallery.sharing.access import find_link, link_state_problem, resolve_share
from gallery.storage import ObjectNotFound, get_storage
from gallery.web_client import services

blp = Blueprint("gallery_app", __name__, description="The gallery as an installable web app (manifest, icons, "
                                                     "service worker)")

ICON_SIZES = (192, 512)
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "page" / "sw.js"
ICON_MAX_AGE = 24 * 3600


def _open(token: str):
    link, gallery = find_link(token)  # 404 for no such link
    problem = link_state_problem(link, gallery)
    if problem is not None:
        raise problem
    return link, gallery, resolve_share(token, require_unlocked=False)


@blp.get("/g/<token>/manifest.webmanifest")
@blp.response(200, description="The web app manifest (application/manifest+json).")
def manifest(token):
    """The gallery's web app manifest: its title as the name, icons from its cover, scoped to /g/{token}."""
    link, gallery, access = _open(token)
    photographer = services.photographer_of(gallery)
    accent = studio_brand(photographer)["accent"]
    scope = f"/g/{token}"
    body = {
        "id": scope, "name": f"{gallery.title} · {photographer.studio_name}"[:120], "short_name": gallery.title[:30],
        "description": gallery.description[:300] if gallery.description else photographer.studio_name,
        "start_url": scope, "scope": scope, "display": "standalone", "orientation": "any",
        "background_color": "#ffffff", "theme_color": accent,
        "icons": [{"src": f"{scope}/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any"} for size in ICON_SIZES]
                 + [{"src": f"{scope}/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"}],
    }
    response = current_app.response_class(current_app.json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@blp.get("/g/<token>/icon-<int:size>.png")
@blp.response(200, description="A square PNG icon (192 or 512 px) cut from the gallery's cover.")
def icon(token, size):
    """The app icon: the cover (as this link may see it) cropped square, or the studio's accent colour."""
    if size not in ICON_SIZES:
        raise Problem(404, "Icons come in 192 and 512 px.")
    link, gallery, access = _open(token)
    source = None
    if not access.locked:
        cover = services.cover_photo(access)
        rendition = services.icon_rendition(access, cover, size) if cover else None
        if rendition is not None:
            try:
                source = b"".join(get_storage().iter_range(rendition.storage_key))
            except ObjectNotFound:
                source = None
    accent = studio_brand(services.photographer_of(gallery))["accent"]
    etag = hashlib.sha256(f"{size}:{hashlib.sha256(source).hexdigest() if source else ''}:{accent}".encode()
                          ).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    png = _icon_png(source, size, accent)
    return Response(png, mimetype="image/png", headers={"ETag": f'"{etag}"',
                                                         "Cache-Control": f"private, max-age={ICON_MAX_AGE}"})


def _icon_png(source: bytes | None, size: int, accent: str) -> bytes:
    image = None
    if source:
        try:
            image = ImageOps.fit(Image.open(io.BytesIO(source)).convert("RGB"), (size, size),
                                 Image.Resampling.LANCZOS)
        except (OSError, ValueError):
            image = None
    if image is None:
        image = Image.new("RGB", (size, size), accent)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@blp.get("/g/<token>/sw.js")
@blp.response(200, description="The gallery's service worker (JavaScript), allowed the scope /g/{token}.")
def service_worker(token):
    """The service worker: caches the page, its script and the photos already seen, for the gallery offline."""
    _open(token)
    response = Response(SERVICE_WORKER.read_bytes(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = f"/g/{token}"
    response.headers["Cache-Control"] = "no-cache"
    return response


# Two-letter region codes CLDR names that are not countries one ships to.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ", "BV", "HM", "CP", "DG", "EA", "IC", "TA"}


@lru_cache(maxsize=8)
def _countries(language: str) -> bytes:
    from babel import Locale

    names = Locale.parse(language).territories
    countries = sorted(((code, name) for code, name in names.items()
                        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES),
                       key=lambda item: collation_key(item[1]))
    return json.dumps({"language": language, "countries": countries}, ensure_ascii=False).encode()


def collation_key(name: str) -> str:
    # Accents sort with their letter (Å after A is the Nordic rule, but a picker is searched by typing anyway).
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@blp.get("/g/countries/<language>.json")
@blp.response(200, description="[[ISO 3166-1 alpha-2 code, name in the language], ...], sorted by name.")
def countries(language):
    """Country names in one of the page's languages, for the shipping address (the API takes the ISO code)."""
    from gallery.web_client.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise Problem(404, "No country names in that language.")
    response = Response(_countries(language), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
