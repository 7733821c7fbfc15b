"""An order's history: one row per thing that happened to it (placed, status changes, tracking, refunds).

Written in the transaction that made the change; read by the photographer's order page."""
from __future__ import annotations

from sqlalchemy import select

from gallery.core import clock
from gallery.extensions import db
from gallery.store.models import Order, OrderEvent

ACTORS = ("buyer", "photographer", "provider", "system")


def record(order: Order, kind: str, *, actor: str, from_status: str | None = None, to_status: str | None = None,
           detail: str | None = None) -> None:
    db.session.add(OrderEvent(order_id=order.id, at=clock.now(), kind=kind, actor=actor, from_status=from_status,
                              to_status=to_status, detail=(detail or None) and detail[:500]))


def order_history(order: Order) -> list[OrderEvent]:
    """Oldest first."""
    return list(db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                   .order_by(OrderEvent.at, OrderEvent.id)))
