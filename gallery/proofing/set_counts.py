"""How many photos of each set this link may see, for "Ceremony · 3 / 12" in the viewer (one grouped query)."""
from __future__ import annotations

from sqlalchemy import func, select

from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.sharing.visibility import visible_photos


def with_set_counts(access, view: dict) -> dict:
    if view.get("locked") or "sets" not in view:
        return view
    visible = visible_photos(access, Photo.id, Photo.set_id).subquery()
    counts = dict(db.session.execute(select(visible.c.set_id, func.count()).group_by(visible.c.set_id)).all())
    view["sets"] = [{"id": s.id, "name": s.name, "position": s.position, "photo_count": counts.get(s.id, 0)}
                    for s in view["sets"]]
    known = {s["id"] for s in view["sets"]}
    view["unsorted_count"] = sum(n for set_id, n in counts.items() if set_id not in known)
    return view
