"""CORS for the photographer's own website.

An origin is allowed when the operator lists it (GALLERY_CORS_ORIGINS) or a
photographer lists it in `allowed_origins`. Cross-origin callers authenticate
with bearer tokens, so credentials (cookies) are only allowed for operator
origins. For share links, only the origins of the gallery's photographer apply.
"""
from __future__ import annotations

from flask import current_app, g, make_response, request
from flask_login import current_user
from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.core.queries import json_array_contains
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.models import ShareLink

ALLOWED_HEADERS = "Authorization, Content-Type, X-CSRF-Token, If-Match, Range"
EXPOSED_HEADERS = "Content-Disposition, Content-Length, Content-Range, Retry-After, Location"


def _operator_origins() -> list[str]:
    return current_app.config["GALLERY"].cors_origins


def _photographer_origins_for_request() -> set[str]:
    view_args = request.view_args or {}
    token = view_args.get("token")
    if token:
        stmt = (select(Photographer.allowed_origins).join(Gallery, Gallery.photographer_id == Photographer.id)
                .join(ShareLink, ShareLink.gallery_id == Gallery.id).where(ShareLink.token == token))
        return set(db.session.scalar(stmt) or [])
    if current_user.is_authenticated:
        return set(current_user.allowed_origins or [])
    return set()


def _any_photographer_lists(origin: str) -> bool:
    return bool(db.session.scalar(select(Photographer.id).where(json_array_contains(Photographer.allowed_origins, origin)).limit(1)))


def answer_preflight():
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    origin = request.headers.get("Origin")
    response = make_response("", 204)
    if origin and (origin in _operator_origins() or _any_photographer_lists(origin)):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
        if origin in _operator_origins():
            response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    g.cors_done = True
    return response


def add_headers(response):
    origin = request.headers.get("Origin")
    if not origin or g.get("cors_done") or not request.path.startswith("/api/"):
        return response
    response.headers.add("Vary", "Origin")
    if origin in _operator_origins():
        response.headers["Access-Control-Allow-Credentials"] = "true"
    elif origin not in _photographer_origins_for_request():
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response
