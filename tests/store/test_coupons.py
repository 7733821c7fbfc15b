"""Coupons: terms, limits, validity and clear refusals; single-use offer codes for retention."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gallery.core import clock
from gallery.errors import Problem
from gallery.extensions import db
from gallery.store import services
from gallery.store.models import Coupon, CouponRedemption
from tests.plugins.problems import problem
from tests.store.conftest import fill_cart

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _checkout(shop, buyer, code, *lines):
    fill_cart(shop, buyer, *(lines or [("digital_photo", 0, 1)]))
    order = services.place_order(shop.gallery, buyer, coupon_code=code)
    db.session.commit()
    return order


def _refusal(shop, buyer, code, *lines):
    with pytest.raises(Problem) as refused:
        _checkout(shop, buyer, code, *lines)
    db.session.rollback()
    assert refused.value.code == 422 and refused.value.errors == {"coupon_code": [refused.value.detail]}
    return refused.value.detail


def test_coupon_api_and_validation(make_shop, make_photographer):
    shop = make_shop()
    api = shop.api
    created = api.post("/api/v1/coupons", json={
        "code": "summer-25", "percent_off": 25, "minimum_order": 5000, "currency": "eur", "max_uses": 10,
        "max_uses_per_client": 1, "valid_until": "2027-01-01T00:00:00Z", "gallery_id": shop.gallery.id})
    assert created.status_code == 201, created.json
    assert created.json["code"] == "SUMMER-25" and created.json["uses"] == 0 and created.json["source"] == "manual"
    assert problem(api.post("/api/v1/coupons", json={"code": "Summer-25", "percent_off": 5}), 409)["errors"]["code"]
    generated = api.post("/api/v1/coupons", json={"free_shipping": True}).json
    assert len(generated["code"]) == 19
    body = problem(api.post("/api/v1/coupons", json={"percent_off": 10, "amount_off": 500, "currency": "EUR"}), 422)
    assert "amount_off" in body["errors"]
    assert "percent_off" in problem(api.post("/api/v1/coupons", json={"code": "NOTHING"}), 422)["errors"]
    assert "currency" in problem(api.post("/api/v1/coupons", json={"amount_off": 500}), 422)["errors"]
    body = problem(api.post("/api/v1/coupons", json={"percent_off": 101, "code": "x", "amount_off": 1.5,
                                                     "valid_from": "2027-01-01T00:00:00"}), 422)
    assert {"percent_off", "code", "amount_off", "valid_from"} <= set(body["errors"])
    assert "valid_until" in problem(api.post("/api/v1/coupons", json={
        "percent_off": 5, "valid_from": "2027-01-02T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}), 422)["errors"]
    # Tying a coupon to another photographer's client or gallery is refused.
    other = make_shop()
    problem(api.post("/api/v1/coupons", json={"percent_off": 5, "client_id": other.client.id}), 404)
    problem(api.post("/api/v1/coupons", json={"percent_off": 5, "gallery_id": other.gallery.id}), 404)
    disabled = api.patch(f"/api/v1/coupons/{created.json['id']}", json={"disabled": True}).json
    assert disabled["disabled"] is True
    assert "max_uses" in problem(api.patch(f"/api/v1/coupons/{created.json['id']}", json={"max_uses": 0}), 422)["errors"]
    assert api.patch(f"/api/v1/coupons/{created.json['id']}", json={"disabled": False}).json["disabled"] is False
    assert [c["code"] for c in api.get("/api/v1/coupons").json["items"]] == [generated["code"], "SUMMER-25"]
    problem(other.api.get(f"/api/v1/coupons/{created.json['id']}"), 404)


def test_expired_not_yet_valid_withdrawn_and_unknown_coupons_are_refused(make_shop, make_buyer):
    shop = make_shop()
    pid = shop.photographer.id
    services.create_coupon(pid, {"code": "PAST", "percent_off": 10, "valid_until": NOW - timedelta(seconds=1)})
    services.create_coupon(pid, {"code": "FUTURE", "percent_off": 10, "valid_from": NOW + timedelta(days=2)})
    withdrawn = services.create_coupon(pid, {"code": "GONE", "percent_off": 10})
    services.update_coupon(pid, withdrawn.id, {"disabled": True})
    db.session.commit()
    buyer = make_buyer()
    with clock.frozen(NOW):
        assert _refusal(shop, buyer, "past") == "This coupon expired on 2026-11-23 11:59 UTC."
        assert _refusal(shop, buyer, "future") == "This coupon is valid from 2026-11-25 12:00 UTC."
        assert _refusal(shop, buyer, "gone") == "This coupon has been withdrawn."
        assert _refusal(shop, buyer, "NOPE") == "There is no coupon with this code."
    other = make_shop()
    services.create_coupon(other.photographer.id, {"code": "OTHERS", "percent_off": 50})
    db.session.commit()
    assert _refusal(shop, buyer, "OTHERS") == "There is no coupon with this code."


def test_minimum_order_currency_and_amount_off(make_shop, make_buyer):
    shop = make_shop()
    pid = shop.photographer.id
    services.create_coupon(pid, {"code": "MIN50", "amount_off": 1500, "currency": "EUR", "minimum_order": 5000})
    services.create_coupon(pid, {"code": "KRONER", "amount_off": 10000, "currency": "NOK"})
    services.create_coupon(pid, {"code": "FREESHIP", "free_shipping": True, "percent_off": 10,
                                 "minimum_order": 2000, "currency": "EUR"})
    db.session.commit()
    assert _refusal(shop, make_buyer(), "MIN50", ("digital_photo", 0, 1)) == (
        "This coupon needs an order of at least €50.00; the cart comes to €10.00.")
    assert _refusal(shop, make_buyer(), "KRONER") == "This coupon is in NOK; this gallery sells in EUR."
    order = _checkout(shop, make_buyer(), "MIN50", ("digital_gallery", None, 1))
    assert (order.subtotal, order.discount, order.total) == (20000, 1500, 18500)
    # Amount off never goes below zero.
    services.create_coupon(pid, {"code": "BIG", "amount_off": 99999, "currency": "EUR"})
    db.session.commit()
    order = _checkout(shop, make_buyer(), "BIG", ("digital_photo", 0, 1))
    assert (order.discount, order.total, order.status) == (1000, 0, "paid")
    # Free shipping combined with a percentage and a minimum.
    shop.sheet.shipping_flat = 990
    db.session.commit()
    fill_cart(shop, buyer := make_buyer(), ("print", 0, 1))
    order = services.place_order(shop.gallery, buyer, coupon_code="FREESHIP", shipping_address={
        "name": "K", "line1": "Street 1", "postal_code": "0155", "city": "Oslo", "country": "NO"})
    assert (order.subtotal, order.discount, order.shipping, order.total) == (2500, 250, 0, 2250)


def test_total_and_per_client_limits(make_shop, make_buyer):
    shop = make_shop()
    pid = shop.photographer.id
    coupon = services.create_coupon(pid, {"code": "TWICE", "percent_off": 10, "max_uses": 2,
                                          "max_uses_per_client": 1})
    db.session.commit()
    first = _checkout(shop, make_buyer(shop.client), "TWICE")
    assert _refusal(shop, make_buyer(shop.client), "TWICE") == "You have already used this coupon."
    anonymous = make_buyer()
    _checkout(shop, anonymous, "TWICE")
    assert _refusal(shop, make_buyer(), "TWICE") == "This coupon has been used up."
    assert db.session.get(Coupon, coupon.id).uses == 2
    body = problem(shop.api.patch(f"/api/v1/coupons/{coupon.id}", json={"max_uses": 1}), 422)
    assert body["detail"] == "The coupon has already been used 2 times."
    # Cancelling an unpaid order gives its use back.
    services.change_order_status(pid, first.id, "cancelled")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Coupon, coupon.id).uses == 1
    assert _checkout(shop, make_buyer(shop.client), "TWICE").discount == 100


def test_gallery_and_client_ties(make_shop, make_buyer, make_client, make_gallery, make_photo):
    shop = make_shop()
    pid = shop.photographer.id
    second_gallery = make_gallery(shop.photographer, publish=True, price_sheet_id=shop.sheet.id)
    services.create_coupon(pid, {"code": "THISGALLERY", "percent_off": 10, "gallery_id": second_gallery.id})
    services.create_coupon(pid, {"code": "FORKARI", "percent_off": 10, "client_id": shop.client.id})
    db.session.commit()
    assert _refusal(shop, make_buyer(), "THISGALLERY") == "This coupon is not valid for this gallery."
    assert _refusal(shop, make_buyer(), "FORKARI") == "This coupon is personal to another client."
    assert _checkout(shop, make_buyer(shop.client), "forkari").discount == 100


def test_issue_offer_coupon_is_single_use_unguessable_and_tied(make_shop, make_buyer):
    shop = make_shop()
    valid_until = NOW + timedelta(days=30)
    codes = set()
    for _ in range(50):
        offer = services.issue_offer_coupon(shop.photographer.id, client_id=shop.client.id,
                                            gallery_id=shop.gallery.id, percent_off=20, valid_from=NOW,
                                            valid_until=valid_until, source="anniversary")
        codes.add(offer.code)
    db.session.commit()
    assert len(codes) == 50 and all(len(c) == 19 for c in codes)
    assert (offer.max_uses, offer.max_uses_per_client, offer.source, offer.client_id) == (
        1, 1, "anniversary", shop.client.id)
    with clock.frozen(NOW + timedelta(days=1)):
        assert _refusal(shop, make_buyer(), offer.code) == "This coupon is personal to another client."
        order = _checkout(shop, make_buyer(shop.client), offer.code.lower())
        assert order.discount == 200
        assert _refusal(shop, make_buyer(shop.client), offer.code) == "This coupon has been used up."
    assert db.session.scalar(select(CouponRedemption.order_id).where(CouponRedemption.coupon_id == offer.id)) == order.id
    with pytest.raises(Problem):
        services.issue_offer_coupon(shop.photographer.id, valid_from=None, valid_until=None, source="x")
    amount_offer = services.issue_offer_coupon(shop.photographer.id, amount_off=500, currency="eur",
                                               free_shipping=True, valid_from=None, valid_until=None,
                                               source="reorder")
    assert amount_offer.currency == "EUR" and amount_offer.gallery_id is None
