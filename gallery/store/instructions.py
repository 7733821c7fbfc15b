"""How to pay a manual-payment order: the price sheet's instructions, while the order awaits payment.

One rule for the page (the share API's orders) and the order mail."""
from __future__ import annotations

from gallery.extensions import db
from gallery.store.models import Order, PriceSheet


def payment_instructions(gallery, order: Order) -> str | None:
    if order.payment_provider != "manual" or order.status != "pending_payment" or gallery is None \
            or not gallery.price_sheet_id:
        return None
    sheet = db.session.get(PriceSheet, gallery.price_sheet_id)
    if sheet is None or sheet.photographer_id != gallery.photographer_id:
        return None
    return sheet.payment_instructions or None
