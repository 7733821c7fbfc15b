"""Engagement analytics over the event log: per gallery, per client, most engaged photos and a
studio overview over a date range. One aggregate query each, served by the (photographer, kind, ts),
(gallery, ts) and (client, kind, ts) indexes on events."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, distinct, func, select

from gallery.clients.services import get_client
from gallery.core import clock
from gallery.core.exports import csv_dict_writer
from gallery.engagement.models import ENGAGEMENT_KINDS, Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.galleries.services import get_gallery

STAT_FIELDS = ("visits", "unique_visitors", "photo_views", "favourites", "downloads", "shares", "orders", "revenue",
               "last_activity")
PHOTO_WEIGHTS = {"photo_viewed": 1, "favourited": 5, "downloaded": 3, "shared": 4}


def _count(*kinds):
    return func.coalesce(func.sum(case((Event.kind.in_(kinds), 1), else_=0)), 0)


def _stat_columns():
    visitor = func.coalesce(Event.visitor_id, Event.client_id)
    return [
        _count("gallery_viewed").label("visits"),
        func.count(distinct(case((Event.kind == "gallery_viewed", visitor)))).label("unique_visitors"),
        _count("photo_viewed").label("photo_views"),
        (_count("favourited") - _count("unfavourited")).label("favourites"),
        _count("downloaded", "zip_downloaded").label("downloads"),
        _count("shared").label("shares"),
        _count("order_paid").label("orders"),
        func.coalesce(func.sum(case((Event.kind == "order_paid", Event.payload["total"].as_integer()), else_=0)),
                      0).label("revenue"),
        func.max(case((Event.kind.in_(ENGAGEMENT_KINDS), Event.ts))).label("last_activity"),
    ]


def _as_stats(row) -> dict:
    stats = {name: (int(getattr(row, name) or 0) if name != "last_activity" else getattr(row, name))
             for name in STAT_FIELDS}
    last = stats["last_activity"]
    if isinstance(last, str):  # SQLite returns the raw text for MAX over a CASE expression
        last = datetime.fromisoformat(last)
    stats["last_activity"] = last.replace(tzinfo=UTC) if last is not None and last.tzinfo is None else last
    return stats


def _range(start: date | None, end: date | None) -> tuple[date, date, datetime, datetime]:
    end = end or clock.now().date()
    start = start or end - timedelta(days=29)
    if start > end:
        raise Problem(422, "`from` must not be after `to`.", errors={"from": ["After `to`."]})
    if (end - start).days > 3660:
        raise Problem(422, "The range may span at most ten years.", errors={"from": ["Range too long."]})
    return start, end, datetime.combine(start, time(0), tzinfo=UTC), datetime.combine(end + timedelta(days=1),
                                                                                    time(0), tzinfo=UTC)


def gallery_stats(photographer_id: str, gallery_id: str, *, top: int = 10) -> dict:
    gallery = get_gallery(photographer_id, gallery_id)
    row = db.session.execute(select(*_stat_columns()).where(Event.gallery_id == gallery.id,
                                                            Event.photographer_id == photographer_id)).one()
    return {"gallery_id": gallery.id, "title": gallery.title, **_as_stats(row),
            "top_photos": top_photos(photographer_id, gallery.id, limit=top)}


def top_photos(photographer_id: str, gallery_id: str, *, limit: int = 10) -> list[dict]:
    """The most engaged photos: views, favourites (net of removals), downloads and shares, weighted."""
    favourites = _count("favourited") - _count("unfavourited")
    score = sum(weight * (_count(kind) if kind != "favourited" else favourites)
                for kind, weight in PHOTO_WEIGHTS.items())
    rows = db.session.execute(
        select(Event.photo_id, _count("photo_viewed").label("views"), favourites.label("favourites"),
               _count("downloaded").label("downloads"), _count("shared").label("shares"), score.label("score"))
        .where(Event.photographer_id == photographer_id, Event.gallery_id == gallery_id, Event.photo_id.is_not(None))
        .group_by(Event.photo_id).order_by(score.desc(), Event.photo_id).limit(limit)).all()
    return [{"photo_id": r.photo_id, "views": int(r.views), "favourites": int(r.favourites),
             "downloads": int(r.downloads), "shares": int(r.shares), "score": int(r.score)} for r in rows]


def client_stats(photographer_id: str, client_id: str) -> dict:
    client = get_client(photographer_id, client_id)
    row = db.session.execute(select(*_stat_columns()).where(Event.client_id == client.id,
                                                            Event.photographer_id == photographer_id)).one()
    galleries = db.session.execute(
        select(Event.gallery_id, *_stat_columns()).where(Event.client_id == client.id,
                                                         Event.photographer_id == photographer_id,
                                                         Event.gallery_id.is_not(None))
        .group_by(Event.gallery_id).order_by(Event.gallery_id)).all()
    return {"client_id": client.id, "name": client.name, **_as_stats(row),
            "galleries": [{"gallery_id": g.gallery_id, **_as_stats(g)} for g in galleries]}


def overview(photographer_id: str, start: date | None = None, end: date | None = None) -> dict:
    """The studio over a date range: totals, and per gallery (newest first)."""
    start, end, lo, hi = _range(start, end)
    scope = (Event.photographer_id == photographer_id, Event.ts >= lo, Event.ts < hi)
    totals = db.session.execute(select(*_stat_columns()).where(*scope)).one()
    per_gallery = db.session.execute(
        select(Event.gallery_id, Gallery.title, *_stat_columns())
        .join(Gallery, Gallery.id == Event.gallery_id)
        .where(*scope, Gallery.photographer_id == photographer_id)
        .group_by(Event.gallery_id, Gallery.title).order_by(Event.gallery_id.desc())).all()
    active_clients = db.session.scalar(select(func.count(distinct(Event.client_id))).where(
        *scope, Event.kind.in_(ENGAGEMENT_KINDS), Event.client_id.is_not(None)))
    return {"from": start, "to": end, **_as_stats(totals), "active_clients": active_clients or 0,
            "galleries": [{"gallery_id": g.gallery_id, "title": g.title, **_as_stats(g)} for g in per_gallery]}


def to_csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv_dict_writer(out, columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
