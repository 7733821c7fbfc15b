"""Order mails leave through the outbox after the checkout commits, in the buyer's language, from the
studio, with the price sheet's payment instructions; a failed one is retried until the server takes it."""
from __future__ import annotations

from datetime import timedelta

from gallery.core import clock
from gallery.extensions import db
from gallery.mail.delivery import BACKOFF, deliver_due
from gallery.mail.models import OutboxMail
from gallery.store import services
from tests.store.conftest import fill_cart


def _checkout(token, visitor_api, shop, language=None):
    headers = {"Accept-Language": language} if language else {}
    cart = {"items": [{"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 2}]}
    assert visitor_api.put(f"/api/v1/share/{token}/cart", json=cart, headers=headers).status_code == 200
    placed = visitor_api.post(f"/api/v1/share/{token}/orders", json={
        "shipping_address": {"name": "Kari", "line1": "Storgata 1", "city": "Oslo", "postal_code": "0155",
                             "country": "NO"}}, headers=headers)
    assert placed.status_code == 201, placed.json
    return placed.json["id"]


def test_a_failed_order_mail_is_retried_until_the_server_takes_it(app, make_shop, make_visitor_api, smtp_server):
    shop = make_shop()
    token, _visitor, visitor_api = make_visitor_api(shop.gallery, "kari@example.com", name="Kari")
    smtp_server.reply = lambda envelope: "451 4.3.0 mailbox busy, try later"
    with smtp_server.configured(app), clock.frozen(clock.now()) as placed_at:
        order_id = _checkout(token, visitor_api, shop)
        db.session.expire_all()
        waiting = db.session.scalars(db.select(OutboxMail).where(OutboxMail.kind.like("order_%"))).all()
        assert {row.status for row in waiting} == {"queued"} and len(waiting) == 2  # buyer + studio
        assert all("451" in row.last_error and row.attempts == 1 for row in waiting)
        smtp_server.reply = None
        with clock.frozen(placed_at + timedelta(seconds=BACKOFF[0])):
            deliver_due()
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted([f"Your order {order_id} with {shop.photographer.studio_name}",
                               f"New order {order_id}: €50.00"])
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(db.select(OutboxMail))} == {"sent"}


def test_an_order_that_rolls_back_sends_nothing(app, make_shop, make_buyer, smtp_server):
    shop = make_shop()
    buyer = make_buyer(shop.client, name="Kari")
    fill_cart(shop, buyer, ("digital_photo", 0, 1))
    with smtp_server.configured(app):
        order = services.place_order(shop.gallery, buyer)
        services.notify_order(order.id, "placed")
        db.session.rollback()
        deliver_due()
    assert smtp_server.messages == []


def test_order_mails_speak_the_buyers_language_and_the_studios(app, make_shop, make_buyer, make_client,
                                                               smtp_server):
    from gallery.core.transaction import commit

    shop = make_shop()
    shop.photographer.locale = "pl"
    shop.photographer.branding = {"contact_email": "kontakt@studio.example"}
    shop.client.locale = "nb-NO"
    buyer = make_buyer(shop.client, name="Kari", locale="nb-NO")
    fill_cart(shop, buyer, ("digital_photo", 0, 1))
    with smtp_server.configured(app):
        order = services.place_order(shop.gallery, buyer)
        services.notify_order(order.id, "placed")
        commit()
    to_buyer = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == shop.client.email)
    to_studio = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == shop.photographer.email)
    assert to_buyer["Content-Language"] == "nb" and to_buyer["Subject"].startswith("Bestillingen din")
    assert to_buyer["From"].addresses[0].display_name == shop.photographer.studio_name
    assert to_buyer["Reply-To"].addresses[0].addr_spec == "kontakt@studio.example"
    body = to_buyer.get_body(("plain",)).get_content()
    assert "Delsum" in body and "Totalt" in body
    assert to_studio["Content-Language"] == "pl" and to_studio["Subject"].startswith("Nowe zamówienie")
    assert to_studio["Reply-To"].addresses[0].addr_spec == shop.client.email


def test_manual_payment_mail_carries_the_price_sheets_instructions(app, make_shop, make_buyer, smtp_server):
    from gallery.core.transaction import commit
    from gallery.store.models import PriceSheet

    shop = make_shop()
    buyer = make_buyer(shop.client, name="Kari")
    fill_cart(shop, buyer, ("digital_photo", 0, 1))
    has_field = hasattr(PriceSheet, "payment_instructions")
    if has_field:
        shop.sheet.payment_instructions = "Bank transfer to 1234.56.78901, mark it with your order number."
    with smtp_server.configured(app):
        order = services.place_order(shop.gallery, buyer)
        services.notify_order(order.id, "placed")
        commit()
    to_buyer = next(m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == shop.client.email)
    body = to_buyer.get_body(("plain",)).get_content()
    if has_field:
        assert "How to pay:" in body and "1234.56.78901" in body
    else:  # without instructions on the sheet, the studio will say
        assert f"{shop.photographer.studio_name} will tell you how to pay." in body
