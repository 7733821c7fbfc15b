"""Account operations, callable from routes, the CLI and tests."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from gallery.accounts.models import ApiToken, Photographer
from gallery.core import clock
from gallery.core.passwords import hash_password, verify_password
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db

TOKEN_PREFIX = "gph_"


def normalize_email(email: str) -> str:
    from gallery.core.emails import normalize_email as normalized

    return normalized(email)


def create_photographer(*, email: str, password: str, studio_name: str, timezone: str = "UTC",
                        locale: str = "en") -> Photographer:
    email = normalize_email(email)
    if db.session.scalar(select(Photographer.id).where(Photographer.email == email)):
        raise Problem(409, "An account with this email already exists.", errors={"email": ["Already registered."]})
    photographer = Photographer(email=email, password_hash=hash_password(password), studio_name=studio_name,
                                timezone=timezone, locale=locale, branding={}, allowed_origins=[])
    db.session.add(photographer)
    db.session.flush()
    return photographer


def authenticate(email: str, password: str) -> Photographer | None:
    photographer = db.session.scalar(select(Photographer).where(Photographer.email == normalize_email(email)))
    if not verify_password(photographer.password_hash if photographer else None, password):
        return None
    return photographer


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(photographer: Photographer, name: str, scopes=None) -> tuple[ApiToken, str]:
    """Return the stored token row and the plain token, which is shown only once.
    `scopes`: see gallery.accounts.credentials (default read and write)."""
    from gallery.accounts.credentials import parse_scopes

    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(photographer_id=photographer.id, name=name, token_hash=_digest(plain), prefix=plain[:12],
                     scopes=parse_scopes(scopes))
    db.session.add(token)
    db.session.flush()
    return token, plain


def photographer_for_token(plain: str) -> Photographer | None:
    token = token_for(plain)
    return token.photographer if token is not None else None


def token_for(plain: str) -> ApiToken | None:
    """The live token row for a plain token (its photographer loaded), or None."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(plain), ApiToken.revoked_at.is_(None))
    )
    if token is None:
        return None
    now = clock.now()
    # Write last-use at most once a minute, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
    return token


def list_tokens(photographer: Photographer) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.photographer_id == photographer.id).order_by(ApiToken.id)
    ))


def revoke_token(photographer: Photographer, token_id: str) -> ApiToken:
    token = get_owned(ApiToken, token_id, photographer_id=photographer.id, detail="No such token.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
    return token


def update_profile(photographer: Photographer, changes: dict) -> Photographer:
    """Apply a PATCH of /me. `branding` is merged key by key (a null removes the key), so a screen that edits
    the contact never drops the accent or the uploaded logo; the origins are kept once each, in order."""
    from gallery.accounts.credentials import change_password, require_scope

    password = changes.pop("password", None)
    current_password = changes.pop("current_password", None)
    revoke_tokens = changes.pop("revoke_tokens", False)
    if password:
        change_password(photographer, current_password, password, revoke_tokens=revoke_tokens)
    if "allowed_origins" in changes:
        require_scope("account")  # who may call the API from a browser is a credential setting
        changes["allowed_origins"] = list(dict.fromkeys(changes["allowed_origins"] or []))
    if "branding" in changes:
        merged = {**(photographer.branding or {}), **(changes.pop("branding") or {})}
        photographer.branding = {key: value for key, value in merged.items() if value is not None}
    for key, value in changes.items():
        setattr(photographer, key, value)
    return photographer
