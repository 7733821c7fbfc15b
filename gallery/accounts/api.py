from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from gallery.accounts import credentials, schemas, services
from gallery.accounts.credentials import needs_scope
from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.request_guard import SMALL_BODY, body_limit
from gallery.errors import Problem
from gallery.extensions import db, limiter

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Photographer accounts and API tokens")


def _login_email_key() -> str:
    """Failed logins count per account *and* address: someone guessing from elsewhere cannot lock the owner
    out (their own address has its own budget), and each address is also held to the per-IP limit."""

    from gallery.core.emails import normalize_email

    from gallery.core.parsing import json_body_or_none

    body = json_body_or_none()
    email = body.get("email") if isinstance(body, dict) else None
    return f"login-account:{normalize_email(str(email or ''))}:{get_remote_address()}"


def _sign_in(photographer) -> None:
    credentials.start_session(photographer)
    login_user(photographer)


def _session_payload(photographer):
    return {"photographer": photographer, "csrf_token": generate_csrf()}


def _failed(response) -> bool:
    return response.status_code == 401


@blp.post("/auth/signup")
@limiter.limit(lambda: current_app.config["GALLERY"].login_rate_limit_ip)
@blp.arguments(schemas.SignupSchema)
@blp.response(201, schemas.SessionSchema)
@body_limit(SMALL_BODY)
def signup(payload):
    """Create a photographer account and start a session."""
    photographer = services.create_photographer(**payload)
    _sign_in(photographer)
    return _session_payload(photographer)


@blp.post("/auth/login")
@limiter.limit(lambda: current_app.config["GALLERY"].login_rate_limit_ip, deduct_when=_failed)
@limiter.limit(lambda: current_app.config["GALLERY"].login_rate_limit_account, key_func=_login_email_key,
               deduct_when=_failed)
@blp.arguments(schemas.LoginSchema)
@blp.response(200, schemas.SessionSchema)
@body_limit(SMALL_BODY)
def login(payload):
    """Log in with email and password; sets the session cookie."""
    photographer = services.authenticate(payload["email"], payload["password"])
    if photographer is None:
        raise Problem(401, "Wrong email or password.")
    _sign_in(photographer)
    return _session_payload(photographer)


@blp.post("/auth/logout")
@blp.response(204)
def logout():
    """End the session: this cookie stops working, even a copy of it taken before."""
    credentials.end_current_session()
    logout_user()


@blp.get("/auth/csrf")
@blp.response(200, schemas.SessionSchema(only=["csrf_token"]))
def csrf_token():
    """The CSRF token to send as X-CSRF-Token with cookie-authenticated writes."""
    return {"csrf_token": generate_csrf()}


@blp.post("/auth/tokens")
@photographer_required
@blp.arguments(schemas.TokenCreateSchema)
@blp.response(201, schemas.IssuedTokenSchema)
@needs_scope("account")
def create_token(payload):
    """Issue a long-lived API token with its scopes; the token is shown only in this response."""
    token, plain = services.issue_token(current_photographer(), payload["name"], payload.get("scopes"))
    token.token = plain  # transient: dumped once, never stored
    return token


@blp.get("/auth/tokens")
@photographer_required
@blp.response(200, schemas.TokenListSchema)
@needs_scope("account")
def list_tokens():
    """The account's API tokens (never the secrets)."""
    return {"items": services.list_tokens(current_photographer())}


@blp.delete("/auth/tokens/<token_id>")
@photographer_required
@blp.response(204)
@needs_scope("account")
def revoke_token(token_id):
    """Revoke an API token at once."""
    services.revoke_token(current_photographer(), token_id)


@blp.get("/me")
@photographer_required
@blp.response(200, schemas.PhotographerSchema)
def me():
    """The photographer behind this session or token."""
    return current_photographer()


@blp.patch("/me")
@photographer_required
@blp.arguments(schemas.PhotographerUpdateSchema(partial=True))
@blp.response(200, schemas.PhotographerSchema)
def update_me(changes):
    """Change studio name, timezone, locale, branding, allowed CORS origins or password.

    The password changes only in a browser session and with `current_password`; every other session ends
    (and every API token too with `revoke_tokens: true`)."""
    photographer = services.update_profile(current_photographer(), changes)
    db.session.flush()
    return photographer


@blp.get("/auth/sessions")
@photographer_required
@blp.response(200, schemas.LoginSessionListSchema)
@needs_scope("account")
def list_sessions():
    """The browsers signed in to this account (`current`: this one)."""
    return {"items": credentials.list_sessions(current_photographer())}


@blp.delete("/auth/sessions/<session_id>")
@photographer_required
@blp.response(204)
@needs_scope("account")
def end_session(session_id):
    """Sign one browser out."""
    credentials.end_session(current_photographer(), session_id)


@blp.post("/auth/sessions/revoke")
@photographer_required
@blp.arguments(schemas.SignOutEverywhereSchema)
@blp.response(200, schemas.SignOutEverywhereResultSchema)
@needs_scope("account")
def sign_out_everywhere(payload):
    """Sign out everywhere else: every other session ends, and every API token too with `revoke_tokens`."""
    result = credentials.sign_out_everywhere(current_photographer(), revoke_tokens=payload["revoke_tokens"])
    db.session.flush()
    return result
