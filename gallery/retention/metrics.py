"""GET /api/v1/metrics/retention: does retention work? Computed in SQL from the event log (paid
orders are `order_paid` events with `total` in minor units and `currency`), the outbox, and the
store's coupons for redemptions."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from marshmallow import Schema, fields
from sqlalchemy import and_, distinct, func, select

from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.clock import as_utc, day_start
from gallery.engagement.models import ENGAGEMENT_KINDS, Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.retention import attribution, followups, schedule
from gallery.retention.models import Feedback, Message
from gallery.retention.rules import CATEGORIES, RULE_KINDS, rules_of
from gallery.store.models import Coupon, Order


class RuleConversionSchema(Schema):
    rule = fields.String()
    sent = fields.Integer()
    opened = fields.Integer()
    clicked = fields.Integer()
    offers = fields.Integer()
    redeemed = fields.Integer()
    revenue = fields.Integer(metadata={"description": "Minor units of `currency`."})
    visited = fields.Integer(metadata={"description": "Recipients who opened a gallery within 14 days."})
    ordered = fields.Integer(metadata={"description": "Paid orders by recipients within 14 days."})
    ordered_revenue = fields.Integer(metadata={"description": "Their total, minor units."})


class CohortSchema(Schema):
    cohort = fields.Integer(metadata={"description": "Year of the client's first session or order."})
    clients = fields.Integer()
    returned = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"description": "Clients of the cohort who came back, by later year."})


class FollowUpOutcomeSchema(Schema):
    opened = fields.Integer()
    resolved = fields.Integer()
    clients_came_back = fields.Integer(metadata={"description": "Unhappy clients who later ordered or booked."})


class NpsPointSchema(Schema):
    month = fields.String()
    nps = fields.Float(allow_none=True)
    answers = fields.Integer()


class RetentionMetricsSchema(Schema):
    period_from = fields.Date()
    period_to = fields.Date()
    currency = fields.String(allow_none=True)
    paying_clients = fields.Integer()
    repeat_client_rate = fields.Float(allow_none=True, metadata={"description": "Share of paying clients with 2+ orders."})
    retention_rate = fields.Float(allow_none=True, metadata={
        "description": "Share of clients active in the previous period of equal length who were active again."})
    revenue = fields.Integer()
    ltv = fields.Float(allow_none=True, metadata={"description": "Lifetime revenue per paying client."})
    ltv_estimate = fields.Float(allow_none=True, metadata={
        "description": "Average order value x orders per client per year x average client lifetime in years."})
    average_order_value = fields.Float(allow_none=True)
    offer_conversion = fields.List(fields.Nested(RuleConversionSchema))
    nps = fields.Float(allow_none=True)
    nps_answers = fields.Integer()
    nps_trend = fields.List(fields.Nested(NpsPointSchema))
    dormant_clients = fields.Integer()
    cohorts = fields.List(fields.Nested(CohortSchema))
    followups = fields.Nested(FollowUpOutcomeSchema)


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


def retention_metrics(photographer_id: str, *, start: date | None = None, end: date | None = None) -> dict:
    today = clock.now().date()
    end = end or today
    start = start or end - timedelta(days=364)
    if start > end:
        raise Problem(422, "`from` must not be after `to`.", errors={"from": ["After `to`."]})
    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    mine = Event.photographer_id == photographer_id
    total = Event.payload["total"].as_integer()
    currency_col = Event.payload["currency"].as_string()

    currency = db.session.scalar(select(currency_col).where(mine, Event.kind == "order_paid")
                                 .group_by(currency_col).order_by(func.count().desc()).limit(1))
    paid = and_(mine, Event.kind == "order_paid", Event.client_id.is_not(None), Event.ts < hi,
                currency_col == currency if currency else True)
    per_client = (select(Event.client_id, func.count().label("orders"), func.sum(total).label("revenue"),
                         func.min(Event.ts).label("first"), func.max(Event.ts).label("last"))
                  .where(paid).group_by(Event.client_id).subquery())
    clients = db.session.execute(select(per_client.c.orders, per_client.c.revenue, per_client.c.first,
                                        per_client.c.last)).all()
    paying = len(clients)
    repeaters = sum(1 for c in clients if c.orders >= 2)
    lifetime_revenue = sum(c.revenue or 0 for c in clients)
    orders = sum(c.orders for c in clients)

    def _aware(value):  # SQLite hands MIN/MAX of a subquery column back as text
        return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)

    lifetimes = [max((_aware(c.last) - _aware(c.first)).days / 365.25, 1.0) for c in clients]
    aov = lifetime_revenue / orders if orders else None
    ltv_estimate = None
    if paying:
        lifetime_years = sum(lifetimes) / paying
        per_year = orders / paying / lifetime_years
        ltv_estimate = round(aov * per_year * lifetime_years, 2)
    revenue = db.session.scalar(select(func.coalesce(func.sum(total), 0)).where(paid, Event.ts >= lo)) or 0

    length = hi - lo
    active = lambda a, b: (select(distinct(Event.client_id)).where(  # noqa: E731
        mine, Event.client_id.is_not(None), Event.kind.in_(ENGAGEMENT_KINDS), Event.ts >= a, Event.ts < b))
    before = db.session.scalar(select(func.count()).select_from(active(lo - length, lo).subquery()))
    kept = db.session.scalar(select(func.count()).select_from(
        active(lo - length, lo).where(Event.client_id.in_(active(lo, hi))).subquery()))

    return {
        "period_from": start, "period_to": end, "currency": currency, "paying_clients": paying,
        "repeat_client_rate": _ratio(repeaters, paying), "retention_rate": _ratio(kept, before),
        "revenue": int(revenue), "ltv": round(lifetime_revenue / paying, 2) if paying else None,
        "ltv_estimate": ltv_estimate, "average_order_value": round(aov, 2) if aov is not None else None,
        "offer_conversion": _offer_conversion(photographer_id, lo, hi),
        **_nps_metrics(photographer_id, lo, hi),
        "dormant_clients": dormant_count(photographer_id),
        "cohorts": attribution.cohorts(photographer_id),
        "followups": followups.outcomes(photographer_id),
    }


def _offer_conversion(photographer_id: str, lo: datetime, hi: datetime) -> list[dict]:
    window = and_(Message.photographer_id == photographer_id, Message.status == "sent", Message.sent_at >= lo,
                  Message.sent_at < hi)
    counts = {row.rule: row for row in db.session.execute(
        select(Message.rule, func.count().label("sent"), func.count(Message.opened_at).label("opened"),
               func.count(Message.clicked_at).label("clicked"), func.count(Message.coupon_code).label("offers"))
        .where(window).group_by(Message.rule))}
    # Redeemed: a paid order used the message's coupon (the store's Order and Coupon rows).
    redeemed = defaultdict(lambda: [0, 0])
    for rule, count, revenue in db.session.execute(
            select(Message.rule, func.count(distinct(Message.id)), func.coalesce(func.sum(Order.total), 0))
            .join(Coupon, and_(Coupon.photographer_id == photographer_id, Coupon.code == Message.coupon_code))
            .join(Order, and_(Order.coupon_id == Coupon.id, Order.paid_at.is_not(None)))
            .where(window, Message.coupon_code.is_not(None)).group_by(Message.rule)):
        redeemed[rule] = [count, int(revenue)]
    outcomes = attribution.outcomes_by_rule(photographer_id, lo, hi)
    return [{"rule": rule, "sent": counts[rule].sent if rule in counts else 0,
             "visited": outcomes[rule]["visited"], "ordered": outcomes[rule]["ordered"],
             "ordered_revenue": outcomes[rule]["revenue"],
             "opened": counts[rule].opened if rule in counts else 0,
             "clicked": counts[rule].clicked if rule in counts else 0,
             "offers": counts[rule].offers if rule in counts else 0,
             "redeemed": redeemed[rule][0], "revenue": redeemed[rule][1]}
            for rule in (*RULE_KINDS, "campaign") if CATEGORIES.get(rule) != "photographer"]


def _nps_metrics(photographer_id: str, lo: datetime, hi: datetime) -> dict:
    rows = db.session.execute(select(Feedback.score, Feedback.created_at).where(
        Feedback.photographer_id == photographer_id, Feedback.created_at >= lo, Feedback.created_at < hi)
        .order_by(Feedback.created_at)).all()
    by_month: dict[str, list[int]] = defaultdict(list)
    for score, created in rows:
        by_month[created.strftime("%Y-%m")].append(score)
    return {"nps": _nps([r.score for r in rows]), "nps_answers": len(rows),
            "nps_trend": [{"month": m, "nps": _nps(s), "answers": len(s)} for m, s in sorted(by_month.items())]}


def dormant_count(photographer_id: str) -> int:
    """Clients whose last engagement is older than the dormant rule's months (clients who never engaged
    are not dormant: they never started)."""
    months = next(r for r in rules_of(photographer_id) if r["kind"] == "dormant")["settings"]["months"]
    cutoff = day_start(schedule.add_months(clock.now().date(), -months))
    last = (select(Event.client_id, func.max(Event.ts).label("last"))
            .where(Event.photographer_id == photographer_id, Event.client_id.is_not(None),
                   Event.kind.in_(ENGAGEMENT_KINDS)).group_by(Event.client_id).subquery())
    return db.session.scalar(select(func.count()).select_from(last).join(Client, Client.id == last.c.client_id)
                             .where(last.c.last < cutoff)) or 0
