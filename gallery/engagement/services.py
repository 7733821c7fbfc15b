"""Writing to the event log. Callers add the event in the same transaction as
the action it records, so an action and its event commit or roll back together."""
from __future__ import annotations

from gallery.core import clock
from gallery.engagement.models import EVENT_KINDS, Event
from gallery.extensions import db


def record_event(kind: str, *, photographer_id: str, gallery_id: str | None = None, client_id: str | None = None,
                 visitor_id: str | None = None, photo_id: str | None = None, payload: dict | None = None,
                 ts=None) -> Event:
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    event = Event(kind=kind, photographer_id=photographer_id, gallery_id=gallery_id, client_id=client_id,
                  visitor_id=visitor_id, photo_id=photo_id, payload=payload or {}, ts=ts or clock.now())
    db.session.add(event)
    return event
