"""Checkouts racing for the last use of a coupon: exactly one wins."""

from sqlalchemy import func, select

from gallery.extensions import db
from gallery.store import services
from gallery.store.models import Coupon, CouponRedemption, Order
from tests.store.conftest import fill_cart, race_checkouts

RACERS = 8


def test_racing_checkouts_for_the_last_use_exactly_one_wins(app, make_shop, make_buyer, monkeypatch):
    shop = make_shop()
    coupon = services.create_coupon(shop.photographer.id, {"code": "LAST", "percent_off": 50, "max_uses": 3})
    db.session.commit()
    db.session.execute(db.update(Coupon).where(Coupon.id == coupon.id).values(uses=2))  # one use left
    db.session.commit()
    buyers = [make_buyer() for _ in range(RACERS)]
    for buyer in buyers:
        fill_cart(shop, buyer, ("digital_photo", 0, 1))
    outcomes = race_checkouts(app, shop, buyers, "LAST", monkeypatch)
    winners = [o for o in outcomes if o[0] == "won"]
    assert len(outcomes) == RACERS and len(winners) == 1, outcomes
    losers = [detail for kind, detail in outcomes if kind != "won"]
    assert set(losers) == {"This coupon has been used up."}
    db.session.expire_all()
    assert db.session.get(Coupon, coupon.id).uses == 3
    assert db.session.scalar(select(func.count()).select_from(CouponRedemption)) == 1
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert db.session.scalar(select(Order.coupon_id)) == coupon.id


def test_visitors_of_one_client_racing_a_once_per_client_coupon_one_wins(app, make_shop, make_buyer, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        import pytest

        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    shop = make_shop()
    services.create_coupon(shop.photographer.id, {"code": "ONCE", "percent_off": 20,
                                                           "max_uses_per_client": 1})
    db.session.commit()
    buyers = [make_buyer(shop.client) for _ in range(5)]  # five visitors of the client's link
    for buyer in buyers:
        fill_cart(shop, buyer, ("digital_photo", 0, 1))
    outcomes = [detail if kind != "won" else "won" for kind, detail in
                race_checkouts(app, shop, buyers, "ONCE", monkeypatch)]
    assert sorted(outcomes) == sorted(["won"] + ["You have already used this coupon."] * 4), outcomes
    assert db.session.scalar(select(func.count()).select_from(CouponRedemption)) == 1
