"""GET /api/v1/inbox: what waits on the photographer, one query per kind (a count over the whole kind and its
first items), whatever the number of items. Each kind's rule lives in its domain:

| kind | waits while | handled when | rule |
|---|---|---|---|
| selections | submitted, not marked handled since | acknowledged, or reopened | proofing.selections.awaiting_photographer |
| comments | no reply yet | the photographer replied | proofing.replies.unanswered |
| orders | a manual payment to confirm, prints to produce or ship | paid / shipped / delivered / cancelled / refunded | store.fulfilment.awaiting_studio |
| expiring | published and expiring within 7 days | expiry moved beyond the week or removed, archived | galleries.services.expiring_soon |
| followups | a low score or complaint, open | resolved | retention.followups.awaiting_photographer |
| failed_mail | the outbox gave up on it | sent again, or dismissed | mail.failures.failed_for |
"""
from __future__ import annotations

from sqlalchemy import Select, func, select

from gallery.clients.models import Client
from gallery.core import clock
from gallery.extensions import db
from gallery.galleries.bulk import thumb_urls
from gallery.galleries.models import Gallery, Photo
from gallery.galleries.services import expiring_soon
from gallery.mail.failures import failed_for
from gallery.mail.models import OutboxMail
from gallery.proofing.models import Comment, Favourite, Selection
from gallery.proofing.replies import unanswered
from gallery.proofing.selections import awaiting_photographer as selection_awaits
from gallery.retention.followups import awaiting_photographer as followup_awaits
from gallery.retention.models import FollowUp
from gallery.sharing.models import Visitor
from gallery.store.fulfilment import awaiting_studio, next_step
from gallery.store.models import Order, OrderItem

KINDS = ("selections", "comments", "orders", "expiring", "followups", "failed_mail")
DEFAULT_LIMIT = 5
MAX_LIMIT = 50


def _section(stmt: Select, limit: int) -> dict:
    """Run one kind's query: its first `limit` rows, each carrying the count of the whole kind."""
    rows = db.session.execute(stmt.add_columns(func.count().over().label("_total")).limit(limit)).mappings().all()
    return {"count": int(rows[0]["_total"]) if rows else 0,
            "items": [{key: value for key, value in row.items() if key != "_total"} for row in rows]}


def _selections(photographer_id: str) -> Select:
    photos = select(func.count(Favourite.id)).where(Favourite.list_id == Selection.list_id).scalar_subquery()
    return (select(Selection.id, Selection.gallery_id, Gallery.title.label("gallery_title"),
                   Visitor.name.label("visitor_name"), Visitor.email.label("visitor_email"),
                   Selection.note, Selection.submitted_at, photos.label("photo_count"))
            .join(Gallery, Gallery.id == Selection.gallery_id).join(Visitor, Visitor.id == Selection.visitor_id)
            .where(Gallery.photographer_id == photographer_id, selection_awaits())
            .order_by(Selection.submitted_at, Selection.id))


def _comments(photographer_id: str) -> Select:
    return (select(Comment.id, Comment.gallery_id, Gallery.title.label("gallery_title"), Comment.photo_id,
                   Photo.original_filename.label("filename"), Photo.placeholder_color.label("color"),
                   Comment.body, Comment.created_at,
                   Visitor.name.label("visitor_name"), Visitor.email.label("visitor_email"))
            .join(Gallery, Gallery.id == Comment.gallery_id).join(Visitor, Visitor.id == Comment.visitor_id)
            .join(Photo, Photo.id == Comment.photo_id)
            .where(Gallery.photographer_id == photographer_id, unanswered())
            .order_by(Comment.created_at, Comment.id))


def _orders(photographer_id: str) -> Select:
    items = select(func.coalesce(func.sum(OrderItem.quantity), 0)).where(OrderItem.order_id == Order.id)
    return (select(Order.id, Order.gallery_id, Gallery.title.label("gallery_title"), Order.name, Order.email,
                   Order.status, next_step().label("next_step"), Order.total, Order.currency, Order.placed_at,
                   items.scalar_subquery().label("item_count"))
            .outerjoin(Gallery, Gallery.id == Order.gallery_id)
            .where(Order.photographer_id == photographer_id, awaiting_studio())
            .order_by(Order.placed_at, Order.id))


def _expiring(photographer_id: str) -> Select:
    return (select(Gallery.id, Gallery.title, Gallery.expires_at, Gallery.client_id,
                   Client.name.label("client_name"))
            .outerjoin(Client, Client.id == Gallery.client_id)
            .where(Gallery.photographer_id == photographer_id, expiring_soon(clock.now()))
            .order_by(Gallery.expires_at, Gallery.id))


def _followups(photographer_id: str) -> Select:
    return (select(FollowUp.id, FollowUp.kind, FollowUp.score, FollowUp.comment, FollowUp.created_at,
                   FollowUp.client_id, Client.name.label("client_name"), FollowUp.gallery_id,
                   Gallery.title.label("gallery_title"))
            .outerjoin(Client, Client.id == FollowUp.client_id)
            .outerjoin(Gallery, (Gallery.id == FollowUp.gallery_id) & (Gallery.photographer_id == photographer_id))
            .where(FollowUp.photographer_id == photographer_id, followup_awaits())
            .order_by(FollowUp.created_at, FollowUp.id))


def _failed_mail(photographer_id: str) -> Select:
    return (select(OutboxMail.id, OutboxMail.kind, OutboxMail.to_email, OutboxMail.subject,
                   OutboxMail.last_error, OutboxMail.attempts, OutboxMail.created_at)
            .where(failed_for(photographer_id))
            .order_by(OutboxMail.created_at.desc(), OutboxMail.id))


_QUERIES = {"selections": _selections, "comments": _comments, "orders": _orders, "expiring": _expiring,
            "followups": _followups, "failed_mail": _failed_mail}


def inbox(photographer_id: str, limit: int = DEFAULT_LIMIT) -> dict:
    """Each kind's count and its first `limit` items (oldest waiting first; expiring: soonest first; failed
    mail: newest first), plus the total: seven statements at most (one per kind, and the thumbnails of the
    comments' photos), however many items wait."""
    sections = {kind: _section(_QUERIES[kind](photographer_id), limit) for kind in KINDS}
    comments = sections["comments"]["items"]
    if comments:  # the photos the comments are about, as the studio's grid shows them (one more statement)
        thumbs = thumb_urls(list({item["photo_id"] for item in comments}))
        for item in comments:
            item["thumb_url"] = thumbs.get(item["photo_id"])
    return {**sections, "total": sum(section["count"] for section in sections.values())}
