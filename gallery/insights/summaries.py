"""Gallery summaries for the studio's list: each gallery with its cover, its state (draft, published,
expiring, expired, archived) and what happened in it (photos, visits, favourites, selections, orders,
comments). One grouped query per figure over the page's galleries, never one per gallery."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, or_, select

from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.pagination import keyset, page_of
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.proofing.models import Comment, Favourite, FavouriteList, Selection
from gallery.sharing.models import ShareLink, Visitor
from gallery.storage.signing import batch_signer
from gallery.store.models import PAID_STATUSES, Order

STATES = ("draft", "published", "expiring", "expired", "archived")
EXPIRING_WITHIN = timedelta(days=7)


def _state_condition(state: str, now):
    soon = now + EXPIRING_WITHIN
    published = Gallery.status == "published"
    return {
        "draft": Gallery.status == "draft",
        "archived": Gallery.status == "archived",
        "expired": and_(published, Gallery.expires_at.is_not(None), Gallery.expires_at <= now),
        "expiring": and_(published, Gallery.expires_at > now, Gallery.expires_at <= soon),
        "published": and_(published, or_(Gallery.expires_at.is_(None), Gallery.expires_at > soon)),
    }[state]


def state_of(gallery: Gallery, now) -> str:
    if gallery.status != "published":
        return gallery.status
    if gallery.expires_at is not None and gallery.expires_at <= now:
        return "expired"
    if gallery.expires_at is not None and gallery.expires_at <= now + EXPIRING_WITHIN:
        return "expiring"
    return "published"


def _grouped(stmt) -> dict:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in db.session.execute(stmt)}


def summaries(photographer_id: str, *, q: str | None = None, state: str | None = None, client_id: str | None = None,
              cursor: str | None = None, limit: int = 50):
    now = clock.now()
    stmt = (select(Gallery, Client.name).outerjoin(Client, Client.id == Gallery.client_id)
            .where(Gallery.photographer_id == photographer_id))
    if state:
        stmt = stmt.where(_state_condition(state, now))
    if client_id:
        stmt = stmt.where(Gallery.client_id == client_id)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Gallery.title).like(like), func.lower(Client.name).like(like)))
    rows = list(db.session.execute(keyset(stmt, keys=[Gallery.id], cursor=cursor, limit=limit, descending=True)))
    page = page_of(rows, limit, lambda last: [last[0].id])
    ids = [gallery.id for gallery, _ in page.items]
    figures = _figures(ids) if ids else {}
    covers = _covers([(g.id, g.cover_photo_id) for g, _ in page.items]) if ids else {}
    page.items = [{
        "id": gallery.id, "title": gallery.title, "slug": gallery.slug, "status": gallery.status,
        "state": state_of(gallery, now), "event_type": gallery.event_type, "shoot_date": gallery.shoot_date,
        "expires_at": gallery.expires_at, "published_at": gallery.published_at, "created_at": gallery.created_at,
        "client": {"id": gallery.client_id, "name": client_name} if gallery.client_id else None,
        "selection_limit": gallery.selection_limit, "cover_url": covers.get(gallery.id),
        **{name: values.get(gallery.id, 0) for name, values in figures.items()},
    } for gallery, client_name in page.items]
    return page


def _figures(ids: list[str]) -> dict[str, dict]:
    photos = _grouped(select(Photo.gallery_id, func.count(), func.sum(Photo.bytes))
                      .where(Photo.gallery_id.in_(ids)).group_by(Photo.gallery_id))
    by_status = {}
    for gallery_id, status, count in db.session.execute(
            select(Photo.gallery_id, Photo.status, func.count()).where(Photo.gallery_id.in_(ids))
            .group_by(Photo.gallery_id, Photo.status)):
        by_status.setdefault(status, {})[gallery_id] = count
    selections = {}
    for gallery_id, status, count in db.session.execute(
            select(Selection.gallery_id, Selection.status, func.count()).where(Selection.gallery_id.in_(ids))
            .group_by(Selection.gallery_id, Selection.status)):
        selections.setdefault(status, {})[gallery_id] = count
    return {
        "photo_count": {k: v[0] for k, v in photos.items()},
        "bytes": {k: int(v[1] or 0) for k, v in photos.items()},
        "processing_count": {**by_status.get("processing", {})},
        "failed_count": {**by_status.get("failed", {})},
        "visits": _grouped(select(Event.gallery_id, func.count()).where(
            Event.gallery_id.in_(ids), Event.kind == "gallery_viewed").group_by(Event.gallery_id)),
        "visitors": _grouped(select(Visitor.gallery_id, func.count()).where(Visitor.gallery_id.in_(ids))
                             .group_by(Visitor.gallery_id)),
        "favourites": _grouped(select(FavouriteList.gallery_id, func.count(Favourite.id))
                               .join(Favourite, Favourite.list_id == FavouriteList.id)
                               .where(FavouriteList.gallery_id.in_(ids)).group_by(FavouriteList.gallery_id)),
        "selections_submitted": selections.get("submitted", {}),
        "selections_reopened": selections.get("reopened", {}),
        "comments": _grouped(select(Comment.gallery_id, func.count()).where(Comment.gallery_id.in_(ids))
                             .group_by(Comment.gallery_id)),
        "orders": _grouped(select(Order.gallery_id, func.count()).where(Order.gallery_id.in_(ids))
                           .group_by(Order.gallery_id)),
        "paid_orders": _grouped(select(Order.gallery_id, func.count()).where(
            Order.gallery_id.in_(ids), Order.status.in_(PAID_STATUSES)).group_by(Order.gallery_id)),
        "share_links": _grouped(select(ShareLink.gallery_id, func.count()).where(
            ShareLink.gallery_id.in_(ids), ShareLink.revoked_at.is_(None)).group_by(ShareLink.gallery_id)),
    }


def _covers(galleries: list[tuple[str, str | None]]) -> dict[str, str]:
    """gallery id -> signed URL of its cover's thumb (the first ready photo when no cover is chosen)."""
    ids = [gallery_id for gallery_id, _ in galleries]
    first = _grouped(select(Photo.gallery_id, func.min(Photo.position)).where(
        Photo.gallery_id.in_(ids), Photo.status == "ready").group_by(Photo.gallery_id))
    chosen = {gallery_id: cover for gallery_id, cover in galleries if cover}
    fallback = [(gallery_id, position) for gallery_id, position in first.items() if gallery_id not in chosen]
    if fallback:
        for gallery_id, photo_id in db.session.execute(select(Photo.gallery_id, Photo.id).where(
                Photo.status == "ready", or_(*[and_(Photo.gallery_id == g, Photo.position == p) for g, p in fallback]))):
            chosen.setdefault(gallery_id, photo_id)
    if not chosen:
        return {}
    keys: dict[str, tuple[int, str]] = {}
    for photo_id, name, fmt, key in db.session.execute(
            select(Rendition.photo_id, Rendition.name, Rendition.format, Rendition.storage_key)
            .where(Rendition.photo_id.in_(list(chosen.values())), Rendition.name.in_(["preview", "thumb"]))):
        rank = (name == "thumb") * 2 + (fmt == "webp")
        if photo_id not in keys or rank > keys[photo_id][0]:
            keys[photo_id] = (rank, key)
    sign = batch_signer()
    return {gallery_id: sign(keys[photo_id][1]) for gallery_id, photo_id in chosen.items() if photo_id in keys}


def link_visits(gallery_id: str) -> dict[str, dict]:
    """share link id -> {visits, visitors}: views of the gallery page through each link."""
    link_id = Event.payload["link"].as_string()
    visits = _grouped(select(link_id, func.count()).where(Event.gallery_id == gallery_id,
                                                          Event.kind == "gallery_viewed").group_by(link_id))
    visitors = _grouped(select(Visitor.share_link_id, func.count()).where(Visitor.gallery_id == gallery_id)
                        .group_by(Visitor.share_link_id))
    return {link: {"visits": visits.get(link, 0), "visitors": visitors.get(link, 0)}
            for link in set(visits) | set(visitors) if link}
