"""How a request proves it is a photographer: session cookie or bearer token.

A request that sends `Authorization: Bearer` is judged by the token alone: its cookies are ignored, so a
wrong token never falls back to the session. Cookie-authenticated writes always carry the CSRF token; only a
request the token authenticated is exempt (a browser never attaches a bearer token by itself). Token scopes
are checked here, for every route, through gallery.accounts.credentials.
"""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from gallery.accounts import credentials, services
from gallery.accounts.models import Photographer
from gallery.errors import Problem
from gallery.extensions import login_manager

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


@login_manager.user_loader
def _load_from_session(photographer_id: str) -> Photographer | None:
    if request.headers.get("Authorization"):
        return None  # the token decides alone
    return credentials.session_photographer(photographer_id)


@login_manager.request_loader
def _load_from_bearer(_request) -> Photographer | None:
    token = bearer_token()
    if token is None:
        return None
    api_token = services.token_for(token)
    if api_token is None:
        return None
    g.authenticated_by_token = True
    g.api_token = api_token
    return api_token.photographer


@login_manager.unauthorized_handler
def _unauthorized():
    raise Problem(401, "Log in or send an API token (Authorization: Bearer ...).",
                  headers={"WWW-Authenticate": 'Bearer realm="gallery"'})


def photographer_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer_token() and not g.get("authenticated_by_token") and not current_user.is_authenticated:
            raise Problem(401, "The API token is unknown or revoked.",
                          headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        credentials.require_scope(credentials.scope_for_request(view))
        return view(*args, **kwargs)

    return wrapper


def current_photographer() -> Photographer:
    return current_user._get_current_object()


def protect_cookie_writes() -> None:
    """before_request: CSRF check for writes that rely on the session cookie."""
    if request.method in SAFE_METHODS:
        return
    if current_user.is_authenticated and not g.get("authenticated_by_token"):
        # The token is read from the header only: reading a form field would parse the body, and a streamed
        # upload (multipart photos) would then arrive empty.
        try:
            validate_csrf(request.headers.get("X-CSRF-Token") or request.headers.get("X-CSRFToken"))
        except ValidationError as error:
            raise Problem(403, f"CSRF check failed: {error} Send the token from "
                               "GET /api/v1/auth/csrf as X-CSRF-Token.") from None
