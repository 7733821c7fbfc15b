"""Operations on many photos of a gallery at once (the studio's multi-select), and a compact index of
every photo for a grid of thousands.

Every photo id must belong to the gallery, which must belong to the photographer; otherwise nothing
changes (422 with the ids that are not the gallery's). One statement per operation, not one per photo.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from gallery.core import clock
from gallery.core.queues import enqueue
from gallery.core.transaction import after_commit
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.galleries.photos import check_set, photo_object_keys
from gallery.galleries.services import get_gallery
from gallery.storage.signing import batch_signer

BULK_ACTIONS = ("move", "hide", "show", "delete")
SORT_KEYS = ("taken_at", "filename", "uploaded")
SINCE_OVERLAP = timedelta(seconds=30)


def _owned_ids(gallery: Gallery, photo_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(photo_ids))  # unique, order kept
    found = set(db.session.scalars(select(Photo.id).where(Photo.gallery_id == gallery.id, Photo.id.in_(wanted))))
    missing = [photo_id for photo_id in wanted if photo_id not in found]
    if missing:
        raise Problem(422, f"{len(missing)} of the photos are not photos of this gallery; nothing was changed.",
                      errors={"photo_ids": [f"Not in this gallery: {', '.join(missing[:20])}"]})
    return wanted


def bulk_change(photographer_id: str, gallery_id: str, photo_ids: list[str], action: str,
                set_id: str | None = None) -> dict:
    """Move to a set (or out of any set with set_id null), hide from guests, show again, or delete."""
    gallery = get_gallery(photographer_id, gallery_id)
    ids = _owned_ids(gallery, photo_ids)
    if action == "delete":
        return {"action": action, "count": _delete(gallery, ids)}
    if action == "move":
        check_set(gallery.id, set_id)
        values: dict[str, object] = {"set_id": set_id}
    else:
        values = {"hidden_from_guests": action == "hide"}
    db.session.execute(update(Photo).where(Photo.gallery_id == gallery.id, Photo.id.in_(ids))
                       .values(**values, updated_at=clock.now()), execution_options={"synchronize_session": False})
    db.session.flush()
    return {"action": action, "count": len(ids)}


def _delete(gallery: Gallery, ids: list[str]) -> int:
    """Rows now, objects in a job after the commit (storage may be slow; the rows are what guests see)."""
    photos = list(db.session.scalars(select(Photo).where(Photo.id.in_(ids)).options(selectinload(Photo.renditions))))
    object_keys, uploads = [], []
    for photo in photos:
        object_keys += photo_object_keys(photo)
        if photo.upload_id:
            uploads.append((photo.storage_key, photo.upload_id))
    if gallery.cover_photo_id in ids:
        gallery.cover_photo_id = None
    db.session.execute(delete(Rendition).where(Rendition.photo_id.in_(ids)))
    db.session.execute(delete(Photo).where(Photo.id.in_(ids)), execution_options={"synchronize_session": False})
    db.session.flush()
    after_commit(lambda: enqueue("workers.jobs.delete_objects", object_keys, [], None))
    for upload in uploads:
        after_commit(lambda upload=upload: enqueue("workers.jobs.delete_objects", [], [], upload))
    return len(photos)


def _renumber(gallery: Gallery, ordered_ids: list[str]) -> None:
    table = Photo.__table__  # one statement per moved photo (a shared executemany was refused on SQLite here)
    current = dict(db.session.execute(select(Photo.id, Photo.position).where(Photo.gallery_id == gallery.id)).all())
    for index, photo_id in enumerate(ordered_ids):
        if current.get(photo_id) != index:
            db.session.execute(table.update().where(table.c.id == photo_id).values(position=index))
    db.session.flush()


def reorder(photographer_id: str, gallery_id: str, *, sort: str | None = None, photo_ids: list[str] | None = None,
            before: str | None = None) -> int:
    """Either sort the whole gallery (capture time, filename, upload order) or move `photo_ids`, in the order
    given, to just before the photo `before` (to the end when it is null). Returns how many photos there are."""
    gallery = get_gallery(photographer_id, gallery_id)
    rows = list(db.session.execute(select(Photo.id, Photo.taken_at, Photo.original_filename, Photo.created_at)
                                   .where(Photo.gallery_id == gallery.id).order_by(Photo.position, Photo.id)))
    if sort:
        far = datetime.max.replace(tzinfo=clock.now().tzinfo)
        keys = {
            "taken_at": lambda r: (r.taken_at or far, r.original_filename.lower(), r.id),
            "filename": lambda r: (r.original_filename.lower(), r.id),
            "uploaded": lambda r: (r.created_at, r.id),
        }
        ordered = [r.id for r in sorted(rows, key=keys[sort])]
    else:
        moving = _owned_ids(gallery, photo_ids or [])
        if before is not None and before in moving:
            raise Problem(422, "A photo cannot be moved before itself.", errors={"before": ["One of the moved photos."]})
        rest = [r.id for r in rows if r.id not in set(moving)]
        if before is None:
            at = len(rest)
        elif before in rest:
            at = rest.index(before)
        else:
            raise Problem(422, "`before` must be a photo of this gallery.", errors={"before": ["Not in this gallery."]})
        ordered = rest[:at] + moving + rest[at:]
    _renumber(gallery, ordered)
    return len(ordered)


def photo_index(photographer_id: str, gallery_id: str, *, since: datetime | None = None) -> dict:
    """Every photo of the gallery in order, in a compact form (a grid of 3,000 photos in one response):
    id, file name, status (and why it failed), set, hidden, capture time, size, colour and a signed thumb URL.
    `since`: only photos changed after that instant (live processing status)."""
    gallery = get_gallery(photographer_id, gallery_id)
    started = clock.now()
    stmt = (select(Photo.id, Photo.original_filename, Photo.status, Photo.failure_reason, Photo.set_id,
                   Photo.hidden_from_guests, Photo.taken_at, Photo.width, Photo.height, Photo.placeholder_color,
                   Photo.position, Photo.bytes, Photo.updated_at)
            .where(Photo.gallery_id == gallery.id).order_by(Photo.position, Photo.id))
    if since is not None:
        stmt = stmt.where(Photo.updated_at > since)
    rows = list(db.session.execute(stmt))
    thumbs = _thumb_keys([r.id for r in rows if r.status == "ready"])
    sign = batch_signer()
    items = [{
        "id": r.id, "filename": r.original_filename, "status": r.status, "failure_reason": r.failure_reason,
        "set_id": r.set_id, "hidden_from_guests": r.hidden_from_guests, "taken_at": r.taken_at,
        "width": r.width, "height": r.height, "color": r.placeholder_color, "position": r.position, "bytes": r.bytes,
        "thumb_url": sign(thumbs[r.id]) if r.id in thumbs else None,
    } for r in rows]
    # `as_of` overlaps the recent past: a row stamped before this query but committed after it is not missed.
    return {"items": items, "cover_photo_id": gallery.cover_photo_id, "as_of": started - SINCE_OVERLAP}


def thumb_urls(photo_ids: list[str]) -> dict[str, str]:
    """photo id -> signed URL of its small grid image, for the photographer's own screens (order lines, the home)."""
    sign = batch_signer()
    return {photo_id: sign(key) for photo_id, key in _thumb_keys(sorted({p for p in photo_ids if p})).items()}


def _thumb_keys(photo_ids: list[str]) -> dict[str, str]:
    """photo id -> storage key of its small grid image (WebP thumb where there is one, else the JPEG)."""
    keys: dict[str, str] = {}
    for start in range(0, len(photo_ids), 900):  # SQLite's bound-parameter limit
        chunk = photo_ids[start:start + 900]
        for photo_id, fmt, key in db.session.execute(
                select(Rendition.photo_id, Rendition.format, Rendition.storage_key)
                .where(Rendition.photo_id.in_(chunk), Rendition.name == "thumb")):
            if fmt == "webp" or photo_id not in keys:
                keys[photo_id] = key
    return keys
