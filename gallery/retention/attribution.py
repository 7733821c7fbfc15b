"""What a sent mail led to: the recipient's gallery visits and paid orders within a window after it left.

Opens come only from the tracking pixel and clicks only from links a person follows (retention.api); the
outcomes here come from the event log, so they count what the client did, not what the mail showed."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, func, select, union_all

from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention.models import Message

WINDOW_DAYS = 14


def within(event_ts, sent_at, days: int):
    """event_ts in [sent_at, sent_at + days], in SQL on either database."""
    if db.engine.dialect.name == "postgresql":
        return and_(event_ts >= sent_at, event_ts <= sent_at + func.make_interval(0, 0, 0, days))
    return and_(event_ts >= sent_at, func.julianday(event_ts) <= func.julianday(sent_at) + days)


def outcomes_by_rule(photographer_id: str, lo: datetime, hi: datetime, days: int = WINDOW_DAYS) -> dict:
    """{rule: {"visited": clients, "ordered": orders, "revenue": minor units}} for mails sent in [lo, hi)."""
    sent = (select(Message.rule, Message.client_id, Message.sent_at)
            .where(Message.photographer_id == photographer_id, Message.status == "sent",
                   Message.client_id.is_not(None), Message.sent_at >= lo, Message.sent_at < hi).subquery())
    joined = and_(Event.client_id == sent.c.client_id, within(Event.ts, sent.c.sent_at, days))
    out: dict = defaultdict(lambda: {"visited": 0, "ordered": 0, "revenue": 0})
    for rule, visitors in db.session.execute(
            select(sent.c.rule, func.count(func.distinct(Event.client_id))).join(Event, joined)
            .where(Event.kind == "gallery_viewed").group_by(sent.c.rule)):
        out[rule]["visited"] = int(visitors)
    for rule, payload in db.session.execute(select(sent.c.rule, Event.payload).join(Event, joined)
                                            .where(Event.kind == "order_paid")):
        out[rule]["ordered"] += 1
        out[rule]["revenue"] += int((payload or {}).get("total") or 0)
    return out


def _comings(photographer_id: str):
    """(client_id, ts) of every session (a published gallery) and paid order of the studio's clients."""
    sessions = select(Gallery.client_id.label("client_id"), Gallery.published_at.label("ts")).where(
        Gallery.photographer_id == photographer_id, Gallery.client_id.is_not(None), Gallery.published_at.is_not(None))
    orders = select(Event.client_id.label("client_id"), Event.ts.label("ts")).where(
        Event.photographer_id == photographer_id, Event.client_id.is_not(None), Event.kind == "order_paid")
    return db.session.execute(union_all(sessions, orders)).all()


def cohorts(photographer_id: str) -> list[dict]:
    """Clients by the year of their first session or order, and how many came back in each later year
    (another session or a paid order)."""
    years: dict[str, set[int]] = defaultdict(set)
    for client_id, ts in _comings(photographer_id):
        years[client_id].add(_year(ts))
    sizes: dict[int, int] = defaultdict(int)
    returns: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for seen in years.values():
        first = min(seen)
        sizes[first] += 1
        for later in seen - {first}:
            returns[first][later] += 1
    return [{"cohort": year, "clients": sizes[year],
             "returned": {str(later): count for later, count in sorted(returns[year].items())}}
            for year in sorted(sizes)]


def _year(value) -> int:
    if isinstance(value, str):  # SQLite hands aggregates of timestamps back as text
        return int(value[:4])
    return value.year
