"""The studio's uploaded logo: checked and re-encoded (gallery.imaging.logo), kept through the storage layer,
and served from one address per studio (`/api/v1/logos/{photographer_id}`), which the client page and every
mail show (gallery.accounts.branding.logo_url). The address carries `?v=` the logo's digest, so a browser
or mail client may keep it for a year and a new logo is fetched at once.

A replaced or removed logo's object is deleted once the change is committed; mail sent before shows the
new logo (or the studio's name, its alt text) from the same address.
"""
from __future__ import annotations

import hashlib

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from gallery.accounts.models import Photographer
from gallery.core.transaction import after_commit
from gallery.errors import Problem
from gallery.extensions import db
from gallery.imaging.errors import ImageRejected
from gallery.imaging.logo import MAX_LOGO_BYTES, normalise_logo
from gallery.storage import ObjectNotFound, get_storage
from gallery.storage.keys import logo_key

UPLOAD_LIMIT = MAX_LOGO_BYTES + 64 * 1024  # the picture and its multipart framing
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
_LOGO_FIELDS = ("logo_key", "logo_version", "logo_width", "logo_height")


def uploaded_bytes() -> bytes:
    """The `file` field of a multipart/form-data request (the route's body limit already applies)."""
    if request.mimetype != "multipart/form-data":
        raise Problem(415, "Send the logo as multipart/form-data with a `file` field.")
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise Problem(413, f"The logo is too large (at most {MAX_LOGO_BYTES} bytes).",
                      max_bytes=MAX_LOGO_BYTES) from None
    if upload is None:
        raise Problem(422, "No file in the upload.", errors={"file": ["Missing file field."]})
    data = upload.stream.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise Problem(413, f"The logo is too large (at most {MAX_LOGO_BYTES} bytes).", max_bytes=MAX_LOGO_BYTES)
    return data


def set_logo(photographer: Photographer, data: bytes) -> dict:
    """Check, re-encode and store a new logo; 422 with the reason when it is not one."""
    try:
        png, width, height = normalise_logo(data)
    except ImageRejected as error:
        raise Problem(422, str(error), errors={"file": [str(error)]}) from None
    version = hashlib.sha256(png).hexdigest()[:16]
    key = logo_key(photographer.id, version)
    get_storage().save_bytes(key, png, content_type="image/png")
    branding = dict(photographer.branding or {})
    _forget_after_commit(branding.get("logo_key"), keep=key)
    branding.pop("logo_url", None)  # an uploaded logo replaces a linked one
    branding.update(logo_key=key, logo_version=version, logo_width=width, logo_height=height)
    photographer.branding = branding
    return {"width": width, "height": height, "version": version}


def remove_logo(photographer: Photographer) -> None:
    branding = dict(photographer.branding or {})
    _forget_after_commit(branding.get("logo_key"))
    for name in (*_LOGO_FIELDS, "logo_url"):
        branding.pop(name, None)
    photographer.branding = branding


def _forget_after_commit(key: str | None, keep: str | None = None) -> None:
    if key and key != keep:
        after_commit(lambda: get_storage().delete(key))


def serve_logo(photographer_id: str) -> Response:
    """The studio's current logo, for anyone (it is on every client page and mail)."""
    photographer = db.session.get(Photographer, photographer_id) if len(photographer_id) <= 64 else None
    branding = (photographer.branding or {}) if photographer is not None else {}
    key, version = branding.get("logo_key"), branding.get("logo_version")
    if not key:
        raise Problem(404, "This studio has no logo.")
    etag = f'"{version}"'
    cache = LONG_CACHE if request.args.get("v") == version else SHORT_CACHE
    if request.if_none_match.contains(version):
        return Response(status=304, headers={"ETag": etag, "Cache-Control": cache})
    try:
        data = b"".join(get_storage().iter_range(key))
    except ObjectNotFound:
        raise Problem(404, "This studio has no logo.") from None
    return Response(data, mimetype="image/png", headers={
        "ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'", "Cross-Origin-Resource-Policy": "cross-origin"})
