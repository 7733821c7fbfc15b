"""The photographer's replies to a client's or guest's comment on a photo.

A comment is a private line between one visitor and the photographer: a reply belongs to exactly one comment,
is written by the gallery's photographer only (owner-scoped), and is shown to the visitor who wrote the comment.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core.types import TimestampMixin, id_column
from gallery.errors import Problem
from gallery.extensions import db
from gallery.proofing.models import Comment


class CommentReply(TimestampMixin, db.Model):
    __tablename__ = "comment_replies"

    id: Mapped[str] = id_column()
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(2000))


def unanswered():
    """The one rule for a comment that waits on the photographer: no reply to it yet (a SQL condition)."""
    return ~exists(select(CommentReply.id).where(CommentReply.comment_id == Comment.id))


def _owned_comment(photographer_id: str, gallery_id: str, comment_id: str) -> Comment:
    from gallery.galleries.services import get_gallery

    gallery = get_gallery(photographer_id, gallery_id)  # 404 unless the photographer owns it
    comment = db.session.scalar(select(Comment).where(Comment.id == comment_id, Comment.gallery_id == gallery.id))
    if comment is None:
        raise Problem(404, "No such comment in this gallery.")
    return comment


def reply_view(reply: CommentReply, studio_name: str) -> dict:
    return {"id": reply.id, "comment_id": reply.comment_id, "body": reply.body, "created_at": reply.created_at,
            "author": studio_name, "from_photographer": True}


def add_reply(photographer, gallery_id: str, comment_id: str, body: str) -> dict:
    """The photographer answers a comment (the visitor sees it under their comment on the page)."""
    comment = _owned_comment(photographer.id, gallery_id, comment_id)
    reply = CommentReply(comment_id=comment.id, photographer_id=photographer.id, body=body)
    db.session.add(reply)
    db.session.flush()
    return reply_view(reply, photographer.studio_name)


def list_replies(photographer, gallery_id: str, comment_id: str) -> list[dict]:
    comment = _owned_comment(photographer.id, gallery_id, comment_id)
    return [reply_view(r, photographer.studio_name) for r in replies_to([comment.id]).get(comment.id, [])]


def delete_reply(photographer, gallery_id: str, comment_id: str, reply_id: str) -> None:
    comment = _owned_comment(photographer.id, gallery_id, comment_id)
    reply = db.session.scalar(select(CommentReply).where(CommentReply.id == reply_id,
                                                         CommentReply.comment_id == comment.id))
    if reply is None:
        raise Problem(404, "No such reply.")
    db.session.delete(reply)
    db.session.flush()


def replies_to(comment_ids: list[str]) -> dict[str, list[CommentReply]]:
    """Replies per comment, oldest first (one query)."""
    result: dict[str, list[CommentReply]] = {}
    if not comment_ids:
        return result
    rows = db.session.scalars(select(CommentReply).where(CommentReply.comment_id.in_(comment_ids))
                              .order_by(CommentReply.created_at, CommentReply.id))
    for reply in rows:
        result.setdefault(reply.comment_id, []).append(reply)
    return result


def with_replies(gallery, comments: list[dict]) -> list[dict]:
    """The visitor's comments with the photographer's replies attached."""
    from gallery.accounts.models import Photographer

    if not comments:
        return comments
    studio = db.session.get(Photographer, gallery.photographer_id).studio_name
    replies = replies_to([c["id"] for c in comments])
    return [{**c, "replies": [reply_view(r, studio) for r in replies.get(c["id"], [])]} for c in comments]
