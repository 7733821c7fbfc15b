"""Coupons: codes, terms, offer coupons for retention, and their checks, redemption and release at checkout."""
from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from gallery.clients.services import get_client
from gallery.core import clock
from gallery.core.pagination import Page, paginate
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.galleries.services import get_gallery
from gallery.store import money
from gallery.store.models import Coupon, CouponRedemption, Order
from gallery.store.totals import Buyer

log = logging.getLogger(__name__)


_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalize_code(code: str) -> str:
    return code.strip().upper()


def generate_code(prefix: str = "") -> str:
    """16 characters from a 31-letter alphabet: about 79 random bits, unguessable."""
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return prefix + "-".join(body[i:i + 4] for i in range(0, 16, 4))


def get_coupon(photographer_id: str, coupon_id: str) -> Coupon:
    coupon = db.session.scalar(select(Coupon).where(Coupon.id == coupon_id, Coupon.photographer_id == photographer_id))
    if coupon is None:
        raise Problem(404, "No such coupon.")
    return coupon


def list_coupons(photographer_id: str, *, cursor=None, limit=50, client_id=None, gallery_id=None,
                 source=None) -> Page:
    stmt = select(Coupon).where(Coupon.photographer_id == photographer_id)
    for column, value in ((Coupon.client_id, client_id), (Coupon.gallery_id, gallery_id), (Coupon.source, source)):
        if value:
            stmt = stmt.where(column == value)
    return paginate(stmt, db.session, keys=[Coupon.id], cursor=cursor, limit=limit, descending=True)


def _validate_coupon_terms(photographer_id: str, data: dict) -> None:
    errors: dict[str, list[str]] = {}
    if data.get("percent_off") and data.get("amount_off"):
        errors["amount_off"] = ["Give either percent_off or amount_off, not both."]
    if not (data.get("percent_off") or data.get("amount_off") or data.get("free_shipping")):
        errors["percent_off"] = ["A coupon needs percent_off, amount_off or free_shipping."]
    if (data.get("amount_off") or data.get("minimum_order")) and not data.get("currency"):
        errors["currency"] = ["Required with amount_off or minimum_order."]
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] <= data["valid_from"]:
        errors["valid_until"] = ["Must be after valid_from."]
    if errors:
        raise Problem(422, "The coupon terms do not add up: " + ", ".join(sorted(errors)) + ".", errors=errors)
    if data.get("client_id"):
        get_client(photographer_id, data["client_id"])
    if data.get("gallery_id"):
        get_gallery(photographer_id, data["gallery_id"])


def _insert_coupon(photographer_id: str, data: dict) -> Coupon:
    coupon = Coupon(photographer_id=photographer_id, uses=0, **data)
    try:
        with db.session.begin_nested():
            db.session.add(coupon)
    except IntegrityError:
        raise Problem(409, f"A coupon with the code {data['code']} already exists.",
                      errors={"code": ["Already used by another coupon."]}) from None
    return coupon


def create_coupon(photographer_id: str, data: dict) -> Coupon:
    data = dict(data)
    data["code"] = normalize_code(data.get("code") or generate_code())
    _validate_coupon_terms(photographer_id, data)
    return _insert_coupon(photographer_id, data)


def update_coupon(photographer_id: str, coupon_id: str, changes: dict) -> Coupon:
    coupon = get_coupon(photographer_id, coupon_id)
    if "disabled" in (changes := dict(changes)):
        coupon.disabled_at = clock.now() if changes.pop("disabled") else None
    if changes.get("max_uses") is not None and changes["max_uses"] < coupon.uses:
        raise Problem(422, f"The coupon has already been used {coupon.uses} times.",
                      errors={"max_uses": [f"Must be at least {coupon.uses}."]})
    valid_from = changes.get("valid_from", coupon.valid_from)
    valid_until = changes.get("valid_until", coupon.valid_until)
    if valid_from and valid_until and valid_until <= valid_from:
        raise Problem(422, "The coupon would end before it starts.", errors={"valid_until": ["Must be after valid_from."]})
    for key, value in changes.items():
        setattr(coupon, key, value)
    db.session.flush()
    return coupon


def issue_offer_coupon(photographer_id: str, *, client_id: str | None = None, gallery_id: str | None = None,
                       percent_off: int | None = None, amount_off: int | None = None, currency: str | None = None,
                       free_shipping: bool = False, valid_from: datetime | None, valid_until: datetime | None,
                       source: str, minimum_order: int | None = None) -> Coupon:
    """A single-use, unguessable code for a retention offer, tied to the client and/or gallery.

    Stable interface for the retention engine; the caller commits."""
    data = {"client_id": client_id, "gallery_id": gallery_id, "percent_off": percent_off, "amount_off": amount_off,
            "currency": currency.upper() if currency else None, "free_shipping": free_shipping,
            "minimum_order": minimum_order, "valid_from": valid_from, "valid_until": valid_until,
            "max_uses": 1, "max_uses_per_client": 1, "source": source,
            "description": f"Offer ({source})"}
    _validate_coupon_terms(photographer_id, data)
    for _ in range(3):  # a collision of 79 random bits is theoretical; retry anyway
        try:
            return _insert_coupon(photographer_id, {**data, "code": generate_code()})
        except Problem:
            continue
    raise RuntimeError("could not generate a unique coupon code")


def _refuse(detail: str, **extra) -> Problem:
    return Problem(422, detail, errors={"coupon_code": [detail]}, type="coupon-refused", **extra)


def find_coupon(photographer_id: str, code: str) -> Coupon:
    code = normalize_code(code)
    coupon = db.session.scalar(select(Coupon).where(Coupon.photographer_id == photographer_id, Coupon.code == code))
    if coupon is None or not hmac.compare_digest(coupon.code.encode(), code.encode()):
        raise _refuse("There is no coupon with this code.")
    return coupon


def check_coupon(coupon: Coupon, *, gallery: Gallery, buyer: Buyer, currency: str, subtotal: int) -> None:
    """Every rule but the total use count (that one is enforced atomically when redeemed)."""
    now = clock.now()
    if coupon.disabled_at is not None:
        raise _refuse("This coupon has been withdrawn.")
    if coupon.valid_from and now < coupon.valid_from:
        raise _refuse(f"This coupon is valid from {coupon.valid_from:%Y-%m-%d %H:%M} UTC.")
    if coupon.valid_until and now >= coupon.valid_until:
        raise _refuse(f"This coupon expired on {coupon.valid_until:%Y-%m-%d %H:%M} UTC.")
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        raise _refuse("This coupon has been used up.")
    if coupon.gallery_id and coupon.gallery_id != gallery.id:
        raise _refuse("This coupon is not valid for this gallery.")
    if coupon.client_id and coupon.client_id != buyer.client_id:
        raise _refuse("This coupon is personal to another client.")
    if coupon.currency and coupon.currency != currency and (coupon.amount_off or coupon.minimum_order):
        raise _refuse(f"This coupon is in {coupon.currency}; this gallery sells in {currency}.")
    if coupon.minimum_order and subtotal < coupon.minimum_order:
        raise _refuse(f"This coupon needs an order of at least {money.format_money(coupon.minimum_order, currency)}; "
                      f"the cart comes to {money.format_money(subtotal, currency)}.",
                      minimum_order=coupon.minimum_order)
    _check_uses_per_client(coupon, buyer)


def _check_uses_per_client(coupon: Coupon, buyer: Buyer) -> None:
    if coupon.max_uses_per_client is not None:
        mine = (CouponRedemption.client_id == buyer.client_id) if buyer.client_id else \
            (CouponRedemption.visitor_id == buyer.visitor_id)
        used = db.session.scalar(select(func.count()).select_from(CouponRedemption)
                                 .where(CouponRedemption.coupon_id == coupon.id, mine))
        if used >= coupon.max_uses_per_client:
            raise _refuse("You have already used this coupon.")


def redeem(coupon: Coupon, order: Order, buyer: Buyer) -> None:
    """Take one use atomically: of two checkouts racing for the last use, the database lets exactly one
    increment succeed (the other re-reads the row after the winner commits and matches nothing)."""
    result = db.session.execute(
        update(Coupon).where(Coupon.id == coupon.id, or_(Coupon.max_uses.is_(None), Coupon.uses < Coupon.max_uses))
        .values(uses=Coupon.uses + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise _refuse("This coupon has been used up.")
    # Counted again under the coupon's row lock, which the UPDATE above holds until commit: checkouts of one
    # client racing each other are serialised here, and each sees the redemptions committed before it.
    _check_uses_per_client(coupon, buyer)
    db.session.add(CouponRedemption(coupon_id=coupon.id, order_id=order.id, client_id=buyer.client_id,
                                    visitor_id=buyer.visitor_id))


def release(order: Order) -> None:
    """Give a cancelled order's coupon use back."""
    redemption = db.session.scalar(select(CouponRedemption).where(CouponRedemption.order_id == order.id))
    if redemption is None:
        return
    db.session.execute(update(Coupon).where(Coupon.id == redemption.coupon_id, Coupon.uses > 0)
                       .values(uses=Coupon.uses - 1).execution_options(synchronize_session=False))
    db.session.delete(redemption)
