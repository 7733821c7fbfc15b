"""Offers are single-use coupons issued by the store; retention never writes coupons itself."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from gallery.galleries.models import Gallery
from gallery.extensions import db
from gallery.store.coupons import issue_offer_coupon

log = logging.getLogger(__name__)


def issue(message, offer: dict, now: datetime) -> dict | None:
    """Issue the message's coupon through the store; returns {code, valid_until, ...} or None."""
    valid_until = now + timedelta(days=offer["valid_days"])
    described = {k: offer.get(k) for k in ("percent_off", "amount_off", "currency", "free_shipping")}
    described["valid_until"] = valid_until.isoformat()
    coupon = issue_offer_coupon(
        message.photographer_id, client_id=message.client_id, gallery_id=message.gallery_id,
        percent_off=offer.get("percent_off"), amount_off=offer.get("amount_off"), currency=offer.get("currency"),
        free_shipping=bool(offer.get("free_shipping")), valid_from=now, valid_until=valid_until,
        source=f"retention:{message.rule}:{message.id}")
    described["code"] = coupon.code
    return described


def reopen_gallery_for_offer(message, valid_until: datetime) -> None:
    """An anniversary offer brings an expired gallery back for the offer window; it closes
    again by itself when that window ends (expires_at is the window's end)."""
    if not message.gallery_id:
        return
    gallery = db.session.get(Gallery, message.gallery_id)
    if gallery is None or gallery.status != "published" or gallery.expires_at is None:
        return
    if gallery.expires_at < valid_until:
        message.context = {**message.context, "reopened_from": gallery.expires_at.isoformat()}
        gallery.expires_at = valid_until
