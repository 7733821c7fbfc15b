"""Photos of a gallery as the photographer sees them: list, change, delete, rendition URLs."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gallery.core.pagination import Page, paginate
from gallery.core.queues import enqueue
from gallery.core.transaction import after_commit
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import GallerySet, Photo
from gallery.galleries.services import get_gallery
from gallery.storage.signing import signed_url


def get_photo(photographer_id: str, gallery_id: str, photo_id: str) -> Photo:
    gallery = get_gallery(photographer_id, gallery_id)
    photo = db.session.scalar(select(Photo).where(Photo.id == photo_id, Photo.gallery_id == gallery.id))
    if photo is None:
        raise Problem(404, "No such photo in this gallery.")
    return photo


def list_photos(photographer_id: str, gallery_id: str, *, cursor=None, limit=50, status=None, set_id=None,
                sha256=None) -> Page:
    """Photos in gallery order (position, then upload order)."""
    gallery = get_gallery(photographer_id, gallery_id)
    stmt = select(Photo).where(Photo.gallery_id == gallery.id).options(selectinload(Photo.renditions))
    if status:
        stmt = stmt.where(Photo.status == status)
    if set_id:
        stmt = stmt.where(Photo.set_id == set_id)
    if sha256:
        stmt = stmt.where(Photo.sha256 == sha256.lower())
    return paginate(stmt, db.session, keys=[Photo.position, Photo.id], cursor=cursor, limit=limit)


def existing_hashes(photographer_id: str, gallery_id: str, hashes: list[str]) -> dict[str, Photo]:
    """The photos of the gallery among `hashes` (what an interrupted upload run may skip)."""
    gallery = get_gallery(photographer_id, gallery_id)
    wanted = {h.lower() for h in hashes}
    photos = db.session.scalars(select(Photo).where(Photo.gallery_id == gallery.id, Photo.sha256.in_(wanted)))
    return {photo.sha256: photo for photo in photos}


def next_position(gallery_id: str) -> int:
    return (db.session.scalar(select(func.max(Photo.position)).where(Photo.gallery_id == gallery_id)) or 0) + 1


def check_set(gallery_id: str, set_id: str | None) -> None:
    if set_id and not db.session.scalar(select(GallerySet.id).where(GallerySet.id == set_id,
                                                                     GallerySet.gallery_id == gallery_id)):
        raise Problem(422, "The set must be a set of this gallery.", errors={"set_id": ["Not a set of this gallery."]})


def update_photo(photographer_id: str, gallery_id: str, photo_id: str, changes: dict) -> Photo:
    photo = get_photo(photographer_id, gallery_id, photo_id)
    if "set_id" in changes:
        check_set(photo.gallery_id, changes["set_id"])
    for name, value in changes.items():
        setattr(photo, name, value)
    db.session.flush()
    return photo


def photo_object_keys(photo: Photo) -> list[str]:
    return [photo.storage_key, *(r.storage_key for r in photo.renditions)]


def delete_photo(photographer_id: str, gallery_id: str, photo_id: str) -> None:
    """Delete the row now and its objects in a job (storage may be slow; the row is what guests see)."""
    photo = get_photo(photographer_id, gallery_id, photo_id)
    object_keys = photo_object_keys(photo)
    upload = (photo.storage_key, photo.upload_id) if photo.upload_id else None
    db.session.delete(photo)
    db.session.flush()
    after_commit(lambda: enqueue("workers.jobs.delete_objects", object_keys, [], upload))


def rendition_urls(photo: Photo, *, scope: str | None = None, expires_in: int | None = None) -> list[dict]:
    """Each rendition with a signed, expiring URL (optionally bound to a share link scope)."""
    return [
        {"name": r.name, "format": r.format, "width": r.width, "height": r.height, "bytes": r.bytes,
         "url": signed_url(r.storage_key, expires_in=expires_in, scope=scope, absolute=True)}
        for r in sorted(photo.renditions, key=lambda r: (r.width, r.name, r.format))
    ]
