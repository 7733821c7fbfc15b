"""The photographer's replies to what clients and guests wrote on photos (the studio's comments inbox).

A reply belongs to one comment; comments and replies are read per gallery, scoped to its photographer.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core.scoping import get_owned
from gallery.core.types import TimestampMixin, id_column
from gallery.extensions import db
from gallery.galleries.services import get_gallery
from gallery.proofing.models import Comment


class CommentReply(TimestampMixin, db.Model):
    __tablename__ = "comment_replies"
    __table_args__ = (Index("ix_comment_replies_gallery", "gallery_id", "created_at"),)

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(2000))


def add_reply(photographer_id: str, gallery_id: str, comment_id: str, body: str) -> CommentReply:
    gallery = get_gallery(photographer_id, gallery_id)
    comment = get_owned(Comment, comment_id, gallery_id=gallery.id, detail="No such comment in this gallery.")
    reply = CommentReply(gallery_id=gallery.id, comment_id=comment.id, photographer_id=photographer_id,
                         body=body.strip())
    db.session.add(reply)
    db.session.flush()
    return reply


def delete_reply(photographer_id: str, gallery_id: str, reply_id: str) -> None:
    gallery = get_gallery(photographer_id, gallery_id)
    db.session.delete(get_owned(CommentReply, reply_id, gallery_id=gallery.id, detail="No such reply."))
    db.session.flush()


def replies_of_gallery(photographer_id: str, gallery_id: str) -> list[CommentReply]:
    gallery = get_gallery(photographer_id, gallery_id)
    return list(db.session.scalars(select(CommentReply).where(CommentReply.gallery_id == gallery.id)
                                   .order_by(CommentReply.created_at, CommentReply.id)))


def replies_to(comment_ids: list[str]) -> dict[str, list[CommentReply]]:
    """comment id -> its replies, oldest first (for the share page's comment threads)."""
    found: dict[str, list[CommentReply]] = {}
    if comment_ids:
        for reply in db.session.scalars(select(CommentReply).where(CommentReply.comment_id.in_(comment_ids))
                                        .order_by(CommentReply.created_at, CommentReply.id)):
            found.setdefault(reply.comment_id, []).append(reply)
    return found
