"""Credentials a photographer can shut out: login sessions, API token scopes, the password.

- API tokens carry scopes. `read`: GET anything of the account; `write`: change galleries, clients,
  photos, the store, retention; `account`: manage the account's credentials (list, mint and revoke
  tokens, see and end sessions). New tokens get `read write` unless asked otherwise; a token for a
  website that only shows galleries should be `read` alone. The check lives in `require_scope`, which
  `photographer_required` calls for every token-authenticated request.
- The password (and anything like it) changes only in a signed-in browser session, with the current
  password: a leaked token or an unattended laptop cannot lock the owner out.
- Each browser sign-in is a `LoginSession` row named by the (signed) session cookie. Logging out revokes
  it; changing the password revokes every other session, and the tokens too when the owner asks;
  "sign out everywhere" does the same on demand.
"""
from __future__ import annotations

from flask import g, request, session
from sqlalchemy import select, update

from gallery.accounts.models import ApiToken, LoginSession, Photographer
from gallery.core import clock
from gallery.core.passwords import hash_password, verify_password
from gallery.errors import Problem
from gallery.extensions import db

SCOPES = ("read", "write", "account")
DEFAULT_SCOPES = ("read", "write")
SESSION_KEY = "sid"
SEEN_EVERY = 300  # seconds between writes of last_seen_at


def parse_scopes(scopes) -> str:
    names = sorted(set(scopes or DEFAULT_SCOPES), key=SCOPES.index)
    return " ".join(names)


def require_scope(scope: str) -> None:
    """A token-authenticated request must hold `scope`; a browser session holds every scope."""
    token = g.get("api_token")
    if token is None:
        return
    if scope not in (token.scopes or "").split():
        raise Problem(403, f"This API token may not do this: it needs the `{scope}` scope "
                           f"(it has: {token.scopes or 'none'}).", type="insufficient-scope",
                      headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'})


def scope_for_request(view) -> str:
    explicit = getattr(view, "token_scope", None)
    if explicit:
        return explicit
    return "read" if request.method in {"GET", "HEAD", "OPTIONS"} else "write"


def needs_scope(scope: str):
    """Route decorator (right above `def`): token requests need `scope` whatever the method."""

    def decorator(view):
        view.token_scope = scope
        return view

    return decorator


# --- browser sessions -----------------------------------------------------------------------------------------

def start_session(photographer: Photographer) -> LoginSession:
    now = clock.now()
    row = LoginSession(photographer_id=photographer.id, created_at=now, last_seen_at=now,
                       user_agent=(request.user_agent.string or "")[:200] or None)
    db.session.add(row)
    db.session.flush()
    session[SESSION_KEY] = row.id
    return row


def session_photographer(photographer_id: str) -> Photographer | None:
    """The photographer of the session cookie, if its login session is still live."""
    session_id = session.get(SESSION_KEY)
    if not isinstance(session_id, str) or not isinstance(photographer_id, str):
        return None
    row = db.session.execute(
        select(Photographer, LoginSession).join(LoginSession, LoginSession.photographer_id == Photographer.id)
        .where(LoginSession.id == session_id, Photographer.id == photographer_id, LoginSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    photographer, login = row
    now = clock.now()
    if (now - login.last_seen_at).total_seconds() > SEEN_EVERY:
        db.session.execute(update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=now))
    g.login_session_id = login.id
    return photographer


def current_session_id() -> str | None:
    return g.get("login_session_id")


def end_current_session() -> None:
    session_id = session.pop(SESSION_KEY, None)
    if isinstance(session_id, str):
        db.session.execute(update(LoginSession).where(LoginSession.id == session_id, LoginSession.revoked_at.is_(None))
                           .values(revoked_at=clock.now()))


def list_sessions(photographer: Photographer) -> list[dict]:
    rows = db.session.scalars(select(LoginSession).where(LoginSession.photographer_id == photographer.id,
                                                         LoginSession.revoked_at.is_(None))
                              .order_by(LoginSession.last_seen_at.desc()))
    current = current_session_id()
    return [{"id": r.id, "created_at": r.created_at, "last_seen_at": r.last_seen_at, "user_agent": r.user_agent,
             "current": r.id == current} for r in rows]


def end_session(photographer: Photographer, session_id: str) -> None:
    result = db.session.execute(update(LoginSession).where(
        LoginSession.id == session_id, LoginSession.photographer_id == photographer.id,
        LoginSession.revoked_at.is_(None)).values(revoked_at=clock.now()))
    if result.rowcount == 0:
        raise Problem(404, "No such session.")


def sign_out_everywhere(photographer: Photographer, *, revoke_tokens: bool) -> dict:
    """End every session but this request's own (all of them when a token asks), and the tokens if chosen."""
    now = clock.now()
    stmt = update(LoginSession).where(LoginSession.photographer_id == photographer.id,
                                      LoginSession.revoked_at.is_(None))
    current = current_session_id()
    if current:
        stmt = stmt.where(LoginSession.id != current)
    sessions = db.session.execute(stmt.values(revoked_at=now)).rowcount
    tokens = 0
    if revoke_tokens:
        tokens = db.session.execute(update(ApiToken).where(ApiToken.photographer_id == photographer.id,
                                                           ApiToken.revoked_at.is_(None))
                                    .values(revoked_at=now)).rowcount
    return {"sessions_ended": sessions, "tokens_revoked": tokens}


def change_password(photographer: Photographer, current_password: str | None, new_password: str, *,
                    revoke_tokens: bool) -> dict:
    if g.get("api_token") is not None or current_session_id() is None:
        raise Problem(403, "The password can only be changed when signed in with it, not with an API token.")
    if not current_password or not verify_password(photographer.password_hash, current_password):
        raise Problem(403, "The current password is not right.",
                      errors={"current_password": ["Give your current password to change it."]})
    photographer.password_hash = hash_password(new_password)
    return sign_out_everywhere(photographer, revoke_tokens=revoke_tokens)
