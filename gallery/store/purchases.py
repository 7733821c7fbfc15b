"""What a visitor has bought that changes what they may download."""
from __future__ import annotations

import logging

from sqlalchemy import exists, or_, select

from gallery.extensions import db
from gallery.store.models import (PAID_STATUSES, Order, OrderItem)

log = logging.getLogger(__name__)


def visitor_has_digital_purchase(gallery_id: str, visitor_id: str, photo_id: str | None = None) -> bool:
    """Whether the visitor paid for a full-size download: of `photo_id` (that photo or the whole gallery),
    or, without `photo_id`, of the whole gallery."""
    covers = OrderItem.product_kind == "digital_gallery"
    if photo_id is not None:
        covers = or_(covers, (OrderItem.product_kind == "digital_photo") & (OrderItem.photo_id == photo_id))
    return bool(db.session.scalar(select(exists().where(
        OrderItem.order_id == Order.id, Order.gallery_id == gallery_id, Order.visitor_id == visitor_id,
        Order.status.in_(PAID_STATUSES), covers))))
