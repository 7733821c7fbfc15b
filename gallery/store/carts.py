"""Carts on the share side: one per visitor and gallery, lines checked against what the link may see."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.visibility import visible_photo_ids
from gallery.store.models import DIGITAL_KINDS, PHOTO_KINDS, Cart, CartItem, PriceSheet
from gallery.store.schemas import options_schema_for
from gallery.store.totals import Buyer

log = logging.getLogger(__name__)


def gallery_price_sheet(gallery: Gallery) -> PriceSheet:
    sheet = db.session.get(PriceSheet, gallery.price_sheet_id) if gallery.price_sheet_id else None
    if sheet is None or sheet.photographer_id != gallery.photographer_id:
        raise Problem(409, "This gallery has no store.")
    return sheet


def find_cart(gallery: Gallery, buyer: Buyer, *, create: bool) -> Cart | None:
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


def line_view(item: CartItem) -> dict:
    return {"id": item.id, "product_id": item.product_id, "product_name": item.product.name,
            "product_kind": item.product.kind, "photo_id": item.photo_id, "quantity": item.quantity,
            "options": item.options, "unit_price": item.product.price,
            "line_total": item.product.price * item.quantity, "available": item.product.active}


def get_cart(gallery: Gallery, buyer: Buyer) -> CartView:
    sheet = gallery_price_sheet(gallery)
    cart = find_cart(gallery, buyer, create=False)
    items = [line_view(item) for item in (cart.items if cart else [])]
    return CartView(gallery_id=gallery.id, currency=sheet.currency, items=items,
                    subtotal=sum(line["line_total"] for line in items if line["available"]),
                    updated_at=cart.updated_at if cart else None)


def replace_cart(gallery: Gallery, buyer: Buyer, items: list[dict]) -> CartView:
    """Replace the visitor's cart with `items` (validated: products of this gallery's sheet, photos of THIS
    gallery the visitor may see, options per product kind). Records `cart_updated`."""
    sheet = gallery_price_sheet(gallery)
    products = {p.id: p for p in sheet.products if p.active}
    wanted_photos = {item["photo_id"] for item in items if item.get("photo_id")}
    for item in items:
        album_ids = (item.get("options") or {}).get("photo_ids")
        if isinstance(album_ids, list):  # anything else is refused below by the options' own schema
            wanted_photos.update(photo_id for photo_id in album_ids if isinstance(photo_id, str))
    visible = visible_photo_ids(gallery.id, buyer.role == "client", wanted_photos) if wanted_photos else set()
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
    cart = find_cart(gallery, buyer, create=True)
    cart.client_id = buyer.client_id or cart.client_id
    cart.items = cleaned
    cart.updated_at = clock.now()  # also when only items changed
    db.session.flush()
    view = get_cart(gallery, buyer)
    record_event("cart_updated", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=buyer.client_id, visitor_id=buyer.visitor_id,
                 payload={"items": len(cleaned), "subtotal": view.subtotal, "currency": view.currency})
    return view
