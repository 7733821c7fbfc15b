"""The studio's list of clients: search and filters, and for each client their last shoot, lifetime spend and
number of galleries.

The filters are the segments' (gallery.retention.segments.matching), so "spend" or "last shoot" mean here
exactly what they mean to a campaign. Owner-scoped; keyset pages on the client id.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import func, or_, select

from gallery.clients.models import Client
from gallery.clients.schemas import ClientSchema
from gallery.clients.services import get_client
from gallery.core.pagination import Page, PageArgsSchema, paginate
from gallery.core.schemas import Timestamp, page_schema
from gallery.extensions import db
from gallery.galleries.models import EVENT_TYPES, Gallery
from gallery.retention import segments
from gallery.retention.models import Feedback
from gallery.store.models import PAID_STATUSES, Order


class DirectoryQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Search name, email or phone."})
    tag = fields.String(validate=validate.Length(min=1, max=50))
    event_type = fields.String(validate=validate.OneOf(EVENT_TYPES), metadata={
        "description": "Clients with a published gallery of this event type."})
    last_shoot_after = fields.Date(metadata={"description": "Their newest shoot is on or after this date."})
    last_shoot_before = fields.Date(metadata={"description": "Their newest shoot is before this date."})
    min_spend = fields.Integer(validate=validate.Range(min=0, max=2 ** 53), metadata={
        "description": "Lifetime paid orders at least this much (minor units)."})
    max_spend = fields.Integer(validate=validate.Range(min=0, max=2 ** 53), metadata={
        "description": "Lifetime paid orders at most this much (minor units)."})
    consent = fields.Boolean(metadata={"description": "true: with marketing consent; false: without."})
    locale = fields.String(validate=validate.Regexp(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?$"), metadata={
        "description": "Language tag such as nb (matches nb-NO too)."})


class DirectoryClientSchema(ClientSchema):
    last_shoot = fields.Date(allow_none=True, dump_only=True, metadata={
        "description": "The newest shoot date of their published galleries."})
    spend = fields.Integer(dump_only=True, metadata={"description": "Lifetime paid orders (minor units)."})
    currency = fields.String(allow_none=True, dump_only=True, metadata={
        "description": "Currency of their latest paid order."})
    gallery_count = fields.Integer(dump_only=True)


DirectoryPageSchema = page_schema(DirectoryClientSchema, "ClientDirectoryPage")


def _segment_filters(args: dict) -> dict:
    filters: dict = {}
    if args.get("event_type"):
        filters["event_types"] = [args["event_type"]]
    if args.get("locale"):
        filters["locales"] = [args["locale"].replace("_", "-")]
    if args.get("tag"):
        filters["tags"] = [args["tag"]]
    for key in ("last_shoot_after", "last_shoot_before", "min_spend", "max_spend"):
        if args.get(key) is not None:
            filters[key] = args[key]
    return filters


def list_clients(photographer_id: str, args: dict) -> Page:
    args = dict(args)
    cursor, limit = args.pop("cursor", None), args.pop("limit", 50)
    # The segment's conditions on this query itself: an IN over the same table is planned as a nested loop
    # of every client against every client while the table's statistics are stale (after an import).
    stmt = select(Client).where(*segments.client_conditions(photographer_id, _segment_filters(args)))
    if args.get("q"):
        pattern = "%" + args["q"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(Client.name).like(pattern, escape="\\"),
                              func.lower(Client.email).like(pattern, escape="\\"),
                              Client.phone.like(pattern, escape="\\")))
    if args.get("consent") is not None:
        stmt = stmt.where(Client.marketing_consent.is_(args["consent"]))
    page = paginate(stmt, db.session, keys=[Client.id], cursor=cursor, limit=limit)
    _add_summaries(photographer_id, page.items)
    return page


def _add_summaries(photographer_id: str, clients: list[Client]) -> None:
    """Last shoot, spend, currency and gallery count for one page of clients (three grouped queries)."""
    ids = [c.id for c in clients]
    if not ids:
        return
    shoots = dict(db.session.execute(
        select(Gallery.client_id, func.max(Gallery.shoot_date)).where(
            Gallery.client_id.in_(ids), Gallery.photographer_id == photographer_id, Gallery.status != "draft")
        .group_by(Gallery.client_id)).all())
    counts = dict(db.session.execute(
        select(Gallery.client_id, func.count(Gallery.id)).where(
            Gallery.client_id.in_(ids), Gallery.photographer_id == photographer_id).group_by(Gallery.client_id)).all())
    paid = (Order.client_id.in_(ids), Order.photographer_id == photographer_id, Order.status.in_(PAID_STATUSES))
    spend = dict(db.session.execute(select(Order.client_id, func.sum(Order.total)).where(*paid)
                                    .group_by(Order.client_id)).all())
    currency: dict = {}
    for client_id, code in db.session.execute(select(Order.client_id, Order.currency).where(*paid)
                                              .order_by(Order.created_at)).all():
        currency[client_id] = code
    for client in clients:
        client.last_shoot = shoots.get(client.id)  # type: ignore[attr-defined]
        client.spend = int(spend.get(client.id) or 0)  # type: ignore[attr-defined]
        client.currency = currency.get(client.id)  # type: ignore[attr-defined]
        client.gallery_count = int(counts.get(client.id) or 0)  # type: ignore[attr-defined]


def summary(photographer_id: str, client_id: str) -> dict:
    """One client's lifetime value (paid orders by currency), last shoot, galleries and survey answers."""
    client = get_client(photographer_id, client_id)
    _add_summaries(photographer_id, [client])
    lifetime = db.session.execute(
        select(Order.currency, func.sum(Order.total), func.count(Order.id)).where(
            Order.client_id == client.id, Order.photographer_id == photographer_id,
            Order.status.in_(PAID_STATUSES)).group_by(Order.currency).order_by(Order.currency)).all()
    answers = db.session.scalars(select(Feedback).where(
        Feedback.client_id == client.id, Feedback.photographer_id == photographer_id)
        .order_by(Feedback.created_at.desc()).limit(100)).all()
    return {"client_id": client.id, "last_shoot": client.last_shoot,  # type: ignore[attr-defined]
            "gallery_count": client.gallery_count,  # type: ignore[attr-defined]
            "lifetime": [{"currency": code, "total": int(total or 0), "orders": int(n)} for code, total, n in lifetime],
            "surveys": [{"score": a.score, "comment": a.comment, "gallery_id": a.gallery_id, "created_at": a.created_at}
                        for a in answers]}


class LifetimeSchema(Schema):
    currency = fields.String()
    total = fields.Integer(metadata={"description": "Paid orders, minor units."})
    orders = fields.Integer()


class SurveyAnswerSchema(Schema):
    score = fields.Integer()
    comment = fields.String(allow_none=True)
    gallery_id = fields.String(allow_none=True)
    created_at = Timestamp()


class ClientSummarySchema(Schema):
    client_id = fields.String()
    last_shoot = fields.Date(allow_none=True)
    gallery_count = fields.Integer()
    lifetime = fields.List(fields.Nested(LifetimeSchema), metadata={"description": "Lifetime value by currency."})
    surveys = fields.List(fields.Nested(SurveyAnswerSchema), metadata={"description": "Survey answers, newest first."})
