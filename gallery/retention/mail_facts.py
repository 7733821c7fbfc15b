"""Facts a retention mail states about the client, decided by rows, not by event times: the favourites
they have not ordered yet, what is in their cart."""
from __future__ import annotations

from sqlalchemy import and_, exists, select

from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.proofing.models import Favourite, FavouriteList
from gallery.sharing.models import Visitor
from gallery.store.models import Cart, CartItem, Order, OrderItem, Product

NOT_ORDERED_STATUSES = ("cancelled", "refunded")  # an order in any other status holds its photos


def _ordered(client_col, photo_col):
    return exists(select(OrderItem.id).join(Order, Order.id == OrderItem.order_id)
                  .where(Order.client_id == client_col, OrderItem.photo_id == photo_col,
                         Order.status.not_in(NOT_ORDERED_STATUSES)))


def unordered_favourites(client_id: str, gallery_id: str | None = None) -> list[str]:
    """Photo ids the client (any of their identities) favourited and has not ordered, newest first."""
    stmt = (select(Favourite.photo_id).join(FavouriteList, FavouriteList.id == Favourite.list_id)
            .join(Visitor, Visitor.id == FavouriteList.visitor_id)
            .join(Photo, Photo.id == Favourite.photo_id)
            .where(Visitor.client_id == client_id, Photo.status == "ready",
                   ~_ordered(Visitor.client_id, Favourite.photo_id))
            .order_by(Favourite.created_at.desc(), Favourite.id.desc()))
    if gallery_id:
        stmt = stmt.where(FavouriteList.gallery_id == gallery_id)
    return list(dict.fromkeys(db.session.scalars(stmt)))


def clients_with_unordered_favourites(client_ids: list[str]) -> set[str]:
    """Of these clients, the ones with at least one favourite not ordered yet (one query)."""
    if not client_ids:
        return set()
    return set(db.session.scalars(
        select(Visitor.client_id).join(FavouriteList, FavouriteList.visitor_id == Visitor.id)
        .join(Favourite, Favourite.list_id == FavouriteList.id)
        .where(Visitor.client_id.in_(client_ids), ~_ordered(Visitor.client_id, Favourite.photo_id))
        .distinct()))


def cart_lines(client_id: str | None, gallery_id: str | None) -> list[str]:
    """What is in the client's cart on that gallery: '2 x Print 20x30 (DSC_0012.jpg)'."""
    if not client_id:
        return []
    stmt = (select(CartItem.quantity, Product.name, Photo.original_filename)
            .join(Cart, Cart.id == CartItem.cart_id).join(Product, Product.id == CartItem.product_id)
            .outerjoin(Photo, Photo.id == CartItem.photo_id)
            .where(Cart.client_id == client_id, and_(Cart.gallery_id == gallery_id) if gallery_id else True)
            .order_by(CartItem.position, CartItem.id))
    return [f"{quantity} x {name}" + (f" ({filename})" if filename else "")
            for quantity, name, filename in db.session.execute(stmt)]
