"""Gallery and set operations, scoped to the owning photographer."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from gallery.clients.services import get_client
from gallery.core import clock
from gallery.core.ids import new_id
from gallery.core.pagination import Page, paginate
from gallery.core.scoping import get_owned
from gallery.core.passwords import hash_password
from gallery.core.queues import enqueue
from gallery.core.transaction import after_commit
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, GallerySet, Photo, default_download_policy
from gallery.storage import keys


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "gallery"


def get_gallery(photographer_id: str, gallery_id: str) -> Gallery:
    return get_owned(Gallery, gallery_id, photographer_id=photographer_id, detail="No such gallery.")


def list_galleries(photographer_id: str, *, cursor=None, limit=50, status=None, client_id=None) -> Page:
    stmt = select(Gallery).where(Gallery.photographer_id == photographer_id)
    if status:
        stmt = stmt.where(Gallery.status == status)
    if client_id:
        stmt = stmt.where(Gallery.client_id == client_id)
    return paginate(stmt, db.session, keys=[Gallery.id], cursor=cursor, limit=limit, descending=True)


def _unique_slug(photographer_id: str, wanted: str, gallery_id: str | None = None) -> str:
    taken = set(db.session.scalars(
        select(Gallery.slug).where(Gallery.photographer_id == photographer_id, Gallery.slug.like(f"{wanted}%"),
                                   Gallery.id != (gallery_id or ""))
    ))
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def _apply(gallery: Gallery, photographer_id: str, data: dict) -> None:
    if data.get("client_id"):
        get_client(photographer_id, data["client_id"])  # 404 unless it is this photographer's client
    if data.get("cover_photo_id"):
        owned = db.session.scalar(select(Photo.id).where(Photo.id == data["cover_photo_id"],
                                                         Photo.gallery_id == gallery.id))
        if not owned:
            raise Problem(422, "The cover photo must be a photo of this gallery.",
                          errors={"cover_photo_id": ["Not a photo of this gallery."]})
    if data.get("price_sheet_id"):
        # The store sits above galleries: the foreign key's own table answers, without importing the store.
        price_sheets = db.metadata.tables["price_sheets"]
        owned = db.session.scalar(select(price_sheets.c.id).where(price_sheets.c.id == data["price_sheet_id"],
                                                                  price_sheets.c.photographer_id == photographer_id))
        if not owned:
            raise Problem(422, "The price sheet must be one of yours.",
                          errors={"price_sheet_id": ["No such price sheet."]})
    if "password" in data:
        password = data.pop("password")
        gallery.password_hash = hash_password(password) if password else None
    if "download_pin" in data:
        pin = data.pop("download_pin")
        gallery.download_pin_hash = hash_password(pin) if pin else None
    if "download_policy" in data:
        data["download_policy"] = {**default_download_policy(), **(gallery.download_policy or {}),
                                   **data["download_policy"]}
    for key, value in data.items():
        setattr(gallery, key, value)


def create_gallery(photographer_id: str, data: dict) -> Gallery:
    data = dict(data)
    gallery = Gallery(id=new_id(), photographer_id=photographer_id, status="draft",
                      download_policy=default_download_policy())
    gallery.slug = _unique_slug(photographer_id, data.pop("slug", None) or slugify(data["title"]))
    _apply(gallery, photographer_id, data)  # validates references before the row joins the session
    db.session.add(gallery)
    db.session.flush()
    return gallery


def update_gallery(photographer_id: str, gallery_id: str, changes: dict) -> Gallery:
    gallery = get_gallery(photographer_id, gallery_id)
    changes = dict(changes)
    if "slug" in changes:
        gallery.slug = _unique_slug(photographer_id, changes.pop("slug"), gallery.id)
    _apply(gallery, photographer_id, changes)
    db.session.flush()
    return gallery


def delete_gallery(photographer_id: str, gallery_id: str) -> Gallery:
    gallery = get_gallery(photographer_id, gallery_id)
    db.session.delete(gallery)
    db.session.flush()
    gallery_id = gallery.id
    # After the commit, a job removes the originals and renditions under the gallery's prefixes.
    after_commit(lambda: enqueue("workers.jobs.delete_objects", [], keys.gallery_prefixes(gallery_id), None))
    return gallery


def publish_gallery(photographer_id: str, gallery_id: str, expires_at=None) -> Gallery:
    gallery = get_gallery(photographer_id, gallery_id)
    if expires_at is not None:
        gallery.expires_at = expires_at
    if gallery.status != "published":
        gallery.status = "published"
        gallery.published_at = clock.now()
        record_event("gallery_published", photographer_id=photographer_id, gallery_id=gallery.id,
                     client_id=gallery.client_id)
    db.session.flush()
    return gallery


# A published gallery expiring within this window needs the photographer's eye (extend it, or let it go).
EXPIRING_SOON = timedelta(days=7)


def expiring_soon(now: datetime):
    """The one rule for "expires this week": published, with an expiry from now to a week ahead (a SQL
    condition). Moving the expiry beyond the week, removing it or archiving the gallery hands it back."""
    return and_(Gallery.status == "published", Gallery.expires_at >= now, Gallery.expires_at < now + EXPIRING_SOON)


def add_set(photographer_id: str, gallery_id: str, data: dict) -> GallerySet:
    gallery = get_gallery(photographer_id, gallery_id)
    if "position" not in data:
        data = {**data, "position": (db.session.scalar(
            select(func.max(GallerySet.position)).where(GallerySet.gallery_id == gallery.id)) or 0) + 1}
    gallery_set = GallerySet(gallery_id=gallery.id, **data)
    db.session.add(gallery_set)
    db.session.flush()
    return gallery_set


def get_set(photographer_id: str, gallery_id: str, set_id: str) -> GallerySet:
    gallery = get_gallery(photographer_id, gallery_id)
    return get_owned(GallerySet, set_id, gallery_id=gallery.id, detail="No such set in this gallery.")


def update_set(photographer_id: str, gallery_id: str, set_id: str, changes: dict) -> GallerySet:
    gallery_set = get_set(photographer_id, gallery_id, set_id)
    for key, value in changes.items():
        setattr(gallery_set, key, value)
    db.session.flush()
    return gallery_set


def delete_set(photographer_id: str, gallery_id: str, set_id: str) -> None:
    """Delete a set; its photos stay in the gallery, outside any set."""
    db.session.delete(get_set(photographer_id, gallery_id, set_id))
