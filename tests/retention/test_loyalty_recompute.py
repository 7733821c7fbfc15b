"""The sweep's tier recompute looks only at clients touched since the last day, and still moves them both ways."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gallery.core import clock
from gallery.extensions import db
from gallery.retention import loyalty
from gallery.retention.models import ClientTier
from gallery.store.models import Order

LONG_AGO = datetime(2025, 1, 10, 12, tzinfo=UTC)
NOW = datetime(2025, 6, 1, 7, 30, tzinfo=UTC)


def _order(photographer, client, total):
    order = Order(photographer_id=photographer.id, visitor_id="v", client_id=client.id, status="paid",
                  currency="NOK", subtotal=total, total=total)
    db.session.add(order)
    return order


def test_touched_clients_move_up_and_down_and_the_others_are_left_alone(app, make_photographer, make_client):
    photographer, _ = make_photographer()
    steady, refunded, rising = (make_client(photographer, name=name, email=f"{name}@example.test")
                                for name in ("steady", "refunded", "rising"))
    with clock.frozen(LONG_AGO):
        regular = loyalty.create_tier(photographer.id, {"name": "Regular", "min_spend": 20000, "rank": 1})
        vip = loyalty.create_tier(photographer.id, {"name": "VIP", "min_spend": 50000, "rank": 2})
        _order(photographer, steady, 60000)
        lost = _order(photographer, refunded, 60000)
        _order(photographer, rising, 30000)
        db.session.flush()
        assert {up["client_id"] for up in loyalty.recompute(LONG_AGO)} == {steady.id, refunded.id, rising.id}
        db.session.commit()
    with clock.frozen(NOW - timedelta(hours=3)):
        lost.status = "refunded"
        _order(photographer, rising, 30000)
        db.session.commit()
    ups = loyalty.recompute(NOW, since=NOW - timedelta(days=1))
    db.session.commit()
    assert [up["client_id"] for up in ups] == [rising.id]  # a move down is silent
    held = {row.client_id: row.tier_id for row in db.session.scalars(db.select(ClientTier))}
    assert held == {steady.id: vip.id, rising.id: vip.id}
    assert regular.id  # the refunded client reaches no tier at all: they hold none
    assert loyalty.recompute(NOW + timedelta(hours=1), since=NOW) == []  # nothing touched since
