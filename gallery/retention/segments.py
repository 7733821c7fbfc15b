"""Segments: which of a photographer's clients a campaign reaches, by filters, as one SQL query.

Every filter narrows (they combine with AND); a list filter matches any of its values. Only clients who
can be mailed marketing are reached: an email address, marketing consent, no unsubscribe. `audience()`
also says how many matched but are left out, and why.
"""
from __future__ import annotations

from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy import Integer, and_, case, cast, exists, func, or_, select

from gallery.clients.models import Client, ImportantDate
from gallery.core import clock
from gallery.core.queries import json_array_contains
from gallery.engagement.models import ENGAGEMENT_KINDS, Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention import schedule
from gallery.retention.models import ClientTier, Unsubscribe
from gallery.store.models import PAID_STATUSES, Order

_short = validate.Length(min=1, max=64)


class SegmentSchema(Schema):
    event_types = fields.List(fields.String(validate=_short), validate=validate.Length(max=20), metadata={
        "description": "Clients with a published gallery of one of these event types."})
    last_shoot_before = fields.Date(metadata={"description": "Their newest shoot is before this date."})
    last_shoot_after = fields.Date(metadata={"description": "Their newest shoot is on or after this date."})
    min_spend = fields.Integer(validate=validate.Range(min=0), metadata={
        "description": "Lifetime paid orders at least this much (minor units)."})
    max_spend = fields.Integer(validate=validate.Range(min=0), metadata={
        "description": "Lifetime paid orders at most this much (minor units)."})
    has_ordered = fields.Boolean(metadata={"description": "true: clients with a paid order; false: without."})
    locales = fields.List(fields.String(validate=validate.Length(min=2, max=16)), validate=validate.Length(max=10))
    tags = fields.List(fields.String(validate=_short), validate=validate.Length(max=20), metadata={
        "description": "Clients with any of these tags."})
    important_date_month = fields.Integer(validate=validate.Range(min=1, max=12), metadata={
        "description": "Clients with an important date (wedding, birthday...) in this month."})
    dormant_months = fields.Integer(validate=validate.Range(min=1, max=120), metadata={
        "description": "No engagement (visits, favourites, orders...) for at least this many months."})
    tier_ids = fields.List(fields.String(validate=validate.Length(min=1, max=26)), validate=validate.Length(max=10),
                           metadata={"description": "Clients in one of these loyalty tiers."})


def spend_of(client_id_column):
    """Lifetime paid spend of a client (minor units), as a correlated scalar subquery."""
    return (select(func.coalesce(func.sum(Order.total), 0))
            .where(Order.client_id == client_id_column, Order.status.in_(PAID_STATUSES))
            .scalar_subquery())


def _month_of(column):
    if db.engine.dialect.name == "postgresql":
        return func.extract("month", column)
    return cast(func.strftime("%m", column), Integer)


def matching(photographer_id: str, filters: dict, now: datetime | None = None):
    """SELECT of the ids of the photographer's clients that match `filters` (reachable or not)."""
    return select(Client.id).where(*client_conditions(photographer_id, filters, now))


def client_conditions(photographer_id: str, filters: dict, now: datetime | None = None) -> list:
    """The WHERE conditions on `Client` that `filters` mean (for a query that selects clients itself)."""
    now = now or clock.now()
    conditions = [Client.photographer_id == photographer_id]
    published = and_(Gallery.client_id == Client.id, Gallery.status != "draft")
    if filters.get("event_types"):
        conditions.append(exists(select(Gallery.id).where(published, Gallery.event_type.in_(filters["event_types"]))))
    if filters.get("last_shoot_before") or filters.get("last_shoot_after"):
        newest = select(func.max(Gallery.shoot_date)).where(published).scalar_subquery()
        if filters.get("last_shoot_before"):
            conditions.append(newest < filters["last_shoot_before"])
        if filters.get("last_shoot_after"):
            conditions.append(newest >= filters["last_shoot_after"])
    if filters.get("min_spend") is not None:
        conditions.append(spend_of(Client.id) >= filters["min_spend"])
    if filters.get("max_spend") is not None:
        conditions.append(spend_of(Client.id) <= filters["max_spend"])
    if filters.get("has_ordered") is not None:
        ordered = exists(select(Order.id).where(Order.client_id == Client.id, Order.status.in_(PAID_STATUSES)))
        conditions.append(ordered if filters["has_ordered"] else ~ordered)
    if filters.get("locales"):
        wanted = {tag.lower() for tag in filters["locales"]}
        conditions.append(or_(*[func.lower(Client.locale).like(f"{tag}%") for tag in sorted(wanted)]))
    if filters.get("tags"):
        conditions.append(or_(*[json_array_contains(Client.tags, tag) for tag in filters["tags"]]))
    if filters.get("important_date_month"):
        conditions.append(exists(select(ImportantDate.id).where(
            ImportantDate.client_id == Client.id, _month_of(ImportantDate.date) == filters["important_date_month"])))
    if filters.get("dormant_months"):
        since = schedule.add_months(now.date(), -filters["dormant_months"])
        since_at = datetime.combine(since, datetime.min.time(), tzinfo=now.tzinfo)
        conditions.append(~exists(select(Event.id).where(Event.client_id == Client.id,
                                                         Event.kind.in_(ENGAGEMENT_KINDS), Event.ts >= since_at)))
    if filters.get("tier_ids"):
        conditions.append(exists(select(ClientTier.client_id).where(ClientTier.client_id == Client.id,
                                                                    ClientTier.tier_id.in_(filters["tier_ids"]))))
    return conditions


def _unsubscribed():
    return exists(select(Unsubscribe.id).where(Unsubscribe.photographer_id == Client.photographer_id,
                                               Unsubscribe.email == Client.email))


def reachable(photographer_id: str, filters: dict, now: datetime | None = None):
    """SELECT of Client rows that match and may receive marketing mail."""
    ids = matching(photographer_id, filters, now).subquery()
    return (select(Client).join(ids, ids.c.id == Client.id)
            .where(Client.email.is_not(None), Client.marketing_consent.is_(True), ~_unsubscribed()))


def audience(photographer_id: str, filters: dict, now: datetime | None = None) -> dict:
    """How many clients the segment reaches, and how many it leaves out and why (one query)."""
    ids = matching(photographer_id, filters, now).subquery()
    no_email = Client.email.is_(None)
    no_consent = and_(~no_email, Client.marketing_consent.is_not(True))
    unsubscribed = and_(~no_email, Client.marketing_consent.is_(True), _unsubscribed())

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(func.count(Client.id), count(no_email), count(no_consent), count(unsubscribed))
        .join(ids, ids.c.id == Client.id)).one()
    matched, without_email, without_consent, opted_out = (int(v or 0) for v in row)
    return {"matched": matched, "reachable": matched - without_email - without_consent - opted_out,
            "excluded": {"no_email": without_email, "no_consent": without_consent, "unsubscribed": opted_out}}
