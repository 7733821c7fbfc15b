"""Referrals: a client's personal link, attribution of the new clients it brings, and the referrer's
reward (a coupon, by service mail) when a referred client's first order is paid."""
from __future__ import annotations

import hmac

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from gallery.clients.models import Client
from gallery.clients.services import get_client
from gallery.core import clock
from gallery.core.ids import new_id, new_token
from gallery.errors import Problem
from gallery.extensions import db
from gallery.retention import schedule
from gallery.retention.models import Message, Referral, ReferredClient
from gallery.retention.rules import CATEGORIES, rules_of
from gallery.store.orders import on_first_paid_order


def link_for(photographer_id: str, client_id: str) -> dict:
    """The client's referral code and link (created on first use)."""
    client = get_client(photographer_id, client_id)
    referral = db.session.scalar(select(Referral).where(Referral.referrer_client_id == client.id))
    if referral is None:
        referral = Referral(photographer_id=photographer_id, referrer_client_id=client.id, code=new_token(12))
        db.session.add(referral)
        db.session.flush()
    referred = db.session.scalar(select(func.count()).select_from(ReferredClient)
                                 .where(ReferredClient.referral_id == referral.id))
    base = current_app.config["GALLERY"].public_base_url.rstrip("/")
    return {"client_id": client.id, "code": referral.code, "url": f"{base}/r/{referral.code}", "referred": referred}


def find(code: str) -> Referral:
    referral = db.session.scalar(select(Referral).where(Referral.code == code)) if code else None
    # The lookup is by unique index; compare again in constant time so a prefix match can never pass.
    if referral is None or not hmac.compare_digest(referral.code, code):
        raise Problem(404, "This referral link is not known.")
    return referral


def attribute(photographer_id: str, code: str, client_id: str) -> ReferredClient:
    """Record that `client_id` (a new client of this photographer) arrived through `code`."""
    referral = find(code)
    if referral.photographer_id != photographer_id:
        raise Problem(404, "This referral link is not known.")
    client = get_client(photographer_id, client_id)
    if client.id == referral.referrer_client_id:
        raise Problem(422, "A client cannot refer themselves.", errors={"client_id": ["Is the referrer."]})
    if db.session.scalar(select(ReferredClient.id).where(ReferredClient.client_id == client.id)):
        raise Problem(409, "This client is already attributed to a referral.", errors={"client_id": ["Attributed."]})
    referred = ReferredClient(referral_id=referral.id, client_id=client.id)
    db.session.add(referred)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Problem(409, "This client is already attributed to a referral.") from None
    return referred


def reward_first_paid_order(order) -> None:
    """Store hook: a referred client's first paid order queues the referrer's reward (once)."""
    referred = db.session.scalar(select(ReferredClient).where(ReferredClient.client_id == order.client_id,
                                                              ReferredClient.rewarded_at.is_(None)))
    if referred is None:
        return
    referral = db.session.get(Referral, referred.referral_id)
    rule = next(r for r in rules_of(referral.photographer_id) if r["kind"] == "referral")
    referred.rewarded_at = now = clock.now()
    if not rule["enabled"]:
        return
    referrer = db.session.get(Client, referral.referrer_client_id)
    if referrer is None or not referrer.email:
        return
    db.session.add(Message(
        id=new_id(), photographer_id=referral.photographer_id, client_id=referrer.id, rule="referral",
        category=CATEGORIES["referral"], dedupe_key=f"referral:{referred.client_id}", anchor_at=now, due_at=now,
        send_after=schedule.next_window_start(now, referrer.timezone),
        context={"offer": rule["settings"]["reward"]}, status="queued", created_at=now))


def register_store_hook() -> None:
    on_first_paid_order(reward_first_paid_order)
