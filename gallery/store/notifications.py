"""Order mail (transactional): confirmation and receipt to the buyer in their language, with the studio's
brand and the price sheet's payment instructions for manual payment; a notice to the photographer in theirs."""
from __future__ import annotations

from gallery import mail
from gallery.accounts.branding import mail_brand
from gallery.accounts.models import Photographer
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store.instructions import payment_instructions
from gallery.store.models import Order
from gallery.store.money import format_money

BUYER_TEMPLATES = {"placed": "order_placed", "paid": "order_paid", "shipped": "order_shipped"}


def queue_order_mails(order_id: str, event: str) -> None:
    """`event`: "placed" (buyer confirmation + photographer notice), "paid" (buyer receipt + notice) or
    "shipped" (buyer only, with the tracking reference). Queued in the caller's transaction."""
    order = db.session.get(Order, order_id)
    if order is None or event not in BUYER_TEMPLATES:
        return
    photographer = db.session.get(Photographer, order.photographer_id)
    if order.email:
        mail.queue(BUYER_TEMPLATES[event], to=order.email, to_name=order.name, language=order.locale,
                   brand=mail_brand(photographer), photographer_id=photographer.id,
                   context={"order": order, "money": _money(order, order.locale),
                            "payment_instructions": payment_instructions(order)})
    if event in ("placed", "paid"):
        mail.queue("order_notice", to=photographer.email, language=photographer.locale, reply_to=order.email,
                   photographer_id=photographer.id,
                   context={"order": order, "event": event, "money": _money(order, photographer.locale),
                            "who": order.name or order.email or "-", "gallery_title": _gallery_title(order)})


def _gallery_title(order: Order) -> str:
    gallery = db.session.get(Gallery, order.gallery_id) if order.gallery_id else None
    return gallery.title if gallery else "-"


def _money(order: Order, locale: str | None):
    return lambda amount: format_money(amount, order.currency, locale)
