"""Checkouts racing for the last use of a coupon: exactly one wins."""
import threading

from sqlalchemy import func, select

from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store import services
from gallery.store.models import Coupon, CouponRedemption, Order
from tests.store.conftest import fill_cart

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
    gallery_id = shop.gallery.id
    start = threading.Barrier(RACERS)
    all_checked = threading.Barrier(RACERS, timeout=30)
    outcomes = []
    check = services.check_coupon

    def check_then_wait(*args, **kwargs):
        # The worst case: every racer has seen "one use left" before any of them redeems.
        check(*args, **kwargs)
        all_checked.wait()

    monkeypatch.setattr(services, "check_coupon", check_then_wait)

    def checkout(buyer):
        with app.app_context():
            gallery = db.session.get(Gallery, gallery_id)
            start.wait()
            try:
                order = services.place_order(gallery, buyer, coupon_code="LAST")
                db.session.commit()
                outcomes.append(("won", order.id))
            except Problem as refused:
                db.session.rollback()
                outcomes.append(("refused", refused.detail))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=checkout, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if o[0] == "won"]
    assert len(outcomes) == RACERS and len(winners) == 1, outcomes
    losers = [detail for kind, detail in outcomes if kind != "won"]
    assert set(losers) == {"This coupon has been used up."}
    db.session.expire_all()
    assert db.session.get(Coupon, coupon.id).uses == 3
    assert db.session.scalar(select(func.count()).select_from(CouponRedemption)) == 1
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert db.session.scalar(select(Order.coupon_id)) == coupon.id
