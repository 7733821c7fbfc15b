"""Price sheets deleted (never from under a gallery) and coupons edited, as the studio does it; payment
instructions come from one rule for the page, the mail and the studio."""
from gallery.extensions import db
from gallery.store import services
from gallery.store.instructions import payment_instructions
from gallery.store.models import Order, PriceSheet
from tests.plugins.problems import problem
from tests.store.conftest import fill_cart


def test_delete_a_price_sheet_no_gallery_sells_from(make_shop, make_buyer):
    shop = make_shop()
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("digital_gallery", None, 1))
    order = services.place_order(shop.gallery, buyer)
    db.session.commit()
    sheet_id = shop.sheet.id
    body = problem(shop.api.delete(f"/api/v1/price-sheets/{sheet_id}"), 409)
    assert body["errors"]["galleries"] == [shop.gallery.title] and shop.gallery.title in body["detail"]

    assert shop.api.patch(f"/api/v1/galleries/{shop.gallery.id}", json={"price_sheet_id": None}).status_code == 200
    assert shop.api.delete(f"/api/v1/price-sheets/{sheet_id}").status_code == 204
    db.session.expire_all()
    assert db.session.get(PriceSheet, sheet_id) is None
    kept = db.session.get(Order, order.id)  # the order keeps its price snapshot
    assert kept.items[0].product_name == "All full-size downloads" and kept.items[0].unit_price == 20000
    problem(shop.api.delete(f"/api/v1/price-sheets/{sheet_id}"), 404)


def test_edit_coupon_limits_and_validity(photographer_api):
    coupon = photographer_api.post("/api/v1/coupons", json={
        "code": "summer", "amount_off": 5000, "currency": "nok", "free_shipping": True}).json
    url = f"/api/v1/coupons/{coupon['id']}"
    edited = photographer_api.patch(url, json={
        "valid_from": "2027-06-01T00:00:00+02:00", "valid_until": "2027-09-01T00:00:00+02:00",
        "max_uses": 50, "max_uses_per_client": 1, "description": "Summer"}).json
    assert (edited["max_uses"], edited["max_uses_per_client"], edited["description"]) == (50, 1, "Summer")
    assert edited["valid_from"].startswith("2027-05-31T22:00") and edited["amount_off"] == 5000
    body = problem(photographer_api.patch(url, json={"valid_until": "2027-05-01T00:00:00+00:00"}), 422)
    assert "valid_until" in body["errors"]
    problem(photographer_api.patch(url, json={"valid_from": "soon"}), 422)
    assert photographer_api.patch(url, json={"disabled": True}).json["disabled"] is True
    assert photographer_api.patch(url, json={"disabled": False}).json["disabled"] is False


def test_payment_instructions_one_rule(make_shop, make_buyer):
    shop = make_shop(payment_instructions="  Bank 1234.56.78901  ")
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("digital_gallery", None, 1))
    order = services.place_order(shop.gallery, buyer)
    db.session.commit()
    assert payment_instructions(order) == payment_instructions(order, shop.gallery) == "Bank 1234.56.78901"
    shop.sheet.payment_instructions = "   "
    assert payment_instructions(order) is None
    shop.sheet.payment_instructions = "Bank"
    order.status = "paid"
    assert payment_instructions(order) is None
