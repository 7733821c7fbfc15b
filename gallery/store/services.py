"""Store logic: price sheets, carts, coupons, checkout, order status, payments.

Callable from routes, jobs and other domains. Photographer-side functions take
the photographer id and scope every query by it; share-side functions take the
gallery (already resolved from the share link) and the `Buyer` (the visitor).
Services flush; the caller commits, and sends mail only after the commit.
"""
from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Callable

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from gallery.core import clock
from gallery.core.pagination import Page, paginate
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, GallerySet, Photo
from gallery.store import money, perks
from gallery.store.models import (DIGITAL_KINDS, ORDER_TRANSITIONS, PAID_STATUSES, PHOTO_KINDS, PHYSICAL_KINDS, Cart,
                                  CartItem, Coupon, CouponRedemption, Order, OrderItem, PaymentEvent, PriceSheet,
                                  Product)
from gallery.store.payments import configured_providers, get_provider

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Buyer:
    """Who is buying: the gallery visitor, and the client they are linked to when known."""

    visitor_id: str
    client_id: str | None = None
    email: str | None = None
    name: str | None = None
    locale: str = "en"
    role: str = "client"  # the share link's role: guests never buy what the client hid


# --- price sheets -------------------------------------------------------------------------------------------

def get_price_sheet(photographer_id: str, price_sheet_id: str) -> PriceSheet:
    sheet = db.session.scalar(select(PriceSheet).where(PriceSheet.id == price_sheet_id,
                                                       PriceSheet.photographer_id == photographer_id))
    if sheet is None:
        raise Problem(404, "No such price sheet.")
    return sheet


def list_price_sheets(photographer_id: str, *, cursor=None, limit=50) -> Page:
    stmt = select(PriceSheet).where(PriceSheet.photographer_id == photographer_id)
    return paginate(stmt, db.session, keys=[PriceSheet.id], cursor=cursor, limit=limit, descending=True)


def _check_provider(name: str) -> None:
    if name not in configured_providers():
        raise Problem(422, f"The payment provider {name!r} is not configured on this server.",
                      errors={"payment_provider": [f"Use one of: {', '.join(configured_providers())}."]})


def _apply_products(sheet: PriceSheet, products: list[dict]) -> None:
    """The list replaces the sheet's products: known ids are updated, new ones added, missing ones retired
    (kept inactive, so carts and orders that name them still resolve)."""
    existing = {product.id: product for product in sheet.products}
    kept = set()
    for position, data in enumerate(products):
        data = {**data, "position": position, "active": data.get("active", True)}
        product_id = data.pop("id", None)
        if product_id is not None:
            product = existing.get(product_id)
            if product is None:
                raise Problem(422, "A product id does not belong to this price sheet.",
                              errors={f"products.{position}.id": ["Not a product of this price sheet."]})
            kept.add(product_id)
            for key, value in data.items():
                setattr(product, key, value)
        else:
            sheet.products.append(Product(**data))
    for product_id, product in existing.items():
        if product_id not in kept:
            product.active = False


def create_price_sheet(photographer_id: str, data: dict) -> PriceSheet:
    data = dict(data)
    products = data.pop("products", [])
    _check_provider(data.get("payment_provider", "manual"))
    sheet = PriceSheet(photographer_id=photographer_id, **data)
    db.session.add(sheet)
    _apply_products(sheet, products)
    db.session.flush()
    return sheet


def update_price_sheet(photographer_id: str, price_sheet_id: str, changes: dict) -> PriceSheet:
    sheet = get_price_sheet(photographer_id, price_sheet_id)
    changes = dict(changes)
    if "payment_provider" in changes:
        _check_provider(changes["payment_provider"])
    if "products" in changes:
        _apply_products(sheet, changes.pop("products"))
    for key, value in changes.items():
        setattr(sheet, key, value)
    db.session.flush()
    return sheet


# --- coupons ------------------------------------------------------------------------------------------------

# Unambiguous characters (no 0/O, 1/I/L) for codes a client may type from a printed card.
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
    from gallery.clients.services import get_client
    from gallery.galleries.services import get_gallery

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


def _find_coupon(photographer_id: str, code: str) -> Coupon:
    code = normalize_code(code)
    coupon = db.session.scalar(select(Coupon).where(Coupon.photographer_id == photographer_id, Coupon.code == code))
    if coupon is None or not hmac.compare_digest(coupon.code.encode(), code.encode()):
        raise _refuse("There is no coupon with this code.")
    return coupon


def _check_coupon(coupon: Coupon, *, gallery: Gallery, buyer: Buyer, currency: str, subtotal: int) -> None:
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
    if coupon.max_uses_per_client is not None:
        mine = (CouponRedemption.client_id == buyer.client_id) if buyer.client_id else \
            (CouponRedemption.visitor_id == buyer.visitor_id)
        used = db.session.scalar(select(func.count()).select_from(CouponRedemption)
                                 .where(CouponRedemption.coupon_id == coupon.id, mine))
        if used >= coupon.max_uses_per_client:
            raise _refuse("You have already used this coupon.")


def _redeem(coupon: Coupon, order: Order, buyer: Buyer) -> None:
    """Take one use atomically: of two checkouts racing for the last use, the database lets exactly one
    increment succeed (the other re-reads the row after the winner commits and matches nothing)."""
    result = db.session.execute(
        update(Coupon).where(Coupon.id == coupon.id, or_(Coupon.max_uses.is_(None), Coupon.uses < Coupon.max_uses))
        .values(uses=Coupon.uses + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise _refuse("This coupon has been used up.")
    db.session.add(CouponRedemption(coupon_id=coupon.id, order_id=order.id, client_id=buyer.client_id,
                                    visitor_id=buyer.visitor_id))


def _release(order: Order) -> None:
    """Give a cancelled order's coupon use back."""
    redemption = db.session.scalar(select(CouponRedemption).where(CouponRedemption.order_id == order.id))
    if redemption is None:
        return
    db.session.execute(update(Coupon).where(Coupon.id == redemption.coupon_id, Coupon.uses > 0)
                       .values(uses=Coupon.uses - 1).execution_options(synchronize_session=False))
    db.session.delete(redemption)


# --- totals -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    subtotal: int
    discount: int
    shipping: int
    tax: int
    total: int


def compute_totals(lines: list[tuple[int, int, str]], sheet: PriceSheet, coupon: Coupon | None = None,
                   standing_percent: int = 0) -> Totals:
    """Totals in minor units from (unit_price, quantity, product_kind) lines.

    Discount before shipping; shipping flat when anything is physical (free with a free-shipping coupon or
    above the sheet's threshold); tax on goods plus shipping, included in the prices or added on top.
    Fractions are rounded half up once each (see `money`)."""
    subtotal = sum(unit * quantity for unit, quantity, _ in lines)
    discount = 0
    if coupon is not None and coupon.percent_off:
        discount = money.percent_of(subtotal, coupon.percent_off)
    elif coupon is not None and coupon.amount_off:
        discount = min(coupon.amount_off, subtotal)
    if standing_percent:  # a loyalty discount does not stack with a coupon: the better one applies
        discount = max(discount, money.percent_of(subtotal, standing_percent))
    shipping = 0
    if any(kind in PHYSICAL_KINDS for _, _, kind in lines):
        free = (coupon is not None and coupon.free_shipping) or (
            sheet.free_shipping_over is not None and subtotal - discount >= sheet.free_shipping_over)
        shipping = 0 if free else sheet.shipping_flat
    taxable = subtotal - discount + shipping
    tax = money.tax_on(taxable, Decimal(sheet.tax_rate_bp) / 100, included=sheet.tax_included)
    total = taxable if sheet.tax_included else taxable + tax
    return Totals(subtotal=subtotal, discount=discount, shipping=shipping, tax=tax, total=total)


# --- carts --------------------------------------------------------------------------------------------------

def gallery_price_sheet(gallery: Gallery) -> PriceSheet:
    sheet = db.session.get(PriceSheet, gallery.price_sheet_id) if gallery.price_sheet_id else None
    if sheet is None or sheet.photographer_id != gallery.photographer_id:
        raise Problem(409, "This gallery has no store.")
    return sheet


def _cart(gallery: Gallery, buyer: Buyer, *, create: bool) -> Cart | None:
    # Items and their products in two more queries, not one a line.
    cart = db.session.scalar(select(Cart).where(Cart.gallery_id == gallery.id, Cart.visitor_id == buyer.visitor_id)
                             .options(selectinload(Cart.items).selectinload(CartItem.product)))
    if cart is None and create:
        cart = Cart(photographer_id=gallery.photographer_id, gallery_id=gallery.id, visitor_id=buyer.visitor_id,
                    client_id=buyer.client_id)
        db.session.add(cart)
    return cart


@dataclass
class CartView:
    gallery_id: str
    currency: str
    items: list
    subtotal: int
    updated_at: datetime | None


def _line_view(item: CartItem) -> dict:
    return {"id": item.id, "product_id": item.product_id, "product_name": item.product.name,
            "product_kind": item.product.kind, "photo_id": item.photo_id, "quantity": item.quantity,
            "options": item.options, "unit_price": item.product.price,
            "line_total": item.product.price * item.quantity, "available": item.product.active}


def get_cart(gallery: Gallery, buyer: Buyer) -> CartView:
    sheet = gallery_price_sheet(gallery)
    cart = _cart(gallery, buyer, create=False)
    items = [_line_view(item) for item in (cart.items if cart else [])]
    return CartView(gallery_id=gallery.id, currency=sheet.currency, items=items,
                    subtotal=sum(line["line_total"] for line in items if line["available"]),
                    updated_at=cart.updated_at if cart else None)


def _visible_photo_ids(gallery: Gallery, buyer: Buyer, photo_ids: set[str]) -> set[str]:
    stmt = (select(Photo.id).outerjoin(GallerySet, GallerySet.id == Photo.set_id)
            .where(Photo.gallery_id == gallery.id, Photo.id.in_(photo_ids)))
    if buyer.role != "client":
        stmt = stmt.where(Photo.hidden_from_guests.is_(False),
                          or_(GallerySet.id.is_(None), GallerySet.hidden_from_guests.is_(False)))
    return set(db.session.scalars(stmt))


def replace_cart(gallery: Gallery, buyer: Buyer, items: list[dict]) -> CartView:
    """Replace the visitor's cart with `items` (validated: products of this gallery's sheet, photos of THIS
    gallery the visitor may see, options per product kind). Records `cart_updated`."""
    from gallery.store.schemas import options_schema_for

    sheet = gallery_price_sheet(gallery)
    products = {p.id: p for p in sheet.products if p.active}
    wanted_photos = {item["photo_id"] for item in items if item.get("photo_id")}
    for item in items:
        wanted_photos.update((item.get("options") or {}).get("photo_ids") or [])
    visible = _visible_photo_ids(gallery, buyer, wanted_photos) if wanted_photos else set()
    errors: dict[str, list[str]] = {}
    cleaned = []
    for index, item in enumerate(items):
        product = products.get(item["product_id"])
        if product is None:
            errors[f"items.{index}.product_id"] = ["Not a product sold in this gallery."]
            continue
        photo_id = item.get("photo_id")
        if product.kind in PHOTO_KINDS and not photo_id:
            errors[f"items.{index}.photo_id"] = [f"A {product.kind.replace('_', ' ')} needs a photo."]
        elif product.kind == "digital_gallery" and photo_id:
            errors[f"items.{index}.photo_id"] = ["The whole-gallery download takes no photo."]
        elif photo_id and photo_id not in visible:
            errors[f"items.{index}.photo_id"] = ["Not a photo of this gallery."]
        options, option_errors = options_schema_for(product.kind).validate_options(item.get("options") or {})
        for field, messages in option_errors.items():
            errors[f"items.{index}.options.{field}"] = messages
        if set(options.get("photo_ids") or []) - visible:
            errors[f"items.{index}.options.photo_ids"] = ["Every photo must be a photo of this gallery."]
        quantity = item["quantity"]
        if product.kind in DIGITAL_KINDS and quantity != 1:
            errors[f"items.{index}.quantity"] = ["A download is bought once."]
        cleaned.append(CartItem(product_id=product.id, photo_id=photo_id, quantity=quantity, options=options,
                                position=index))
    if errors:
        raise Problem(422, "Some cart items are invalid: " + ", ".join(sorted(errors)) + ".", errors=errors)
    cart = _cart(gallery, buyer, create=True)
    cart.client_id = buyer.client_id or cart.client_id
    cart.items = cleaned
    cart.updated_at = clock.now()  # also when only items changed
    db.session.flush()
    view = get_cart(gallery, buyer)
    record_event("cart_updated", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=buyer.client_id, visitor_id=buyer.visitor_id,
                 payload={"items": len(cleaned), "subtotal": view.subtotal, "currency": view.currency})
    return view


# --- checkout -----------------------------------------------------------------------------------------------

def place_order(gallery: Gallery, buyer: Buyer, *, coupon_code: str | None = None,
                shipping_address: dict | None = None, note: str | None = None,
                return_url: str | None = None) -> Order:
    """Turn the visitor's cart into an order with a price snapshot; redeem the coupon; start payment."""
    sheet = gallery_price_sheet(gallery)
    cart = _cart(gallery, buyer, create=False)
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
        coupon = _find_coupon(gallery.photographer_id, coupon_code)
        _check_coupon(coupon, gallery=gallery, buyer=buyer, currency=sheet.currency, subtotal=subtotal)
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
        _redeem(coupon, order, buyer)
    record_event("order_placed", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=buyer.client_id, visitor_id=buyer.visitor_id,
                 payload={"order_id": order.id, "total": order.total, "currency": order.currency,
                          "coupon_id": order.coupon_id})
    cart.items = []
    if order.total == 0:
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
                placed_after=None, placed_before=None) -> Page:
    stmt = select(Order).where(Order.photographer_id == photographer_id)
    for column, value in ((Order.status, status), (Order.gallery_id, gallery_id), (Order.client_id, client_id)):
        if value:
            stmt = stmt.where(column == value)
    if placed_after:
        stmt = stmt.where(Order.placed_at >= placed_after)
    if placed_before:
        stmt = stmt.where(Order.placed_at < placed_before)
    return paginate(stmt, db.session, keys=[Order.id], cursor=cursor, limit=limit, descending=True)


def change_order_status(photographer_id: str, order_id: str, status: str | None = None, *,
                        tracking: str | None = None) -> Order:
    order = get_order(photographer_id, order_id, lock=True)
    if tracking is not None:
        order.tracking = tracking
    if status is not None and status != order.status:
        _transition(order, status)
        if status == "paid":
            mark_order_paid(order, source="manual")
        elif status == "cancelled":
            _release(order)
    db.session.flush()
    return order


def _transition(order: Order, status: str) -> None:
    allowed = ORDER_TRANSITIONS[order.status]
    if status not in allowed:
        nexts = ", ".join(sorted(allowed)) or "none (final)"
        raise Problem(409, f"An order that is {order.status} cannot become {status}; allowed next: {nexts}.",
                      errors={"status": [f"Allowed next: {nexts}."]})
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


def visitor_has_digital_purchase(gallery_id: str, visitor_id: str, photo_id: str | None = None) -> bool:
    """Whether the visitor paid for a full-size download: of `photo_id` (that photo or the whole gallery),
    or, without `photo_id`, of the whole gallery."""
    covers = OrderItem.product_kind == "digital_gallery"
    if photo_id is not None:
        covers = or_(covers, (OrderItem.product_kind == "digital_photo") & (OrderItem.photo_id == photo_id))
    return bool(db.session.scalar(select(exists().where(
        OrderItem.order_id == Order.id, Order.gallery_id == gallery_id, Order.visitor_id == visitor_id,
        Order.status.in_(PAID_STATUSES), covers))))


# --- webhooks -----------------------------------------------------------------------------------------------

def handle_payment_webhook(provider_name: str, body: bytes, headers) -> tuple[str, Order | None]:
    """Verify and apply a provider event once. Returns (outcome, order paid now or None).

    A bad signature or an old timestamp raises a 400 problem before anything is read; a replayed event id,
    an unknown order or a mismatching amount is acknowledged (so the provider stops retrying) and changes
    nothing."""
    provider = get_provider(provider_name)
    if not provider.has_webhooks:
        raise Problem(404, f"The {provider_name} payment provider receives no webhooks.")
    event = provider.parse_webhook(body, headers)
    record = PaymentEvent(provider=provider.name, event_id=event.id[:255], event_type=event.type[:100],
                          order_id=(event.order_id or "")[:26] or None, outcome="received")
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return "duplicate", None
    order = None
    if event.order_id:
        order = db.session.scalar(select(Order).where(
            Order.id == event.order_id, Order.payment_provider == provider.name,
            Order.payment_reference == event.reference).with_for_update())
    if not event.paid:
        record.outcome = "ignored"
    elif order is None:
        record.outcome = "unknown order"
    elif event.amount != order.total or event.currency != order.currency:
        record.outcome = "amount mismatch"
        log.warning("webhook %s for order %s: paid %s %s, expected %s %s", event.id, order.id, event.amount,
                    event.currency, order.total, order.currency)
    elif order.status != "pending_payment":
        record.outcome = f"order already {order.status}"
    else:
        _transition(order, "paid")
        mark_order_paid(order, source=provider.name)
        record.outcome = "paid"
    db.session.flush()
    return record.outcome, order if record.outcome == "paid" else None


def notify_order(order_id: str, event: str) -> None:
    """Queue the order mails; call after the commit, so a rolled-back order sends nothing."""
    from workers.queues import enqueue
    from workers.store import send_order_mails

    enqueue(send_order_mails, order_id, event, queue="mail")
