"""Who buys (`Buyer`) and what an order costs (`compute_totals`, minor units)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal


from gallery.store import money
from gallery.store.models import (PHYSICAL_KINDS, Coupon, PriceSheet)

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
