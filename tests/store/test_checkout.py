"""Checkout: price snapshot, discount, shipping and tax in several currencies; order events and mail."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from gallery.core import clock
from gallery.core.transaction import commit
from gallery.engagement.models import Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.store import orders, services
from gallery.store.models import Order
from tests.store.conftest import fill_cart

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


@pytest.mark.parametrize("currency, prices, tax, included, shipping, percent, expected", [
    # EUR, 25 % VAT included, 15 % off: 2x19.99 + 9.99 = 49.97; -7.50 (7.4955 up); +4.90 ship; tax 9.47
    ("EUR", (1999, 999), "25", True, 490, 15, dict(subtotal=4997, discount=750, shipping=490, tax=947, total=4737)),
    # JPY (zero decimals), 10 % tax included: 2x1999 + 999 = 4997; 15 % = 749.55 -> 750; ship 500; tax 431.5 -> 432
    ("JPY", (1999, 999), "10", True, 500, 15, dict(subtotal=4997, discount=750, shipping=500, tax=432, total=4747)),
    # USD, 8.875 % sales tax on top: 4997 - 750 + 0 (free above 40.00) = 4247; tax 376.92 -> 377
    ("USD", (1999, 999), "8.875", False, 0, 15, dict(subtotal=4997, discount=750, shipping=0, tax=377, total=4624)),
    # KWD (three decimals), no tax, 33 % off 4.997 KWD = 1.64901 -> 1.649
    ("KWD", (1999, 999), "0", False, 1000, 33, dict(subtotal=4997, discount=1649, shipping=1000, tax=0, total=4348)),
])
def test_totals_in_several_currencies(make_shop, make_buyer, currency, prices, tax, included, shipping, percent,
                                      expected):
    from decimal import Decimal

    print_price, download_price = prices
    shop = make_shop(currency=currency, products=[
        {"kind": "print", "name": "Print", "price": print_price},
        {"kind": "digital_photo", "name": "Download", "price": download_price}],
        tax_rate_bp=int(Decimal(tax) * 100), tax_included=included, shipping_flat=shipping or 700,
        free_shipping_over=4000 if shipping == 0 else None)
    coupon = services.create_coupon(shop.photographer.id, {"code": f"OFF{percent}", "percent_off": percent})
    db.session.commit()
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("print", 0, 2), ("digital_photo", 1, 1))
    order = services.place_order(shop.gallery, buyer, coupon_code="off" + str(percent), shipping_address=ADDRESS)
    db.session.commit()
    got = {k: getattr(order, k) for k in expected}
    assert got == expected
    assert order.currency == currency and order.coupon_id == coupon.id
    assert order.total == order.subtotal - order.discount + order.shipping + (0 if included else order.tax)


def test_order_snapshot_survives_price_changes_and_empties_the_cart(make_shop, make_buyer):
    shop = make_shop()
    buyer = make_buyer(shop.client, name="Kari")
    fill_cart(shop, buyer, ("print", 0, 3, {"finish": "glossy"}), ("digital_gallery", None, 1))
    with clock.frozen(datetime(2026, 11, 23, 12, 0, tzinfo=UTC)):
        order = services.place_order(shop.gallery, buyer, shipping_address=ADDRESS, note="Gift wrap")
    db.session.commit()
    services.update_price_sheet(shop.photographer.id, shop.sheet.id, {"products": []})
    db.session.commit()
    order = db.session.get(Order, order.id)
    assert [(i.product_name, i.unit_price, i.quantity, i.line_total, i.photo_filename, i.options)
            for i in order.items] == [
        ("Print 20x30", 2500, 3, 7500, shop.photos[0].original_filename, {"finish": "glossy", "border": False}),
        ("All full-size downloads", 20000, 1, 20000, None, {})]
    assert order.status == "pending_payment" and order.payment_provider == "manual" and order.checkout_url is None
    assert order.placed_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC) and order.client_id == shop.client.id
    assert services.get_cart(shop.gallery, buyer).items == []
    event = db.session.scalar(select(Event).where(Event.kind == "order_placed"))
    assert (event.client_id, event.visitor_id, event.payload["order_id"], event.payload["total"]) == (
        shop.client.id, buyer.visitor_id, order.id, order.total)


def test_checkout_refusals(make_shop, make_buyer):
    shop = make_shop()
    buyer = make_buyer()
    with pytest.raises(Problem) as refused:
        services.place_order(shop.gallery, buyer)
    assert refused.value.code == 422 and refused.value.detail == "The cart is empty."
    fill_cart(shop, buyer, ("print", 0, 1))
    with pytest.raises(Problem) as refused:
        services.place_order(shop.gallery, buyer)
    assert "shipping_address" in refused.value.errors
    anonymous = make_buyer(email=None)
    fill_cart(shop, anonymous, ("digital_photo", 0, 1))
    with pytest.raises(Problem) as refused:
        services.place_order(shop.gallery, anonymous)
    assert "email" in refused.value.detail
    assert db.session.scalar(select(Order.id)) is None


def test_photographer_lists_and_moves_orders_through_the_status_machine(make_shop, make_buyer, smtp_server, app):
    shop = make_shop()
    buyers = [make_buyer(shop.client), make_buyer()]
    orders = []
    for buyer in buyers:
        fill_cart(shop, buyer, ("print", 0, 1))
        orders.append(services.place_order(shop.gallery, buyer, shipping_address=ADDRESS))
        db.session.commit()
    api = shop.api
    listed = api.get("/api/v1/orders?limit=1").json
    rest = api.get(f"/api/v1/orders?limit=1&cursor={listed['next_cursor']}").json
    assert [o["id"] for o in listed["items"] + rest["items"]] == [orders[1].id, orders[0].id]
    assert [o["id"] for o in api.get(f"/api/v1/orders?client_id={shop.client.id}").json["items"]] == [orders[0].id]
    assert api.get("/api/v1/orders?status=paid").json["items"] == []
    assert api.get("/api/v1/orders?status=lost").status_code == 422
    assert len(api.get("/api/v1/orders?placed_after=2000-01-01T00:00:00Z").json["items"]) == 2
    assert api.get("/api/v1/orders?placed_before=2000-01-01T00:00:00Z").json["items"] == []
    assert api.get("/api/v1/orders?cursor=garbage").status_code == 400

    order_id = orders[0].id
    illegal = api.patch(f"/api/v1/orders/{order_id}", json={"status": "shipped"})
    assert illegal.status_code == 409 and "allowed next: cancelled, paid" in illegal.json["detail"]
    with smtp_server.configured(app):
        paid = api.patch(f"/api/v1/orders/{order_id}", json={"status": "paid"})
        assert paid.status_code == 200 and paid.json["status"] == "paid" and paid.json["paid_at"]
        smtp_server.wait_for(2)
    assert {m["To"] for m in smtp_server.messages} == {shop.client.email, shop.photographer.email}
    assert any(m["Subject"].startswith("Payment received") for m in smtp_server.messages)
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "in_production"}).json["status"] == "in_production"
    with smtp_server.configured(app):
        shipped = api.patch(f"/api/v1/orders/{order_id}", json={"status": "shipped", "tracking": "Posten 70701"})
        assert shipped.json["tracking"] == "Posten 70701" and shipped.json["status"] == "shipped"
        smtp_server.wait_for(3)
        assert api.patch(f"/api/v1/orders/{order_id}", json={"tracking": "Posten 70702"}).json["tracking"] == \
            "Posten 70702"
    assert smtp_server.messages[2]["Subject"] == f"Your order {order_id} is on its way"
    assert "Tracking: Posten 70701" in smtp_server.messages[2].get_body(("plain",)).get_content() and len(smtp_server.messages) == 3
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "pending_payment"}).status_code == 409
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "delivered"}).json["status"] == "delivered"
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "refunded"}).json["status"] == "refunded"
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "paid"}).status_code == 409
    assert api.patch(f"/api/v1/orders/{orders[1].id}", json={"status": "cancelled"}).json["status"] == "cancelled"
    assert api.patch(f"/api/v1/orders/{orders[1].id}", json={"status": "paid"}).status_code == 409
    paid_events = db.session.scalars(select(Event).where(Event.kind == "order_paid")).all()
    assert [(e.client_id, e.payload["order_id"]) for e in paid_events] == [(shop.client.id, order_id)]


def test_order_mails_on_placement(make_shop, make_buyer, smtp_server, app):
    shop = make_shop(currency="JPY", products=[{"kind": "digital_photo", "name": "Download", "price": 1999}])
    buyer = make_buyer(shop.client, name="Kari")
    fill_cart(shop, buyer, ("digital_photo", 0, 1))
    order = services.place_order(shop.gallery, buyer)
    db.session.commit()
    with smtp_server.configured(app):
        services.notify_order(order.id, "placed")
        commit()  # the mails leave after the commit
    to_buyer = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == shop.client.email)
    to_studio = next(m for m in smtp_server.messages if m["To"] == shop.photographer.email)
    body = to_buyer.get_body(("plain",)).get_content()
    assert "Download" in body and "¥1,999" in body and shop.photos[0].original_filename in body
    assert to_buyer["Reply-To"].addresses[0].addr_spec == shop.photographer.email
    assert to_studio["Subject"] == f"New order {order.id}: ¥1,999"


def test_first_paid_order_hook_fires_once_per_client(make_shop, make_buyer):
    shop = make_shop()
    seen = []
    hook = services.on_first_paid_order(lambda order: seen.append(order.id))
    try:
        ids = []
        for _ in range(2):
            buyer = make_buyer(shop.client)
            fill_cart(shop, buyer, ("digital_photo", 0, 1))
            ids.append(services.place_order(shop.gallery, buyer).id)
            db.session.commit()
        anonymous = make_buyer()
        fill_cart(shop, anonymous, ("digital_photo", 0, 1))
        ids.append(services.place_order(shop.gallery, anonymous).id)
        db.session.commit()
        for order_id in ids:
            services.change_order_status(shop.photographer.id, order_id, "paid")
            db.session.commit()
        assert seen == [ids[0]]
    finally:
        orders._first_paid_order_hooks.remove(hook)


def test_free_order_is_paid_at_once_and_unlocks_downloads(make_shop, make_buyer):
    shop = make_shop()
    coupon = services.create_coupon(shop.photographer.id, {"code": "ALLFREE", "percent_off": 100})
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("digital_photo", 1, 1))
    assert not services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id, shop.photos[1].id)
    order = services.place_order(shop.gallery, buyer, coupon_code=coupon.code)
    db.session.commit()
    assert (order.total, order.status) == (0, "paid")
    assert services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id, shop.photos[1].id)
    assert not services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id, shop.photos[0].id)
    assert not services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id)  # not the whole gallery
    assert not services.visitor_has_digital_purchase(shop.gallery.id, make_buyer().visitor_id, shop.photos[1].id)


def test_whole_gallery_download_unlocks_every_photo_once_paid(make_shop, make_buyer):
    shop = make_shop()
    buyer = make_buyer()
    fill_cart(shop, buyer, ("digital_gallery", None, 1))
    order = services.place_order(shop.gallery, buyer)
    db.session.commit()
    assert not services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id)  # not paid yet
    services.change_order_status(shop.photographer.id, order.id, "paid")
    db.session.commit()
    assert services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id)
    assert all(services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id, p.id) for p in shop.photos)
    services.change_order_status(shop.photographer.id, order.id, "refunded")
    db.session.commit()
    assert not services.visitor_has_digital_purchase(shop.gallery.id, buyer.visitor_id)
