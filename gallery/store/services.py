"""The store's service layer, by responsibility (this module names them all, for routes, jobs and the CLI):

- `price_sheets`: price sheets and their products;
- `coupons`: codes and terms, offer coupons, checks, redemption and release;
- `totals`: who buys (`Buyer`) and what an order costs;
- `carts`: the visitor's cart on a share link;
- `orders`: checkout, orders, status changes, payment, order mails;
- `purchases`: what a visitor bought that widens their downloads;
- `webhooks`: payment provider events.

Photographer-side functions take the photographer id and scope every query by it; share-side functions take
the gallery (already resolved from the share link) and the `Buyer`. Services flush; the request or job commits.
"""
from gallery.store.carts import CartView, get_cart, replace_cart  # noqa: F401
from gallery.store.coupons import (  # noqa: F401
    check_coupon, create_coupon, generate_code, get_coupon, issue_offer_coupon, list_coupons, normalize_code,
    update_coupon)
from gallery.store.order_page import detailed, listed  # noqa: F401
from gallery.store.orders import (  # noqa: F401
    allowed_next, change_order_status, get_buyer_order, get_order, list_orders, mark_order_paid, notify_order, on_first_paid_order,
    place_order)
from gallery.store.price_sheets import (  # noqa: F401
    create_price_sheet, delete_price_sheet, get_price_sheet, list_price_sheets, update_price_sheet)
from gallery.store.purchases import visitor_has_digital_purchase  # noqa: F401
from gallery.store.totals import Buyer, Totals, compute_totals  # noqa: F401
from gallery.store.webhooks import handle_payment_webhook  # noqa: F401
