"""Visitors of a share link: who identifies with an email, and their one-time codes."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import request
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from gallery import mail
from gallery.accounts.branding import mail_brand_of
from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.keyring import current_key, verification_keys
from gallery.core.transaction import keep_on_error
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.access import ShareAccess, issue_visitor_token
from gallery.sharing.language import share_language
from gallery.sharing.models import Visitor

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5


def _code_hash(visitor_id: str, code: str, secret_key: str | None = None) -> str:
    secret = (secret_key or current_key()).encode()
    return hmac.new(secret, f"{visitor_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _code_matches(visitor: Visitor, code: str) -> bool:
    """The code against its stored hash, made with the current key or an old one (a rotation in between)."""
    return any(hmac.compare_digest(visitor.code_hash, _code_hash(visitor.id, code, key)) for key in verification_keys())


def _visitor_by_email(access: ShareAccess, email: str) -> Visitor | None:
    return db.session.scalar(select(Visitor).where(Visitor.share_link_id == access.link.id, Visitor.email == email))


def start_identification(access: ShareAccess, email: str, name: str | None) -> tuple[Visitor, str]:
    """Create (or find) the visitor for this email on this link with a fresh one-time code (to mail with
    `mail_code` once committed).

    The answer is the same whoever owns the email: nothing of a visitor is
    shown until their code is verified.
    """
    visitor = _visitor_by_email(access, email)
    if visitor is None:
        visitor = Visitor(gallery_id=access.gallery.id, share_link_id=access.link.id, email=email, name=name)
        try:
            with db.session.begin_nested():
                db.session.add(visitor)
        except IntegrityError:  # the same email on two phones at once
            visitor = _visitor_by_email(access, email)
    elif name and visitor.verified_at is None:
        visitor.name = name
    code = f"{secrets.randbelow(10 ** 6):06d}"
    visitor.code_hash = _code_hash(visitor.id, code)
    visitor.code_expires_at = clock.now() + CODE_TTL
    visitor.code_attempts = 0
    db.session.flush()
    return visitor, code


def mail_code(access: ShareAccess, email: str, code: str) -> None:
    """Queue the code mail, in the language the gallery page shows this person (their switch, the client's
    locale, the browser's); it leaves after the commit, so a slow or stopped mail server never holds the page."""
    language, _explicit = share_language(request, access.link, access.gallery)
    mail.queue("visitor_code", to=email, language=language, brand=mail_brand_of(access.gallery.photographer_id),
               photographer_id=access.gallery.photographer_id,
               context={"gallery_title": access.gallery.title, "code": code,
                        "minutes": int(CODE_TTL.total_seconds() // 60)})


def verify_identification(access: ShareAccess, email: str, code: str) -> tuple[Visitor, str]:
    """Check the one-time code; on success the visitor is verified and gets a token for this link."""
    visitor = _visitor_by_email(access, email)
    wrong = Problem(401, "That code is wrong or has expired. Ask for a new one.", errors={"code": ["Wrong code."]})
    if visitor is None or visitor.code_hash is None:
        _code_hash("-", code)  # same work whether or not the visitor exists
        raise wrong
    if visitor.code_expires_at is None or visitor.code_expires_at <= clock.now():
        raise wrong
    # Each guess takes one of the code's tries atomically before it is compared (the row stays locked until the
    # request ends): parallel guesses cannot all read "4 tries used" and all be evaluated.
    took = db.session.execute(
        update(Visitor).where(Visitor.id == visitor.id, Visitor.code_hash.is_not(None),
                              Visitor.code_attempts < CODE_MAX_ATTEMPTS)
        .values(code_attempts=Visitor.code_attempts + 1).returning(Visitor.code_attempts)
        .execution_options(synchronize_session=False)).first()
    keep_on_error()  # the try counts even though the answer is an error
    if took is None:
        raise Problem(429, "Too many wrong codes. Ask for a new one.")
    db.session.refresh(visitor)
    if visitor.code_hash is None or not _code_matches(visitor, code):
        raise wrong
    now = clock.now()
    first_time = visitor.verified_at is None
    visitor.code_hash = None
    visitor.code_expires_at = None
    visitor.verified_at = visitor.verified_at or now
    visitor.last_seen_at = now
    visitor.client_id = visitor.client_id or _matching_client_id(access.gallery, visitor.email)
    record_event("visitor_identified", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=visitor.client_id, visitor_id=visitor.id,
                 payload={"role": access.role, "first_time": first_time})
    db.session.flush()
    return visitor, issue_visitor_token(access.link, visitor)


def _matching_client_id(gallery: Gallery, email: str) -> str | None:
    return db.session.scalar(select(Client.id).where(Client.photographer_id == gallery.photographer_id,
                                                     func.lower(Client.email) == email.lower()).limit(1))
