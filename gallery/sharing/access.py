"""The share access layer: who is asking through a share link, and may they?

Every client-side route goes through `resolve_share` (or the `share_access`
decorator), which answers with the right problem:

- 404: no such link;
- 410: link revoked or expired, gallery unpublished or expired (with the
  photographer's contact so the client knows whom to ask);
- 401: the link needs a password (`POST .../unlock`) or an identified visitor
  (`POST .../visitors` then `.../visitors/verify`), or a visitor token is wrong;
- 403: a guest link asking for client-only things.

Proof of unlock and visitor identity are signed, link-scoped tokens (no
server state): the unlock token travels in the `X-Share-Unlock` header or the
`gallery_unlock_<link id>` cookie; the visitor token in
`Authorization: Bearer <visitor token>` or the `gallery_visitor_<link id>`
cookie. Both are set as HttpOnly, SameSite=Lax cookies by the routes that issue
them, so a browser page needs no JavaScript storage.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select

from gallery.accounts.auth import bearer_token
from gallery.accounts.branding import contact
from gallery.core import clock, transaction
from gallery.core.keyring import itsdangerous_keys
from gallery.core.queries import prebuilt
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.models import ShareLink, Visitor
from gallery.sharing.visibility import sees_clean
from gallery.storage.signing import batch_signer, register_scope_check

UNLOCK_MAX_AGE = 30 * 24 * 3600
VISITOR_MAX_AGE = 365 * 24 * 3600
UNLOCK_HEADER = "X-Share-Unlock"
MAX_TOKEN_LENGTH = 64


def unlock_cookie_name(link: ShareLink) -> str:
    return f"gallery_unlock_{link.id}"


def visitor_cookie_name(link: ShareLink) -> str:
    return f"gallery_visitor_{link.id}"


@dataclass
class ShareAccess:
    link: ShareLink
    gallery: Gallery
    role: str  # client | guest
    visitor: Visitor | None
    locked: bool  # a password is set and this request has not proved it
    _signer: Callable[[str], str] | None = field(default=None, repr=False)

    @property
    def is_client(self) -> bool:
        return self.role == "client"

    @property
    def sees_clean(self) -> bool:
        """May this link see clean images larger than a thumbnail (see gallery.sharing.visibility)?"""
        return sees_clean(self.gallery, self.link)

    @property
    def visitor_id(self) -> str | None:
        return self.visitor.id if self.visitor is not None else None

    @property
    def client_id(self) -> str | None:
        """The Client to attribute events to: the identified visitor's, else the gallery's for a client link."""
        if self.visitor is not None and self.visitor.client_id:
            return self.visitor.client_id
        return self.gallery.client_id if self.is_client else None

    def require_client(self) -> None:
        if not self.is_client:
            raise Problem(403, "Only the client's own link can do this; a guest link cannot.")

    def signed_url(self, key: str) -> str:
        """A URL for an object, valid only while this link is (and bucketed, so browsers and CDNs can cache it)."""
        if self._signer is None:
            ttl = current_app.config["GALLERY"].signed_url_ttl
            now = int(clock.now().timestamp())
            expires_in = (now // ttl + 2) * ttl - now  # between ttl and 2*ttl, identical within one bucket
            self._signer = batch_signer(expires_in=expires_in, scope=f"link:{self.link.id}")
        return self._signer(key)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(itsdangerous_keys(), salt=f"share-{purpose}")


def _password_hash(link: ShareLink, gallery: Gallery) -> str | None:
    """A link's own password wins over the gallery's."""
    return link.password_hash or gallery.password_hash


def _password_fingerprint(password_hash: str) -> str:
    # Changing the password invalidates every unlock token issued for the old one.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def issue_unlock_token(link: ShareLink, gallery: Gallery) -> str:
    return _serializer("unlock").dumps({"l": link.id, "p": _password_fingerprint(_password_hash(link, gallery) or "")})


def issue_visitor_token(link: ShareLink, visitor: Visitor) -> str:
    return _serializer("visitor").dumps({"l": link.id, "v": visitor.id, "n": visitor.token_version})


def _load(purpose: str, token: str | None, max_age: int) -> dict | None:
    if not token or len(token) > 1024:
        return None
    # A request reads its visitor token twice (with the link, then to check it): verify the signature once.
    memo = g.setdefault("share_tokens", {})
    key = (purpose, token, max_age)
    if key not in memo:
        try:
            data = _serializer(purpose).loads(token, max_age=max_age)
        except BadSignature:  # includes expired signatures
            data = None
        memo[key] = data if isinstance(data, dict) else None
    return memo[key]


def _gone(gallery: Gallery, detail: str) -> Problem:
    return Problem(410, detail, contact=contact(gallery.photographer))


def link_state_problem(link: ShareLink, gallery: Gallery) -> Problem | None:
    now = clock.now()
    if link.revoked_at is not None:
        return _gone(gallery, "This link has been switched off by the photographer. Ask them for a new one.")
    if link.expires_at is not None and link.expires_at <= now:
        return _gone(gallery, "This link has expired. Ask the photographer for a new one.")
    if gallery.status != "published":
        return _gone(gallery, "This gallery is not available at the moment. Ask the photographer about it.")
    if gallery.expires_at is not None and gallery.expires_at <= now:
        return _gone(gallery, "This gallery has expired. Ask the photographer to reopen it.")
    return None


def find_link(token: str) -> tuple[ShareLink, Gallery]:
    link, gallery, _ = _find_link_row(token)
    return link, gallery


def _find_link_row(token: str):
    """(link, gallery, the visitor named by a Bearer visitor token or None), in one round trip."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Problem(404, "This gallery link does not exist. Check the address you were sent.")
    visitor_id = _bearer_visitor_id()
    row = db.session.execute(prebuilt(("share-link", bool(visitor_id)), lambda: _link_statement(bool(visitor_id))),
                             {"token": token, "visitor_id": visitor_id}).first()
    # The index finds the row; the final word is a constant-time compare.
    if row is None or not hmac.compare_digest(row[0].token.encode(), token.encode()):
        raise Problem(404, "This gallery link does not exist. Check the address you were sent.")
    return row[0], row[1], (row[2] if visitor_id else None)


def _link_statement(with_visitor: bool):
    stmt = (select(ShareLink, Gallery).join(Gallery, Gallery.id == ShareLink.gallery_id)
            .where(ShareLink.token == bindparam("token")))
    if with_visitor:
        stmt = stmt.add_columns(Visitor).outerjoin(Visitor, Visitor.id == bindparam("visitor_id"))
    return stmt


def _bearer_visitor_id() -> str | None:
    data = _load("visitor", bearer_token(), VISITOR_MAX_AGE)
    return data.get("v") if data and isinstance(data.get("v"), str) else None


def _presented_unlock_token(link: ShareLink) -> str | None:
    return request.headers.get(UNLOCK_HEADER) or request.cookies.get(unlock_cookie_name(link))


def _visitor_from_request(link: ShareLink, preloaded: Visitor | None = None) -> Visitor | None:
    """The verified visitor of this link the request names (Bearer token or cookie), or None.

    `preloaded`: the visitor row the Bearer token names, already fetched with the link."""
    explicit = bearer_token()
    token = explicit or request.cookies.get(visitor_cookie_name(link))
    if not token:
        return None
    data = _load("visitor", token, VISITOR_MAX_AGE)
    visitor = None
    if data and data.get("l") == link.id and isinstance(data.get("v"), str):
        visitor = preloaded if preloaded is not None and preloaded.id == data["v"] \
            else db.session.get(Visitor, data["v"])
        if visitor is not None and (visitor.share_link_id != link.id or visitor.verified_at is None
                                    or visitor.token_version != data.get("n")):
            visitor = None
    if visitor is None and explicit:
        # A stale cookie is ignored, but a token sent on purpose that is wrong must not pass silently.
        raise Problem(401, "The visitor token is not valid for this link. Identify again with your email.",
                      headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return visitor


def resolve_share(token: str, *, require_unlocked: bool = True, require_visitor: bool = False,
                  require_client: bool = False) -> ShareAccess:
    link, gallery, preloaded_visitor = _find_link_row(token)
    problem = link_state_problem(link, gallery)
    if problem is not None:
        raise problem
    password_hash = _password_hash(link, gallery)
    locked = False
    if password_hash:
        data = _load("unlock", _presented_unlock_token(link), UNLOCK_MAX_AGE)
        locked = not (data and data.get("l") == link.id and data.get("p") == _password_fingerprint(password_hash))
    if locked and require_unlocked:
        raise Problem(401, "This gallery is protected by a password. Unlock it first.", locked=True)
    visitor = None if locked else _visitor_from_request(link, preloaded_visitor)
    access = ShareAccess(link=link, gallery=gallery, role=link.role, visitor=visitor, locked=locked)
    if require_client:
        access.require_client()
    if require_visitor and visitor is None:
        raise Problem(401, "Tell us who you are first: enter your email to get a one-time code.",
                      needs_visitor=True)
    g.share_access = access
    return access


def share_access(*, require_unlocked: bool = True, require_visitor: bool = False, require_client: bool = False,
                 read_only: bool = False):
    """Route decorator: resolves the `token` path parameter and passes `access=ShareAccess(...)` to the view.

    `read_only`: the view writes nothing, so its reads run without a transaction (autocommit): no BEGIN and
    ROLLBACK round trips on the hottest client routes."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, token, **kwargs):
            if read_only and not db.session().in_transaction():  # (inside a caller's transaction: stay in it)
                db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                transaction.read_only()
            access = resolve_share(token, require_unlocked=require_unlocked, require_visitor=require_visitor,
                                   require_client=require_client)
            return view(*args, access=access, **kwargs)

        return wrapper

    return decorator


def link_is_serving(link_id: str) -> bool:
    """Scope check for signed URLs issued to a link: they die with the link, the gallery's publication or expiry."""
    row = db.session.execute(
        select(ShareLink, Gallery).join(Gallery, Gallery.id == ShareLink.gallery_id).where(ShareLink.id == link_id)
    ).first()
    return row is not None and link_state_problem(*row) is None


register_scope_check("link", link_is_serving)
