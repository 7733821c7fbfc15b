"""The photographer's orders API as the studio uses it: filters and search, the order page (pictures, names,
`allowed_next` from the one status rule, how the buyer was told to pay, history), a forbidden transition,
tracking, refunds through the payment provider, and nothing of another photographer's."""
from datetime import timedelta

from gallery.core import clock
from gallery.extensions import db
from gallery.store import services
from gallery.store.models import Order
from tests.plugins.problems import problem
from tests.store.conftest import fill_cart

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


def place(shop, buyer, *lines, **kwargs):
    fill_cart(shop, buyer, *lines)
    order = services.place_order(shop.gallery, buyer, shipping_address=ADDRESS, **kwargs)
    db.session.commit()
    return order


def test_filters_and_search(make_shop, make_buyer, make_gallery):
    shop = make_shop(currency="NOK")
    kari = place(shop, make_buyer(shop.client, name="Kari Nordmann"), ("print", 0, 2))
    ola = place(shop, make_buyer(name="Ola Hansen", email="ola@example.com"), ("digital_gallery", None, 1))
    shop.api.patch(f"/api/v1/orders/{ola.id}", json={"status": "paid"})

    def ids(**params):
        answer = shop.api.get("/api/v1/orders", query_string=params)
        assert answer.status_code == 200, answer.json
        return [o["id"] for o in answer.json["items"]]

    assert ids() == [ola.id, kari.id]
    assert ids(status="paid") == [ola.id]
    assert ids(client_id=shop.client.id) == [kari.id]
    assert ids(gallery_id=shop.gallery.id) == [ola.id, kari.id]
    assert ids(gallery_id=make_gallery(shop.photographer).id) == []
    assert ids(q="NORDMANN") == [kari.id] and ids(q="ola@") == [ola.id] and ids(q=kari.id[-8:].lower()) == [kari.id]
    assert ids(q="100%_") == []  # wildcards are literal
    later = (clock.now() + timedelta(hours=1)).isoformat()
    assert ids(placed_after=later) == [] and len(ids(placed_before=later)) == 2
    listed = shop.api.get("/api/v1/orders").json["items"][1]
    assert listed["gallery_title"] == shop.gallery.title and listed["client_name"] == "Kari"
    problem(shop.api.get("/api/v1/orders", query_string={"status": "lost"}), 422)
    problem(shop.api.get("/api/v1/orders", query_string={"placed_after": "yesterday"}), 422)


def test_order_page_status_changes_tracking_and_history(make_shop, make_buyer, make_photo):
    shop = make_shop(currency="NOK", payment_instructions="  Vipps 91234567  ")
    photo = make_photo(shop.gallery, renditions=("thumb",))
    shop.photos.append(photo)
    order = place(shop, make_buyer(shop.client, name="Kari"), ("print", 3, 1))
    url = f"/api/v1/orders/{order.id}"
    page = shop.api.get(url).json
    assert page["allowed_next"] == ["paid", "cancelled"]
    assert page["payment_instructions"] == "Vipps 91234567"
    assert page["items"][0]["thumb_url"] and page["items"][0]["photo_filename"]
    assert [(e["kind"], e["actor"], e["to_status"]) for e in page["history"]] == [("placed", "buyer", "pending_payment")]

    # A transition the rule forbids: 409 naming what is allowed, nothing changed.
    body = problem(shop.api.patch(url, json={"status": "shipped"}), 409)
    assert body["allowed_next"] == ["paid", "cancelled"] and body["type"] == "/problems/order-transition"
    assert db.session.get(Order, order.id).status == "pending_payment"
    problem(shop.api.patch(url, json={"status": "sold"}), 422)
    problem(shop.api.patch(url, json={"tracking_url": "javascript:alert(1)"}), 422)

    paid = shop.api.patch(url, json={"status": "paid", "note": "Vipps received"}).json
    assert paid["status"] == "paid" and paid["payment_instructions"] is None
    assert paid["allowed_next"] == ["in_production", "shipped", "delivered", "refunded"]
    shipped = shop.api.patch(url, json={"status": "shipped", "tracking": "70712345678",
                                        "tracking_url": "https://sporing.posten.no/70712345678"}).json
    assert (shipped["tracking"], shipped["tracking_url"]) == ("70712345678", "https://sporing.posten.no/70712345678")
    again = shop.api.patch(url, json={"tracking": "70712345678"}).json  # unchanged: no new history line
    assert [(e["kind"], e["from_status"], e["to_status"], e["detail"]) for e in again["history"]] == [
        ("placed", None, "pending_payment", None),
        ("status", "pending_payment", "paid", "Vipps received"),
        ("status", "paid", "shipped", None),
        ("tracking", None, None, "70712345678")]


def test_refund_with_the_manual_provider_and_final_states(make_shop, make_buyer):
    shop = make_shop()
    order = place(shop, make_buyer(shop.client), ("print", 0, 1))
    url = f"/api/v1/orders/{order.id}"
    shop.api.patch(url, json={"status": "paid"})
    refunded = shop.api.patch(url, json={"status": "refunded"}).json
    assert refunded["status"] == "refunded" and refunded["allowed_next"] == []
    last = refunded["history"][-1]
    assert (last["kind"], last["actor"], last["to_status"]) == ("refund", "photographer", "refunded")
    assert last["detail"] is None  # paid back offline: no provider reference
    body = problem(shop.api.patch(url, json={"status": "paid"}), 409)
    assert body["allowed_next"] == []


def test_refund_through_the_online_provider(make_shop, make_buyer, stripe):
    shop = make_shop(payment_provider="stripe")
    order = place(shop, make_buyer(shop.client), ("canvas", 0, 1), return_url="http://gallery.test/g/x")
    url = f"/api/v1/orders/{order.id}"
    # Not paid yet: nothing to refund, so the rule does not offer it.
    assert "refunded" not in shop.api.get(url).json["allowed_next"]
    problem(shop.api.patch(url, json={"status": "refunded"}), 409)
    shop.api.patch(url, json={"status": "paid"})
    assert "refunded" in shop.api.get(url).json["allowed_next"]

    stripe.refuse_refunds = True
    problem(shop.api.patch(url, json={"status": "refunded"}), 502)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid" and stripe.refunds == []

    stripe.refuse_refunds = False
    refunded = shop.api.patch(url, json={"status": "refunded"}).json
    assert refunded["status"] == "refunded"
    assert stripe.refunds == [{"id": "re_test_1", "status": "succeeded", "session": order.payment_reference,
                               "amount": order.total, "idempotency_key": f"refund-{order.id}"}]
    assert refunded["history"][-1]["actor"] == "provider" and refunded["history"][-1]["detail"] == "re_test_1"


def test_an_online_order_whose_provider_is_gone_offers_no_refund(make_shop, make_buyer, stripe, app):
    import dataclasses

    shop = make_shop(payment_provider="stripe")
    order = place(shop, make_buyer(shop.client), ("canvas", 0, 1), return_url="http://gallery.test/g/x")
    shop.api.patch(f"/api/v1/orders/{order.id}", json={"status": "paid"})
    app.config["GALLERY"] = dataclasses.replace(app.config["GALLERY"], stripe_secret_key=None)
    assert shop.api.get(f"/api/v1/orders/{order.id}").json["allowed_next"] == ["in_production", "shipped", "delivered"]


def test_another_photographers_orders_sheets_and_coupons_are_out_of_reach(make_shop, make_buyer, make_photographer):
    shop = make_shop()
    order = place(shop, make_buyer(shop.client), ("print", 0, 1))
    coupon = shop.api.post("/api/v1/coupons", json={"code": "KARI10", "percent_off": 10}).json
    _, stranger = make_photographer()
    assert stranger.get("/api/v1/orders").json["items"] == []
    assert stranger.get("/api/v1/orders", query_string={"q": order.email}).json["items"] == []
    problem(stranger.get(f"/api/v1/orders/{order.id}"), 404)
    problem(stranger.patch(f"/api/v1/orders/{order.id}", json={"status": "cancelled"}), 404)
    problem(stranger.patch(f"/api/v1/orders/{order.id}", json={"tracking": "X"}), 404)
    problem(stranger.get(f"/api/v1/price-sheets/{shop.sheet.id}"), 404)
    problem(stranger.patch(f"/api/v1/price-sheets/{shop.sheet.id}", json={"name": "Mine"}), 404)
    problem(stranger.delete(f"/api/v1/price-sheets/{shop.sheet.id}"), 404)
    problem(stranger.patch(f"/api/v1/coupons/{coupon['id']}", json={"disabled": True}), 404)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "pending_payment" and db.session.get(Order, order.id).tracking is None
    problem(shop.api.raw.get("/api/v1/orders"), 401)
