"""Store tables. Amounts are integers in minor units of the row's currency."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gallery.core import clock
from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db
from gallery.sharing import models as _sharing_models  # noqa: F401 - visitors (who buy) are in the metadata

PRODUCT_KINDS = ("print", "canvas", "album", "digital_photo", "digital_gallery")
# Kinds that travel by post (shipping applies) and kinds tied to one photo of the gallery.
PHYSICAL_KINDS = frozenset({"print", "canvas", "album"})
PHOTO_KINDS = frozenset({"print", "canvas", "digital_photo"})
DIGITAL_KINDS = frozenset({"digital_photo", "digital_gallery"})

ORDER_STATUSES = ("pending_payment", "paid", "in_production", "shipped", "delivered", "cancelled", "refunded")
# The status machine: where each status may go next.
ORDER_TRANSITIONS = {
    "pending_payment": {"paid", "cancelled"},
    "paid": {"in_production", "shipped", "delivered", "refunded"},
    "in_production": {"shipped", "delivered", "refunded"},
    "shipped": {"delivered", "refunded"},
    "delivered": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}
# Statuses in which the order has been paid for (and digital purchases unlock downloads).
PAID_STATUSES = ("paid", "in_production", "shipped", "delivered")


class PriceSheet(TimestampMixin, db.Model):
    """A photographer's products and prices in one currency, with tax and shipping rules."""

    __tablename__ = "price_sheets"

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    # Tax in basis points (2500 = 25 %), included in the prices (EU style) or added on top (US style).
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    tax_included: Mapped[bool] = mapped_column(default=True)
    # Flat shipping for an order with anything physical; free from `free_shipping_over` (after discount).
    shipping_flat: Mapped[int] = mapped_column(Integer, default=0)
    free_shipping_over: Mapped[int | None] = mapped_column(Integer)
    payment_provider: Mapped[str] = mapped_column(String(32), default="manual")
    # Shown to the buyer (page, order mail) when payment is manual: bank account, Vipps number, ...
    payment_instructions: Mapped[str | None] = mapped_column(String(2000))

    products: Mapped[list["Product"]] = relationship(
        back_populates="price_sheet", order_by="Product.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Product(TimestampMixin, db.Model):
    """Never deleted while orders may name it: a product dropped from a sheet becomes inactive."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    id: Mapped[str] = id_column()
    price_sheet_id: Mapped[str] = mapped_column(ForeignKey("price_sheets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    price: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    price_sheet: Mapped[PriceSheet] = relationship(back_populates="products")


class Cart(TimestampMixin, db.Model):
    """One visitor's cart in one gallery."""

    __tablename__ = "carts"
    __table_args__ = (UniqueConstraint("gallery_id", "visitor_id", name="uq_carts_gallery_visitor"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    visitor_id: Mapped[str] = mapped_column(String(26), index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)

    items: Mapped[list["CartItem"]] = relationship(
        back_populates="cart", order_by="CartItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class CartItem(db.Model):
    __tablename__ = "cart_items"
    __table_args__ = (CheckConstraint("quantity BETWEEN 1 AND 100", name="quantity_range"),)

    id: Mapped[str] = id_column()
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    options: Mapped[dict] = mapped_column(JSONType, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)

    cart: Mapped[Cart] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class Coupon(TimestampMixin, db.Model):
    __tablename__ = "coupons"
    __table_args__ = (
        UniqueConstraint("photographer_id", "code", name="uq_coupons_photographer_code"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_limit"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(500))
    percent_off: Mapped[int | None] = mapped_column(Integer)
    amount_off: Mapped[int | None] = mapped_column(Integer)
    # Currency of amount_off and minimum_order.
    currency: Mapped[str | None] = mapped_column(String(3))
    free_shipping: Mapped[bool] = mapped_column(default=False)
    minimum_order: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    max_uses_per_client: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    gallery_id: Mapped[str | None] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    # "manual" for the photographer's own codes; the retention rule that issued an offer otherwise.
    source: Mapped[str] = mapped_column(String(128), default="manual")
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CouponRedemption(db.Model):
    """One use of a coupon by one order (at most one coupon an order)."""

    __tablename__ = "coupon_redemptions"
    __table_args__ = (Index("ix_coupon_redemptions_coupon_client", "coupon_id", "client_id"),
                      Index("ix_coupon_redemptions_coupon_visitor", "coupon_id", "visitor_id"))

    id: Mapped[str] = id_column()
    coupon_id: Mapped[str] = mapped_column(ForeignKey("coupons.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    client_id: Mapped[str | None] = mapped_column(String(26))
    visitor_id: Mapped[str] = mapped_column(String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_photographer_status", "photographer_id", "status"),
        Index("ix_orders_client_paid", "client_id", "paid_at"),
        Index("ix_orders_gallery_visitor", "gallery_id", "visitor_id"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    gallery_id: Mapped[str | None] = mapped_column(ForeignKey("galleries.id", ondelete="SET NULL"))
    visitor_id: Mapped[str] = mapped_column(String(26))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(20), default="pending_payment")
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, default=0)
    shipping: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    tax_included: Mapped[bool] = mapped_column(default=True)
    total: Mapped[int] = mapped_column(Integer)
    coupon_id: Mapped[str | None] = mapped_column(ForeignKey("coupons.id", ondelete="SET NULL"), index=True)
    coupon_code: Mapped[str | None] = mapped_column(String(64))
    shipping_address: Mapped[dict | None] = mapped_column(JSONType)
    note: Mapped[str | None] = mapped_column(String(2000))
    payment_provider: Mapped[str] = mapped_column(String(32), default="manual")
    # The provider's id for the checkout (a hosted session id) and where the buyer pays.
    payment_reference: Mapped[str | None] = mapped_column(String(255), index=True)
    checkout_url: Mapped[str | None] = mapped_column(String(2000))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tracking: Mapped[str | None] = mapped_column(String(500))
    # Where the buyer follows the parcel (the carrier's page for the tracking number).
    tracking_url: Mapped[str | None] = mapped_column(String(2000))

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", order_by="OrderItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class OrderItem(db.Model):
    """A price snapshot: later edits of the product or the photo change nothing here."""

    __tablename__ = "order_items"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    product_kind: Mapped[str] = mapped_column(String(32))
    product_name: Mapped[str] = mapped_column(String(200))
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"), index=True)
    photo_filename: Mapped[str | None] = mapped_column(String(255))
    unit_price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict] = mapped_column(JSONType, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="items")


class OrderEvent(db.Model):
    """An order's history: placed, each status change, tracking, refunds; who did it and when."""

    __tablename__ = "order_events"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    # placed, status, tracking, refund
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    # buyer, photographer, provider, system
    actor: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(500))


class PaymentEvent(db.Model):
    """A provider event already handled; the unique key makes a replayed webhook a no-op."""

    __tablename__ = "payment_events"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event"),)

    id: Mapped[str] = id_column()
    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[str | None] = mapped_column(String(26), index=True)
    outcome: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
