"""Hosted checkout and its webhooks: valid, bad signature, old timestamp, replay, unknown order, wrong amount."""
import hashlib
import hmac
import json
import time

from sqlalchemy import func, select

from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.store import services
from gallery.store.models import Order, PaymentEvent
from tests.plugins.problems import problem
from tests.store.conftest import WEBHOOK_SECRET, fill_cart

URL = "/api/v1/payments/stripe/webhook"


def _event(order, event_id="evt_1", *, amount=None, currency=None, type="checkout.session.completed",
           reference=None, order_id=None):
    return json.dumps({"id": event_id, "type": type, "data": {"object": {
        "id": reference or order.payment_reference, "client_reference_id": order_id or order.id,
        "amount_total": order.total if amount is None else amount,
        "currency": (currency or order.currency).lower(), "payment_status": "paid"}}}).encode()


def _signed(body, *, secret=WEBHOOK_SECRET, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


def _pending_order(make_shop, make_buyer, client=True):
    shop = make_shop(payment_provider="stripe")
    buyer = make_buyer(shop.client if client else None)
    fill_cart(shop, buyer, ("digital_gallery", None, 1))
    order = services.place_order(shop.gallery, buyer, return_url="http://gallery.test/g/abc")
    db.session.commit()
    return shop, order


def _state(order_id):
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    return order.status, order.paid_at


def test_checkout_creates_a_hosted_session(stripe, make_shop, make_buyer):
    shop, order = _pending_order(make_shop, make_buyer)
    params = stripe.sessions[0]["params"]
    assert (order.payment_provider, order.payment_reference, order.checkout_url) == (
        "stripe", "cs_test_1", "https://checkout.test/pay/1")
    assert params["client_reference_id"] == order.id and params["line_items[0][price_data][unit_amount]"] == "20000"
    assert params["line_items[0][price_data][currency]"] == "eur" and params["success_url"] == "http://gallery.test/g/abc"
    assert params["customer_email"] == order.email


def test_valid_webhook_marks_paid_once_and_replay_changes_nothing(stripe, make_shop, make_buyer, client,
                                                                  smtp_server, app):
    shop, order = _pending_order(make_shop, make_buyer)
    body = _event(order)
    with smtp_server.configured(app):
        answer = client.post(URL, data=body, headers=_signed(body))
        assert answer.status_code == 200 and answer.json == {"received": True, "outcome": "paid"}
        smtp_server.wait_for(2)
    status, paid_at = _state(order.id)
    assert status == "paid" and paid_at is not None
    assert {m["Subject"].split(" ")[0] for m in smtp_server.messages} == {"Payment", "Order"}
    # The same event again (a replay, or the provider retrying): acknowledged, nothing changes.
    replay = client.post(URL, data=body, headers=_signed(body))
    assert replay.status_code == 200 and replay.json["outcome"] == "duplicate"
    assert _state(order.id) == (status, paid_at)
    # A new event for an order already paid changes nothing either.
    again = _event(order, "evt_2")
    assert client.post(URL, data=again, headers=_signed(again)).json["outcome"] == "order already paid"
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == "order_paid")) == 1
    assert len(smtp_server.messages) == 2


def test_forged_and_stale_webhooks_are_refused(stripe, make_shop, make_buyer, client):
    shop, order = _pending_order(make_shop, make_buyer)
    body = _event(order)
    cases = [
        ({"Stripe-Signature": "", "Content-Type": "application/json"}, "missing or malformed"),
        (_signed(body, secret="whsec_wrong"), "does not match"),
        (_signed(body, timestamp=int(time.time()) - 301), "outside the tolerance"),
        (_signed(body, timestamp=int(time.time()) + 301), "outside the tolerance"),
        ({**_signed(b"{}"), "Content-Type": "application/json"}, "does not match"),  # signature of another body
    ]
    for headers, message in cases:
        body_problem = problem(client.post(URL, data=body, headers=headers), 400)
        assert message in body_problem["detail"]
    # A body tampered with after signing.
    tampered = body.replace(b'"amount_total": 20000', b'"amount_total": 1')
    problem(client.post(URL, data=tampered, headers=_signed(body)), 400)
    assert _state(order.id) == ("pending_payment", None)
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 0
    # The refused event id was not burnt: the genuine delivery still works.
    assert client.post(URL, data=body, headers=_signed(body)).json["outcome"] == "paid"


def test_unknown_order_wrong_amount_and_other_events_change_nothing(stripe, make_shop, make_buyer, client):
    shop, order = _pending_order(make_shop, make_buyer)
    cases = [
        (_event(order, "evt_a", order_id="01nosuchorder0000000000000"), "unknown order"),
        (_event(order, "evt_b", reference="cs_someone_else"), "unknown order"),
        (_event(order, "evt_c", amount=1), "amount mismatch"),
        (_event(order, "evt_d", currency="NOK"), "amount mismatch"),
        (_event(order, "evt_e", type="checkout.session.expired"), "ignored"),
    ]
    for body, outcome in cases:
        answer = client.post(URL, data=body, headers=_signed(body))
        assert answer.status_code == 200 and answer.json["outcome"] == outcome
        assert _state(order.id) == ("pending_payment", None)
    not_json = b"not json"
    problem(client.post(URL, data=not_json, headers=_signed(not_json)), 400)
    # Providers that receive no webhooks, or none configured under that name.
    problem(client.post("/api/v1/payments/manual/webhook", data=b"{}", headers=_signed(b"{}")), 404)
    problem(client.post("/api/v1/payments/paypal/webhook", data=b"{}", headers=_signed(b"{}")), 404)


def test_a_cancelled_order_is_not_revived_by_a_late_payment(stripe, make_shop, make_buyer, client):
    shop, order = _pending_order(make_shop, make_buyer)
    services.change_order_status(shop.photographer.id, order.id, "cancelled")
    db.session.commit()
    body = _event(order)
    assert client.post(URL, data=body, headers=_signed(body)).json["outcome"] == "order already cancelled"
    assert _state(order.id) == ("cancelled", None)


def test_webhooks_without_stripe_configured_are_refused(make_shop, make_buyer, client):
    body = b'{"id": "evt_1", "type": "checkout.session.completed"}'
    problem(client.post(URL, data=body, headers=_signed(body)), 404)
