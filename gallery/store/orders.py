"""Checkout and orders: placing an order from the cart, the buyer's and the photographer's view, status
changes, payment, and the order mails queued after the commit."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import exists, func, or_, select

from gallery.core import clock
from gallery.core.pagination import Page, paginate
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo
from gallery.store import history, perks
from gallery.store.models import DIGITAL_KINDS, ORDER_STATUSES, ORDER_TRANSITIONS, PHYSICAL_KINDS, Order, OrderItem
from gallery.store.payments import get_provider, refund_payment, refund_possible
from gallery.store.carts import find_cart, gallery_price_sheet
from gallery.store.coupons import check_coupon, find_coupon, redeem, release
from gallery.store.totals import Buyer, compute_totals

log = logging.getLogger(__name__)


def place_order(gallery: Gallery, buyer: Buyer, *, coupon_code: str | None = None,
                shipping_address: dict | None = None, note: str | None = None,
                return_url: str | None = None) -> Order:
    """Turn the visitor's cart into an order with a price snapshot; redeem the coupon; start payment."""
    sheet = gallery_price_sheet(gallery)
    cart = find_cart(gallery, buyer, create=False)
    if cart is None or not cart.items:
        raise Problem(422, "The cart is empty.")
    if not buyer.email:
        raise Problem(422, "Identify with your email address before checking out.")
    stale = [item.product.name for item in cart.items if not item.product.active]
    if stale:
        raise Problem(409, f"No longer sold: {', '.join(stale)}. Update the cart and try again.")
    perk = perks.for_buyer(gallery.photographer_id, buyer.client_id)

    def price(item):  # a tier with free digital downloads pays nothing for them
        return 0 if perk.free_digital and item.product.kind in DIGITAL_KINDS else item.product.price

    lines = [(price(item), item.quantity, item.product.kind) for item in cart.items]
    if any(kind in PHYSICAL_KINDS for _, _, kind in lines) and not shipping_address:
        raise Problem(422, "Prints, canvases and albums need a shipping address.",
                      errors={"shipping_address": ["Required for physical products."]})
    subtotal = sum(unit * quantity for unit, quantity, _ in lines)
    coupon = None
    if coupon_code:
        coupon = find_coupon(gallery.photographer_id, coupon_code)
        check_coupon(coupon, gallery=gallery, buyer=buyer, currency=sheet.currency, subtotal=subtotal)
    totals = compute_totals(lines, sheet, coupon, standing_percent=perk.discount_percent)
    provider = get_provider(sheet.payment_provider)
    order = Order(photographer_id=gallery.photographer_id, gallery_id=gallery.id, visitor_id=buyer.visitor_id,
                  client_id=buyer.client_id, email=buyer.email, name=buyer.name, locale=buyer.locale,
                  status="pending_payment", currency=sheet.currency, subtotal=totals.subtotal,
                  discount=totals.discount, shipping=totals.shipping, tax=totals.tax, total=totals.total,
                  tax_rate_bp=sheet.tax_rate_bp, tax_included=sheet.tax_included,
                  coupon_id=coupon.id if coupon else None, coupon_code=coupon.code if coupon else None,
                  shipping_address=shipping_address, note=note, payment_provider=provider.name,
                  placed_at=clock.now(), status_changed_at=clock.now())
    photos = {p.id: p.original_filename for p in db.session.scalars(
        select(Photo).where(Photo.id.in_({i.photo_id for i in cart.items if i.photo_id})))}
    order.items = [OrderItem(product_id=item.product_id, product_kind=item.product.kind,
                             product_name=item.product.name, photo_id=item.photo_id,
                             photo_filename=photos.get(item.photo_id), unit_price=price(item),
                             quantity=item.quantity, line_total=price(item) * item.quantity,
                             options=item.options, position=item.position) for item in cart.items]
    db.session.add(order)
    db.session.flush()
    if coupon is not None:
        redeem(coupon, order, buyer)
    history.record(order, "placed", actor="buyer", to_status=order.status)
    record_event("order_placed", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=buyer.client_id, visitor_id=buyer.visitor_id,
                 payload={"order_id": order.id, "total": order.total, "currency": order.currency,
                          "coupon_id": order.coupon_id})
    cart.items = []
    if order.total == 0:
        history.record(order, "status", actor="system", from_status=order.status, to_status="paid", detail="free")
        mark_order_paid(order, source="free")
    else:
        started = provider.start_checkout(order, return_url=return_url)
        order.payment_reference, order.checkout_url = started.reference, started.url
    db.session.flush()
    return order


def get_buyer_order(gallery: Gallery, buyer: Buyer, order_id: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.id == order_id, Order.gallery_id == gallery.id,
                                                  Order.visitor_id == buyer.visitor_id))
    if order is None:
        raise Problem(404, "No such order.")
    return order


# --- orders (photographer) ----------------------------------------------------------------------------------

def get_order(photographer_id: str, order_id: str, *, lock: bool = False) -> Order:
    stmt = select(Order).where(Order.id == order_id, Order.photographer_id == photographer_id)
    if lock:  # re-read under the row lock, even if this session loaded the order before
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    order = db.session.scalar(stmt)
    if order is None:
        raise Problem(404, "No such order.")
    return order


def list_orders(photographer_id: str, *, cursor=None, limit=50, status=None, gallery_id=None, client_id=None,
                placed_after=None, placed_before=None, q=None) -> Page:
    """`q` finds the buyer's name or email, the order id or the coupon code (case-insensitive, in part)."""
    stmt = select(Order).where(Order.photographer_id == photographer_id)
    for column, value in ((Order.status, status), (Order.gallery_id, gallery_id), (Order.client_id, client_id)):
        if value:
            stmt = stmt.where(column == value)
    if placed_after:
        stmt = stmt.where(Order.placed_at >= placed_after)
    if placed_before:
        stmt = stmt.where(Order.placed_at < placed_before)
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Order.name, Order.email, Order.id, Order.coupon_code))))
    return paginate(stmt, db.session, keys=[Order.id], cursor=cursor, limit=limit, descending=True)


def change_order_status(photographer_id: str, order_id: str, status: str | None = None, *,
                        tracking: str | None = None, tracking_url: str | None = None,
                        note: str | None = None) -> Order:
    """A status change the machine allows (a refund goes through the payment provider), and/or tracking."""
    order = get_order(photographer_id, order_id, lock=True)
    if status == "refunded" and order.status != status:
        _check_allowed(order, status)  # before the provider moves any money
        refund = refund_payment(order)
        transition(order, status, actor="provider" if refund.reference else "photographer", kind="refund",
                   detail="; ".join(filter(None, [refund.reference, note])))
    elif status is not None and status != order.status:
        transition(order, status, actor="photographer", detail=note)
        if status == "paid":
            mark_order_paid(order, source="manual")
        elif status == "cancelled":
            release(order)
    if tracking is not None or tracking_url is not None:
        changed = (tracking if tracking is not None else order.tracking,
                   tracking_url if tracking_url is not None else order.tracking_url)
        if changed != (order.tracking, order.tracking_url):
            order.tracking, order.tracking_url = (value or None for value in changed)
            history.record(order, "tracking", actor="photographer", detail=order.tracking)
    db.session.flush()
    return order


def allowed_next(order: Order) -> list[str]:
    """The statuses this order may move to now: the status machine, and a refund only where the order's
    payment provider can give the money back. The one rule; the API hands it to every front end."""
    nexts = set(ORDER_TRANSITIONS[order.status])
    if "refunded" in nexts and not refund_possible(order):
        nexts.discard("refunded")
    return [status for status in ORDER_STATUSES if status in nexts]


def _check_allowed(order: Order, status: str) -> None:
    allowed = allowed_next(order)
    if status not in allowed:
        nexts = ", ".join(sorted(allowed)) or "none (final)"
        raise Problem(409, f"An order that is {order.status} cannot become {status}; allowed next: {nexts}.",
                      errors={"status": [f"Allowed next: {nexts}."]}, type="order-transition",
                      allowed_next=allowed)


def transition(order: Order, status: str, *, actor: str = "system", detail: str | None = None,
               kind: str = "status") -> None:
    """Move the order to `status` if the machine allows it now (a 409 problem with `allowed_next` otherwise)."""
    _check_allowed(order, status)
    history.record(order, kind, actor=actor, from_status=order.status, to_status=status, detail=detail)
    order.status = status
    order.status_changed_at = clock.now()


# First paid order of a client (a referral reward, a welcome back): subscribers run in the same transaction.
_first_paid_order_hooks: list[Callable[[Order], None]] = []


def on_first_paid_order(hook: Callable[[Order], None]) -> Callable[[Order], None]:
    """Register `hook(order)`, called when a client's first order is paid. Usable as a decorator."""
    if hook not in _first_paid_order_hooks:
        _first_paid_order_hooks.append(hook)
    return hook


def mark_order_paid(order: Order, *, source: str) -> None:
    """pending_payment -> paid, `order_paid` event, first-paid-order hooks; the caller checked the transition."""
    order.status = "paid"
    order.paid_at = order.status_changed_at = clock.now()
    record_event("order_paid", photographer_id=order.photographer_id, gallery_id=order.gallery_id,
                 client_id=order.client_id, visitor_id=order.visitor_id,
                 payload={"order_id": order.id, "total": order.total, "currency": order.currency, "source": source})
    db.session.flush()
    if order.client_id and not db.session.scalar(select(exists().where(
            Order.client_id == order.client_id, Order.id != order.id, Order.paid_at.is_not(None)))):
        for hook in list(_first_paid_order_hooks):
            hook(order)


def notify_order(order_id: str, event: str) -> None:
    """Queue the order mails in this transaction: they leave after its commit (nothing if it rolls back)."""
    from gallery.store.notifications import queue_order_mails

    queue_order_mails(order_id, event)
