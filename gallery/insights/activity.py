"""The photographer's view of a gallery's activity: who visited, favourited, submitted, downloaded."""
from __future__ import annotations

import io
from datetime import timedelta
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from gallery.core.exports import csv_writer
from gallery.core.pagination import Page, paginate
from gallery.engagement.models import STUDIO_KINDS, Event
from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.galleries.services import get_gallery
from gallery.sharing.models import Visitor

# Opens of the gallery by the same person this close together are one visit in the timeline (reloads,
# coming back from a photo). Only the read collapses them: the events stay, and metrics count them as before.
VISIT_WINDOW = timedelta(minutes=30)

CSV_COLUMNS = ("ts", "kind", "visitor_email", "visitor_name", "client_id", "photo_id", "photo_filename", "payload")


def _events(gallery_id: str, kinds: list[str] | None):
    stmt = select(Event).where(Event.gallery_id == gallery_id)
    if kinds:
        stmt = stmt.where(Event.kind.in_(kinds))
    return stmt


def _decorate(events: list[Event], session: Session) -> list[dict]:
    """Add who (visitor email and name) and which file, with two queries for the whole batch."""
    visitor_ids = {e.visitor_id for e in events if e.visitor_id}
    photo_ids = {e.photo_id for e in events if e.photo_id}
    visitors = {v.id: v for v in session.scalars(select(Visitor).where(Visitor.id.in_(visitor_ids)))} \
        if visitor_ids else {}
    filenames = dict(session.execute(select(Photo.id, Photo.original_filename)
                                        .where(Photo.id.in_(photo_ids))).all()) if photo_ids else {}
    rows = []
    for event in events:
        visitor = visitors.get(event.visitor_id)
        rows.append({"id": event.id, "ts": event.ts, "kind": event.kind, "client_id": event.client_id,
                     "actor": "studio" if event.kind in STUDIO_KINDS else "visitor",
                     "visitor_id": event.visitor_id, "visitor_email": visitor.email if visitor else None,
                     "visitor_name": visitor.name if visitor else None, "photo_id": event.photo_id,
                     "photo_filename": filenames.get(event.photo_id), "payload": event.payload or {}})
    return rows


def _opener(event: Event) -> tuple | None:
    """Who opened the gallery, when we know (an identified visitor or a client's link); None if anonymous."""
    if event.visitor_id is None and event.client_id is None:
        return None
    return (event.visitor_id, event.client_id)


def _repeat_opens(gallery_id: str, events: list[Event]) -> set[int]:
    """Ids of the gallery_viewed events that continue a visit: the same person opened the gallery less than
    VISIT_WINDOW before. Anonymous opens are never merged (they may be different people)."""
    opens = [e for e in events if e.kind == "gallery_viewed" and _opener(e) is not None]
    if not opens:
        return set()
    earlier = db.session.scalars(select(Event).where(
        Event.gallery_id == gallery_id, Event.kind == "gallery_viewed",
        Event.ts >= min(e.ts for e in opens) - VISIT_WINDOW, Event.ts <= max(e.ts for e in opens)))
    by_opener: dict[tuple, list[Event]] = {}
    for event in earlier:
        if _opener(event) is not None:
            by_opener.setdefault(_opener(event), []).append(event)  # type: ignore[arg-type]
    repeats = set()
    for event in opens:
        if any(other.id < event.id and event.ts - other.ts < VISIT_WINDOW
               for other in by_opener.get(_opener(event), [])):  # type: ignore[arg-type]
            repeats.add(event.id)
    return repeats


def gallery_activity(photographer_id: str, gallery_id: str, *, kinds=None, cursor=None, limit=50) -> Page:
    """Newest first, cursor-paginated; repeated opens by one person within VISIT_WINDOW show once (the first)."""
    gallery = get_gallery(photographer_id, gallery_id)
    page = paginate(_events(gallery.id, kinds), db.session, keys=[Event.id], cursor=cursor, limit=limit,
                    descending=True)
    repeats = _repeat_opens(gallery.id, page.items)
    return Page(_decorate([e for e in page.items if e.id not in repeats], db.session), page.next_cursor)


def gallery_activity_csv(photographer_id: str, gallery_id: str, *, kinds=None, batch: int = 500) -> Iterator[str]:
    """All of the gallery's events as CSV, oldest first, in batches (constant memory).

    Checks ownership now (404), then streams with a session of its own, so the
    body can be sent after the request (and its context) is gone."""
    owned_id = get_gallery(photographer_id, gallery_id).id  # a plain id: the instance dies with the request
    engine = db.engine

    def rows():
        with Session(engine) as session:
            yield from _csv_rows(session, owned_id, kinds, batch)

    return rows()


def _csv_rows(session: Session, gallery_id: str, kinds, batch: int) -> Iterator[str]:
    import json

    stmt = _events(gallery_id, kinds)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CSV_COLUMNS)
    last_id = 0
    while True:
        events = list(session.scalars(stmt.where(Event.id > last_id).order_by(Event.id).limit(batch)))
        for row in _decorate(events, session):
            writer.writerow([row["ts"].isoformat(), row["kind"], row["visitor_email"] or "", row["visitor_name"] or "",
                             row["client_id"] or "", row["photo_id"] or "", row["photo_filename"] or "",
                             json.dumps(row["payload"], sort_keys=True) if row["payload"] else ""])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(events) < batch:
            return
        last_id = events[-1].id
