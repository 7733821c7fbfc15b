"""Price sheets and their products (photographer side, scoped by photographer)."""
from __future__ import annotations

import logging

from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.core.locales import default_currency
from gallery.core.pagination import Page, paginate
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store.models import PriceSheet, Product
from gallery.store.payments import configured_providers

log = logging.getLogger(__name__)


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


def _check_instructions(provider: str, instructions: str | None) -> None:
    """With manual payment the buyer learns how to pay only from the instructions (order page and mail): a sheet
    that sells this way must say how (bank account, reference, Vipps number...)."""
    if provider == "manual" and not (instructions or "").strip():
        raise Problem(422, "Say how buyers pay: a price sheet with manual payment needs payment instructions.",
                      errors={"payment_instructions": ["Required with manual payment: the bank account, "
                                                       "reference or payment number buyers use."]})


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
    _check_instructions(data.get("payment_provider", "manual"), data.get("payment_instructions"))
    if not data.get("currency"):
        data["currency"] = default_currency(db.session.get(Photographer, photographer_id))
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
    if "payment_provider" in changes or "payment_instructions" in changes:
        _check_instructions(changes.get("payment_provider", sheet.payment_provider),
                            changes.get("payment_instructions", sheet.payment_instructions))
    if "products" in changes:
        _apply_products(sheet, changes.pop("products"))
    for key, value in changes.items():
        setattr(sheet, key, value)
    db.session.flush()
    return sheet


def delete_price_sheet(photographer_id: str, price_sheet_id: str) -> None:
    """Delete a sheet no gallery sells from (orders keep their price snapshot; carts lose its products)."""
    sheet = get_price_sheet(photographer_id, price_sheet_id)
    titles = list(db.session.scalars(select(Gallery.title).where(Gallery.price_sheet_id == sheet.id,
                                                                 Gallery.photographer_id == photographer_id)
                                      .order_by(Gallery.title).limit(6)))
    if titles:
        shown = ", ".join(titles[:5]) + (", ..." if len(titles) > 5 else "")
        raise Problem(409, f"Galleries still sell from this price sheet: {shown}. Choose another sheet for them first.",
                      errors={"galleries": titles[:5]}, type="price-sheet-in-use")
    db.session.delete(sheet)
    db.session.flush()
