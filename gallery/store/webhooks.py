"""Payment provider webhooks: verified, applied once."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gallery.errors import Problem
from gallery.extensions import db
from gallery.store.models import (Order, PaymentEvent)
from gallery.store.payments import get_provider
from gallery.store.orders import transition, mark_order_paid

log = logging.getLogger(__name__)


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
        transition(order, "paid", actor="provider")
        mark_order_paid(order, source=provider.name)
        record.outcome = "paid"
    db.session.flush()
    return record.outcome, order if record.outcome == "paid" else None
