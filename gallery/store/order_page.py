"""The photographer's view of orders: each line's picture, the gallery and client by name, the statuses the
order may move to next (from the one rule in `orders.allowed_next`), how the buyer was told to pay, and the
order's history. Plain attributes on the loaded rows, read by the schemas; nothing is written."""
from __future__ import annotations

from sqlalchemy import select

from gallery.clients.models import Client
from gallery.extensions import db
from gallery.galleries.bulk import thumb_urls
from gallery.galleries.models import Gallery
from gallery.store.history import order_history
from gallery.store.instructions import payment_instructions
from gallery.store.models import Order
from gallery.store.orders import allowed_next


def _names(orders: list[Order]) -> tuple[dict[str, str], dict[str, str]]:
    gallery_ids = {o.gallery_id for o in orders if o.gallery_id}
    client_ids = {o.client_id for o in orders if o.client_id}
    galleries = {row.id: row.title for row in db.session.execute(
        select(Gallery.id, Gallery.title).where(Gallery.id.in_(gallery_ids)))} if gallery_ids else {}
    clients = {row.id: row.name for row in db.session.execute(
        select(Client.id, Client.name).where(Client.id.in_(client_ids)))} if client_ids else {}
    return galleries, clients


def listed(orders: list[Order]) -> list[Order]:
    """Orders of a list page, with their gallery's title and client's name."""
    galleries, clients = _names(orders)
    for order in orders:
        order.gallery_title = galleries.get(order.gallery_id)
        order.client_name = clients.get(order.client_id)
    return orders


def detailed(order: Order) -> Order:
    """One order with everything its page shows."""
    listed([order])
    thumbs = thumb_urls([item.photo_id for item in order.items])
    for item in order.items:
        item.thumb_url = thumbs.get(item.photo_id)
    order.allowed_next = allowed_next(order)
    order.payment_instructions = payment_instructions(order)
    order.history = order_history(order)
    return order
