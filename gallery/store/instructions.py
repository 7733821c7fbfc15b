"""How to pay a manual-payment order: the price sheet's instructions, while the order awaits payment.

The one rule for the page (the share API's orders), the order mail and the studio's order page."""
from __future__ import annotations

from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store.models import Order, PriceSheet


def payment_instructions(order: Order, gallery: Gallery | None = None) -> str | None:
    """The gallery's price sheet's instructions (bank account, Vipps number...), stripped; None when the order is
    paid online or no longer awaits payment, or the sheet says nothing. `gallery`: the order's, when at hand."""
    if order.payment_provider != "manual" or order.checkout_url or order.status != "pending_payment":
        return None
    if gallery is None and order.gallery_id:
        gallery = db.session.get(Gallery, order.gallery_id)
    if gallery is None or not gallery.price_sheet_id:
        return None
    sheet = db.session.get(PriceSheet, gallery.price_sheet_id)
    if sheet is None or sheet.photographer_id != order.photographer_id:
        return None
    return (sheet.payment_instructions or "").strip() or None
