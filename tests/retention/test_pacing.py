"""A sweep after a gap: occasions that are over are not mailed late; one marketing mail a client a day."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from gallery.extensions import db
from gallery.retention.models import Message
from gallery.retention.sweep import plan, sweep

ANNIVERSARY_MORNING = datetime(2025, 6, 1, 7, 30, tzinfo=UTC)


def _message(photographer, client, rule, due_at, key):
    message = Message(photographer_id=photographer.id, client_id=client.id, rule=rule, category="marketing",
                      dedupe_key=key, anchor_at=due_at, due_at=due_at, send_after=due_at, context={},
                      to_email=client.email, locale="en")
    db.session.add(message)
    return message


def test_an_occasion_that_is_over_is_not_mailed_late(app, studio, smtp_server):
    studio()
    plan(ANNIVERSARY_MORNING - timedelta(hours=5))
    with smtp_server.configured(app):
        result = sweep(ANNIVERSARY_MORNING + timedelta(days=5))  # the sweep was down for five days
    assert result.sent == 0
    anniversary = db.session.scalar(select(Message).where(Message.rule == "anniversary"))
    assert (anniversary.status, anniversary.status_reason) == ("suppressed", "occasion passed")
    assert smtp_server.messages == []


def test_one_marketing_mail_a_client_a_day_the_most_relevant_first(app, studio, smtp_server):
    photographer, _, client, _ = studio()
    due = ANNIVERSARY_MORNING - timedelta(hours=1)
    for rule in ("dormant", "favourites", "abandoned_cart"):
        _message(photographer, client, rule, due, f"test:{rule}")
    db.session.commit()
    with smtp_server.configured(app):
        first = sweep(ANNIVERSARY_MORNING)
        assert first.sent == 1
        assert [m["Subject"] for m in smtp_server.messages]
        same_day = sweep(ANNIVERSARY_MORNING + timedelta(hours=1))
        assert same_day.sent == 0
    statuses = dict(db.session.execute(select(Message.rule, Message.status).where(Message.dedupe_key.like("test:%"))).all())
    assert statuses == {"abandoned_cart": "sent", "favourites": "queued", "dormant": "queued"}
    with smtp_server.configured(app):
        next_day = sweep(ANNIVERSARY_MORNING + timedelta(days=1, minutes=5))
    assert next_day.sent == 1
    statuses = dict(db.session.execute(select(Message.rule, Message.status).where(Message.dedupe_key.like("test:%"))).all())
    assert statuses["favourites"] == "sent" and statuses["dormant"] == "queued"
