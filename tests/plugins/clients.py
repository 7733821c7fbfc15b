"""Fixtures for the client screens: a client with a history (galleries, paid order, messages with each result,
a survey answer, a loyalty tier), made as the app would have made it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from gallery.core import clock
from gallery.extensions import db


@pytest.fixture
def client_with_history(app, make_client, make_gallery):
    """client_with_history(photographer, **client_fields) -> (client, gallery, order)."""
    from gallery.retention.models import ClientTier, Feedback, LoyaltyTier, Message
    from gallery.store.models import Order

    def make(photographer, **fields):
        fields.setdefault("name", "Kari Nordmann")
        fields.setdefault("email", "kari@example.no")
        client = make_client(photographer, **fields)
        gallery = make_gallery(photographer, publish=True, title="Kari & Ola wedding", client_id=client.id,
                               event_type="wedding", shoot_date=date(2025, 6, 14))
        order = Order(photographer_id=photographer.id, gallery_id=gallery.id, visitor_id="v1", client_id=client.id,
                      email=client.email, name=client.name, currency="NOK", subtotal=249000, total=249000,
                      status="paid", paid_at=clock.now())
        db.session.add(order)
        now = clock.now()
        results = [("favourites", "sent", {"opened_at": now}), ("anniversary", "sent", {"clicked_at": now,
                                                                                       "opened_at": now}),
                   ("expiry", "sent", {}), ("review", "failed", {"status_reason": "mailbox unavailable"})]
        for index, (rule, status, extra) in enumerate(results):
            db.session.add(Message(photographer_id=photographer.id, client_id=client.id, gallery_id=gallery.id,
                                   rule=rule, category="marketing", dedupe_key=f"{rule}:{client.id}:{index}",
                                   due_at=now - timedelta(days=index), send_after=now, status=status,
                                   to_email=client.email, subject=f"Subject of {rule}",
                                   sent_at=now if status == "sent" else None, **extra))
        db.session.add(Feedback(photographer_id=photographer.id, message_id="m" * 26, client_id=client.id,
                                gallery_id=gallery.id, score=9, comment="Wonderful photos, thank you!"))
        tier = LoyaltyTier(photographer_id=photographer.id, name="VIP", min_spend=100000)
        db.session.add(tier)
        db.session.flush()
        db.session.add(ClientTier(client_id=client.id, photographer_id=photographer.id, tier_id=tier.id))
        db.session.commit()
        return client, gallery, order

    return make
