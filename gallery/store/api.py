"""Store routes: price sheets, coupons and orders for the photographer; the payment webhook;
cart and checkout for a share link's visitor."""
from flask import current_app, request
from flask_smorest import Blueprint

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.clients.models import Client
from gallery.extensions import db
from gallery.sharing.access import share_access
from gallery.store import schemas, services
from gallery.store.buyer_api import BuyerOrderViewSchema, order_view, with_thumbs

blp = Blueprint("store", __name__, url_prefix="/api/v1", description="Store: price sheets, coupons, orders")


@blp.get("/price-sheets")
@photographer_required
@blp.arguments(schemas.PageArgsSchema, location="query")
@blp.response(200, schemas.PriceSheetPageSchema)
def list_price_sheets(args):
    """Price sheets with their products, newest first."""
    return services.list_price_sheets(current_photographer().id, **args)


@blp.post("/price-sheets")
@photographer_required
@blp.arguments(schemas.PriceSheetSchema)
@blp.response(201, schemas.PriceSheetDumpSchema)
def create_price_sheet(payload):
    """Create a price sheet with its products inline (prices in minor units of its currency)."""
    sheet = services.create_price_sheet(current_photographer().id, schemas.price_sheet_fields(payload))
    db.session.flush()
    return sheet


@blp.get("/price-sheets/<price_sheet_id>")
@photographer_required
@blp.response(200, schemas.PriceSheetDumpSchema)
def get_price_sheet(price_sheet_id):
    """One price sheet with its products (inactive ones included)."""
    return services.get_price_sheet(current_photographer().id, price_sheet_id)


@blp.patch("/price-sheets/<price_sheet_id>")
@photographer_required
@blp.arguments(schemas.PriceSheetSchema(partial=True))
@blp.response(200, schemas.PriceSheetDumpSchema)
def update_price_sheet(changes, price_sheet_id):
    """Change a price sheet; `products`, when given, replaces the product list."""
    sheet = services.update_price_sheet(current_photographer().id, price_sheet_id,
                                        schemas.price_sheet_fields(changes))
    db.session.flush()
    return sheet


@blp.delete("/price-sheets/<price_sheet_id>")
@photographer_required
@blp.response(204)
@blp.alt_response(409, description="Galleries still sell from the sheet (their titles in `errors.galleries`).")
def delete_price_sheet(price_sheet_id):
    """Delete a price sheet no gallery sells from; orders keep their price snapshot."""
    services.delete_price_sheet(current_photographer().id, price_sheet_id)


@blp.get("/coupons")
@photographer_required
@blp.arguments(schemas.CouponQuerySchema, location="query")
@blp.response(200, schemas.CouponPageSchema)
def list_coupons(args):
    """Coupons, newest first; filter by client, gallery or source (a retention rule)."""
    return services.list_coupons(current_photographer().id, **args)


@blp.post("/coupons")
@photographer_required
@blp.arguments(schemas.CouponSchema)
@blp.response(201, schemas.CouponSchema)
def create_coupon(payload):
    """Create a coupon: percent or amount off and/or free shipping, with limits and validity."""
    coupon = services.create_coupon(current_photographer().id, payload)
    db.session.flush()
    return coupon


@blp.get("/coupons/<coupon_id>")
@photographer_required
@blp.response(200, schemas.CouponSchema)
def get_coupon(coupon_id):
    """One coupon with its use count."""
    return services.get_coupon(current_photographer().id, coupon_id)


@blp.patch("/coupons/<coupon_id>")
@photographer_required
@blp.arguments(schemas.CouponPatchSchema)
@blp.response(200, schemas.CouponSchema)
def update_coupon(changes, coupon_id):
    """Withdraw a coupon (`disabled`), or change its end date or use limit."""
    coupon = services.update_coupon(current_photographer().id, coupon_id, changes)
    db.session.flush()
    return coupon


@blp.get("/orders")
@photographer_required
@blp.arguments(schemas.OrderQuerySchema, location="query")
@blp.response(200, schemas.OrderPageSchema)
def list_orders(args):
    """Orders, newest first, with gallery title and client name; filter by status, gallery, client, placement
    time or a search (`q`: buyer's name or email, order id, coupon code)."""
    page = services.list_orders(current_photographer().id, **args)
    page.items = services.listed(page.items)
    return page


@blp.get("/orders/<order_id>")
@photographer_required
@blp.response(200, schemas.OrderDetailSchema)
def get_order(order_id):
    """One order: its price snapshot with pictures, the statuses it may move to next (`allowed_next`), how the
    buyer was told to pay, and its history."""
    return services.detailed(services.get_order(current_photographer().id, order_id))


@blp.patch("/orders/<order_id>")
@photographer_required
@blp.arguments(schemas.OrderPatchSchema)
@blp.response(200, schemas.OrderDetailSchema)
@blp.alt_response(409, description="A status the order may not move to now (`allowed_next` lists those it may), "
                                   "or a refund its payment provider cannot make.")
def update_order(changes, order_id):
    """Move an order to one of its `allowed_next` statuses (mark paid, in production, shipped, refunded through
    the payment provider...) with an optional note, and/or set the tracking number and URL."""
    before = services.get_order(current_photographer().id, order_id).status
    order = services.change_order_status(current_photographer().id, order_id, changes.get("status"),
                                         tracking=changes.get("tracking"), tracking_url=changes.get("tracking_url"),
                                         note=changes.get("note"))
    if order.status != before and order.status in ("paid", "shipped"):
        services.notify_order(order.id, order.status)
    db.session.flush()
    return services.detailed(order)


@blp.post("/payments/<provider>/webhook")
@blp.response(200, schemas.WebhookAnswerSchema)
@blp.doc(requestBody={"content": {"application/json": {"schema": {"type": "object"}}},
                      "description": "The provider's signed event (Stripe-Signature: t=...,v1=...)."})
def payment_webhook(provider):
    """Payment provider events, verified by HMAC signature and applied once."""
    outcome, paid_order = services.handle_payment_webhook(provider, request.get_data(cache=False), request.headers)
    if paid_order is not None:
        services.notify_order(paid_order.id, "paid")
    return {"received": True, "outcome": outcome}


share_blp = Blueprint("store_share", __name__, url_prefix="/api/v1/share",
                      description="Store for a share link's visitor: cart and checkout")


def _buyer(access) -> services.Buyer:
    """The identified visitor, attributed to their client (or the gallery's, on the client's own link)."""
    client_id = access.client_id
    client = db.session.get(Client, client_id) if client_id else None
    visitor = access.visitor
    return services.Buyer(visitor_id=visitor.id, client_id=client_id, email=visitor.email, name=visitor.name,
                          locale=client.locale if client else "en", role=access.role)


@share_blp.get("/<token>/cart")
@share_blp.response(200, schemas.CartSchema)
@share_access(require_visitor=True)
def get_cart(access):
    """The visitor's cart in this gallery, priced from the gallery's price sheet; lines carry the photo's `thumb`."""
    return _pictured(access, services.get_cart(access.gallery, _buyer(access)))


@share_blp.put("/<token>/cart")
@share_access(require_visitor=True)  # before the body is parsed: a stranger learns nothing from validation
@share_blp.arguments(schemas.CartPutSchema)
@share_blp.response(200, schemas.CartSchema)
def put_cart(payload, access):
    """Replace the cart's items (product, photo of this gallery, quantity 1-100, options per product kind)."""
    cart = services.replace_cart(access.gallery, _buyer(access), payload["items"])
    db.session.flush()
    return _pictured(access, cart)


@share_blp.post("/<token>/orders")
@share_access(require_visitor=True)
@share_blp.arguments(schemas.CheckoutSchema)
@share_blp.response(201, BuyerOrderViewSchema)
def checkout(payload, access):
    """Check out the cart: an order with a price snapshot; `checkout_url` when paying online."""
    return_url = f"{current_app.config['GALLERY'].public_base_url}/g/{access.link.token}"
    order = services.place_order(access.gallery, _buyer(access), return_url=return_url, **payload)
    services.notify_order(order.id, "placed")
    db.session.flush()
    return order_view(access, order)


@share_blp.get("/<token>/orders/<order_id>")
@share_blp.response(200, BuyerOrderViewSchema)
@share_access(require_visitor=True)
def get_buyer_order(order_id, access):
    """One of the visitor's own orders in this gallery (e.g. its status after the hosted checkout)."""
    return order_view(access, services.get_buyer_order(access.gallery, _buyer(access), order_id))


def _pictured(access, cart):
    cart.items = with_thumbs(access, cart.items)
    return cart
