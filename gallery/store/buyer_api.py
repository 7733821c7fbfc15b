"""A share link visitor's own orders: GET /api/v1/share/{token}/orders (status, tracking, how to pay), and
pictures for the lines of carts and orders.

Visitor-scoped: a visitor sees only the orders they placed in this gallery, through this link. A line's
`thumb` is the photo's thumbnail exactly as the share API hands it out to this link (watermark rules included).
"""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from gallery.extensions import db
from gallery.sharing.access import share_access
from gallery.store import schemas
from gallery.store.instructions import payment_instructions
from gallery.store.models import Order

blp = Blueprint("store_buyer", __name__, url_prefix="/api/v1/share",
                description="Store for a share link's visitor: their own orders")

MAX_ORDERS = 100


class BuyerOrderViewSchema(schemas.BuyerOrderSchema):
    payment_instructions = fields.String(allow_none=True, metadata={
        "description": "How to pay, from the price sheet, while a manual-payment order awaits payment."})
    items = fields.List(fields.Nested(type("BuyerOrderItemSchema", (schemas.OrderItemSchema,), {
        "thumb": fields.Dict(allow_none=True, metadata={"description": "The photo's thumbnail (url, webp, width, "
                                                                       "height) as this link may see it."})})))


class BuyerOrderListSchema(Schema):
    items = fields.List(fields.Nested(BuyerOrderViewSchema))


def thumbs_for(access, photo_ids) -> dict[str, dict]:
    """{photo_id: thumbnail} through the share API's own rendition rule (watermarked galleries included)."""
    from gallery.galleries.models import Photo
    from gallery.proofing.share_view import renditions_by_photo
    from gallery.sharing.visibility import visible_photos

    wanted = sorted({pid for pid in photo_ids if pid})
    if not wanted:
        return {}
    visible = set(db.session.scalars(visible_photos(access, Photo.id).where(Photo.id.in_(wanted))))
    sizes = renditions_by_photo(access, [pid for pid in wanted if pid in visible])
    return {pid: (by_size.get("thumb") or next(iter(by_size.values()), None)) for pid, by_size in sizes.items()}


def with_thumbs(access, lines: list[dict]) -> list[dict]:
    thumbs = thumbs_for(access, [line.get("photo_id") for line in lines])
    return [{**line, "thumb": thumbs.get(line.get("photo_id"))} for line in lines]


def order_view(access, order: Order) -> Order:
    """The order as its buyer sees it: each line's picture and, while unpaid, how to pay (plain attributes on
    the loaded rows, read by BuyerOrderViewSchema; nothing is written)."""
    thumbs = thumbs_for(access, [item.photo_id for item in order.items])
    for item in order.items:
        item.thumb = thumbs.get(item.photo_id)
    order.payment_instructions = payment_instructions(order, access.gallery)
    return order


@blp.get("/<token>/orders")
@blp.response(200, BuyerOrderListSchema)
@share_access(require_visitor=True)
def list_my_orders(access):
    """The visitor's orders in this gallery, newest first: status, tracking, lines with pictures, how to pay."""
    orders = db.session.scalars(select(Order).where(Order.gallery_id == access.gallery.id,
                                                    Order.visitor_id == access.visitor.id)
                                .order_by(Order.placed_at.desc(), Order.id.desc()).limit(MAX_ORDERS))
    return {"items": [order_view(access, order) for order in orders]}
