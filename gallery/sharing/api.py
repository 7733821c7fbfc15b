"""Who is behind a share link: unlock with the password, identify with an email and a one-time code.

Routes under /api/v1/share/{token} (the rest of the link's routes live with what they do: proofing, downloads,
store). Proof of unlock and identity are signed, link-scoped tokens, also set as HttpOnly cookies.
"""
from flask import after_this_request, current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from gallery.core.emails import normalize_email
from gallery.core.parsing import json_body_or_none
from gallery.core.passwords import verify_password
from gallery.core.request_guard import SMALL_BODY, body_limit
from gallery.errors import Problem
from gallery.extensions import limiter
from gallery.sharing import schemas
from gallery.sharing import visitors
from gallery.sharing.access import (
    UNLOCK_MAX_AGE,
    VISITOR_MAX_AGE,
    issue_unlock_token,
    resolve_share,
    share_access,
    unlock_cookie_name,
    visitor_cookie_name,
)

blp = Blueprint("share_identity", __name__, url_prefix="/api/v1/share",
                description="Unlocking a share link and identifying its visitor.")


def per_link_and_ip() -> str:
    return f"{request.view_args.get('token', '')}:{get_remote_address()}"


def per_link_and_email() -> str:
    body = json_body_or_none()
    email = body.get("email") if isinstance(body, dict) else None
    return f"{request.view_args.get('token', '')}:{normalize_email(str(email))[:254]}"


def _set_cookie(name: str, value: str, max_age: int) -> None:
    @after_this_request
    def set_cookie(response):
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax", path="/",
                            secure=current_app.config["GALLERY"].cookies_secure)
        return response


@blp.post("/<token>/unlock")
@limiter.limit("10 per minute", key_func=per_link_and_ip)
@blp.arguments(schemas.UnlockSchema)
@blp.response(200, schemas.UnlockResultSchema)
@body_limit(SMALL_BODY)
def unlock(payload, token):
    """Give the password; answers an unlock token (and sets a cookie). Rate limited per link and address."""
    access = resolve_share(token, require_unlocked=False)
    password_hash = access.link.password_hash or access.gallery.password_hash
    if password_hash is None:
        return {"unlock_token": issue_unlock_token(access.link, access.gallery)}
    if not verify_password(password_hash, payload["password"]):  # argon2 verify: constant time
        raise Problem(401, "That password is not right.", errors={"password": ["Wrong password."]})
    unlock_token = issue_unlock_token(access.link, access.gallery)
    _set_cookie(unlock_cookie_name(access.link), unlock_token, UNLOCK_MAX_AGE)
    return {"unlock_token": unlock_token}


@blp.post("/<token>/visitors")
@limiter.limit("20 per hour", key_func=per_link_and_ip)
@limiter.limit("5 per 15 minutes", key_func=per_link_and_email)
@share_access()
@blp.arguments(schemas.VisitorStartSchema)
@blp.response(202, schemas.VisitorStartResultSchema)
@body_limit(SMALL_BODY)
def start_visitor(payload, access):
    """Identify with an email: a 6-digit one-time code is mailed to it (valid 15 minutes)."""
    visitor, code = visitors.start_identification(access, payload["email"], payload.get("name"))
    visitors.mail_code(access, visitor.email, code)  # queued in the outbox: it leaves after the commit
    return {"sent": True, "expires_in": int(visitors.CODE_TTL.total_seconds())}


def _wrong_code(response) -> bool:
    return response.status_code in (401, 429)


@blp.post("/<token>/visitors/verify")
@limiter.limit("10 per minute", key_func=per_link_and_ip)
# Wrong guesses per address across all its codes: asking for a new code does not buy new guesses.
@limiter.limit("10 per hour", key_func=per_link_and_email, deduct_when=_wrong_code)
@share_access()
@blp.arguments(schemas.VisitorVerifySchema)
@blp.response(200, schemas.VisitorTokenSchema)
@body_limit(SMALL_BODY)
def verify_visitor(payload, access):
    """Check the code; answers the visitor token (also set as a cookie). Five wrong codes kill the code."""
    visitor, visitor_token = visitors.verify_identification(access, payload["email"], payload["code"])
    _set_cookie(visitor_cookie_name(access.link), visitor_token, VISITOR_MAX_AGE)
    return {"visitor_token": visitor_token, "visitor": visitor}


