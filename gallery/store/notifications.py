"""Order mail: confirmation and receipt to the buyer, notification to the photographer (transactional)."""
from __future__ import annotations

from gallery.accounts.models import Photographer
from gallery.extensions import db
from gallery.mail.services import build_message, send
from gallery.galleries.models import Gallery
from gallery.store.instructions import payment_instructions
from gallery.store.models import Order
from gallery.store.money import format_money


def _summary(order: Order) -> list[str]:
    def fmt(amount):
        return format_money(amount, order.currency, order.locale)

    lines = []
    for item in order.items:
        photo = f" ({item.photo_filename})" if item.photo_filename else ""
        lines.append(f"  {item.quantity} x {item.product_name}{photo}: {fmt(item.line_total)}")
    lines.append(f"  Subtotal: {fmt(order.subtotal)}")
    if order.discount:
        lines.append(f"  Discount ({order.coupon_code}): -{fmt(order.discount)}")
    if order.shipping:
        lines.append(f"  Shipping: {fmt(order.shipping)}")
    tax_label = "incl. tax" if order.tax_included else "Tax"
    lines.append(f"  {tax_label}: {fmt(order.tax)}")
    lines.append(f"  Total: {fmt(order.total)}")
    return lines


def send_order_mails(order_id: str, event: str) -> None:
    """`event`: "placed" (buyer confirmation + photographer notice), "paid" (buyer receipt + notice) or
    "shipped" (buyer only, with the tracking reference)."""
    order = db.session.get(Order, order_id)
    if order is None:
        return
    photographer = db.session.get(Photographer, order.photographer_id)
    studio = photographer.studio_name
    summary = "\n".join(_summary(order))
    if event == "placed":
        instructions = payment_instructions(db.session.get(Gallery, order.gallery_id), order)
        pay = (f"Pay here: {order.checkout_url}\n" if order.checkout_url
               else "" if order.status != "pending_payment"
               else f"How to pay:\n{instructions}\n" if instructions else f"{studio} will tell you how to pay.\n")
        buyer_subject = f"Your order {order.id} with {studio}"
        buyer_text = f"Thank you for your order.\n\n{summary}\n\n{pay}"
        studio_subject = f"New order {order.id}: {format_money(order.total, order.currency)}"
    elif event == "shipped":
        tracking = f"Tracking: {order.tracking}\n" if order.tracking else ""
        if order.email:
            send(build_message(to=order.email, to_name=order.name, subject=f"Your order {order.id} is on its way",
                               text=f"{studio} has shipped your order.\n{tracking}\n{summary}\n",
                               reply_to=photographer.email))
        return
    else:
        buyer_subject = f"Payment received for order {order.id}"
        buyer_text = f"{studio} has received your payment. Thank you!\n\n{summary}\n"
        studio_subject = f"Order {order.id} paid: {format_money(order.total, order.currency)}"
    if order.email:
        send(build_message(to=order.email, to_name=order.name, subject=buyer_subject, text=buyer_text,
                           reply_to=photographer.email))
    studio_text = (f"{order.name or order.email} ordered from gallery {order.gallery_id}.\n\n{summary}\n\n"
                   f"Status: {order.status}\n")
    send(build_message(to=photographer.email, subject=studio_subject, text=studio_text))
