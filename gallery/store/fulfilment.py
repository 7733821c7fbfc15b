"""What an order waits on the studio for: the one rule the inbox (and any other caller) asks.

- a manual payment (bank transfer, cash) to confirm: `pending_payment` with the manual provider (a hosted
  checkout confirms itself through its webhook, so its pending orders wait on the buyer, not the studio);
- prints, canvases or albums to produce (`paid`) or to ship (`in_production`).

Digital-only orders deliver themselves once paid. An order is handled once it moves on: shipped, delivered,
cancelled or refunded.
"""
from __future__ import annotations

from sqlalchemy import and_, case, exists, or_, select

from gallery.store.models import PHYSICAL_KINDS, Order, OrderItem
from gallery.store.payments import ManualProvider

# The studio's next step for an order in each status that waits on it.
NEXT_STEPS = {"pending_payment": "confirm_payment", "paid": "produce", "in_production": "ship"}


def awaiting_studio():
    """A SQL condition on Order: the order waits on the studio's next step."""
    physical = exists(select(OrderItem.id).where(OrderItem.order_id == Order.id,
                                                 OrderItem.product_kind.in_(sorted(PHYSICAL_KINDS))))
    return or_(and_(Order.status == "pending_payment", Order.payment_provider == ManualProvider.name),
               and_(Order.status.in_(("paid", "in_production")), physical))


def next_step():
    """The next step as a SQL expression (one of NEXT_STEPS' values), for the orders awaiting_studio()."""
    return case(*((Order.status == status, step) for status, step in NEXT_STEPS.items()), else_=None)
