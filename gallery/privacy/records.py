"""Where a client's personal data lives: one place that lists every table holding it, for export and erase."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select

from gallery.clients.models import Client
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.proofing.models import Comment, Favourite, FavouriteList, Selection, Visitor
from gallery.retention.models import Feedback, Message, Referral, ReferredClient, Unsubscribe
from gallery.store.models import Cart, CartItem, CouponRedemption, Order, OrderItem

# Never exported: secrets of ours, not data about the client.
HIDDEN_COLUMNS = {"code_hash", "code_expires_at", "code_attempts", "token_version", "checkout_url"}


@dataclass
class ClientRecords:
    """Every row that is about one client (or one of the visitor identities they used on a gallery)."""

    client: Client
    visitor_ids: list[str] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)

    def visitors(self) -> list[Visitor]:
        return _rows(select(Visitor).where(Visitor.id.in_(self.visitor_ids)).order_by(Visitor.created_at))

    def galleries(self) -> list[Gallery]:
        return _rows(select(Gallery).where(Gallery.client_id == self.client.id).order_by(Gallery.created_at))

    def favourite_lists(self) -> list[FavouriteList]:
        return _rows(select(FavouriteList).where(FavouriteList.visitor_id.in_(self.visitor_ids)))

    def favourites(self) -> list[Favourite]:
        return _rows(select(Favourite).join(FavouriteList, FavouriteList.id == Favourite.list_id)
                     .where(FavouriteList.visitor_id.in_(self.visitor_ids)).order_by(Favourite.created_at))

    def comments(self) -> list[Comment]:
        return _rows(select(Comment).where(Comment.visitor_id.in_(self.visitor_ids)).order_by(Comment.created_at))

    def selections(self) -> list[Selection]:
        return _rows(select(Selection).where(Selection.visitor_id.in_(self.visitor_ids)))

    def events_filter(self):
        return or_(Event.client_id == self.client.id, Event.visitor_id.in_(self.visitor_ids))

    def events(self) -> list[Event]:
        return _rows(select(Event).where(Event.photographer_id == self.client.photographer_id, self.events_filter())
                     .order_by(Event.ts, Event.id))

    def messages_filter(self):
        return (Message.photographer_id == self.client.photographer_id) & or_(
            Message.client_id == self.client.id, Message.visitor_id.in_(self.visitor_ids))

    def messages(self) -> list[Message]:
        return _rows(select(Message).where(self.messages_filter()).order_by(Message.created_at))

    def orders_filter(self):
        return (Order.photographer_id == self.client.photographer_id) & or_(
            Order.client_id == self.client.id, Order.visitor_id.in_(self.visitor_ids))

    def orders(self) -> list[Order]:
        return _rows(select(Order).where(self.orders_filter()).order_by(Order.placed_at))

    def order_items(self) -> list[OrderItem]:
        return _rows(select(OrderItem).join(Order, Order.id == OrderItem.order_id).where(self.orders_filter())
                     .order_by(OrderItem.order_id, OrderItem.position))

    def carts(self) -> list[Cart]:
        return _rows(select(Cart).where(Cart.photographer_id == self.client.photographer_id,
                                        or_(Cart.client_id == self.client.id, Cart.visitor_id.in_(self.visitor_ids))))

    def cart_items(self) -> list[CartItem]:
        cart_ids = [cart.id for cart in self.carts()]
        return _rows(select(CartItem).where(CartItem.cart_id.in_(cart_ids)))

    def coupon_redemptions(self) -> list[CouponRedemption]:
        return _rows(select(CouponRedemption).where(or_(CouponRedemption.client_id == self.client.id,
                                                        CouponRedemption.visitor_id.in_(self.visitor_ids))))

    def feedback(self) -> list[Feedback]:
        return _rows(select(Feedback).where(Feedback.photographer_id == self.client.photographer_id,
                                            Feedback.client_id == self.client.id))

    def referrals(self) -> list[Referral]:
        return _rows(select(Referral).where(Referral.referrer_client_id == self.client.id))

    def referred(self) -> list[ReferredClient]:
        return _rows(select(ReferredClient).where(ReferredClient.client_id == self.client.id))

    def unsubscribes(self) -> list[Unsubscribe]:
        if not self.emails:
            return []
        return _rows(select(Unsubscribe).where(Unsubscribe.photographer_id == self.client.photographer_id,
                                               Unsubscribe.email.in_(sorted(self.emails))))


def _rows(stmt) -> list:
    return list(db.session.scalars(stmt))


def records_of(client: Client) -> ClientRecords:
    """The client's rows, found by the client id and by the visitor identities they used: linked to the
    client, or on one of this photographer's galleries with the client's email."""
    emails = {client.email.lower()} if client.email else set()
    conditions = [Visitor.client_id == client.id]
    if emails:
        studio_galleries = select(Gallery.id).where(Gallery.photographer_id == client.photographer_id)
        conditions.append(Visitor.email.in_(sorted(emails)) & Visitor.gallery_id.in_(studio_galleries))
    visitors = _rows(select(Visitor).where(or_(*conditions)))
    emails |= {visitor.email.lower() for visitor in visitors}
    return ClientRecords(client, [visitor.id for visitor in visitors], emails)


def as_dict(row) -> dict:
    """A row as plain JSON values, our own secrets left out."""
    result = {}
    for column in row.__table__.columns:
        if column.key in HIDDEN_COLUMNS:
            continue
        value = getattr(row, column.key)
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        result[column.key] = value
    return result
