"""Comments: a visitor's private line to the photographer about a photo, and the photographer's inbox."""
from __future__ import annotations

from sqlalchemy import select

from gallery.core.pagination import Page, keyset, page_of
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.galleries.services import get_gallery
from gallery.proofing.models import Comment
from gallery.sharing.access import ShareAccess
from gallery.sharing.models import Visitor
from gallery.sharing.visibility import get_visible_photo


def add_comment(access: ShareAccess, photo_id: str, body: str) -> dict:
    photo = get_visible_photo(access, photo_id)
    comment = Comment(gallery_id=access.gallery.id, photo_id=photo.id, visitor_id=access.visitor.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record_event("commented", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo.id)
    return _comment_view(comment, access.visitor)


def _comment_view(comment: Comment, author: Visitor) -> dict:
    return {"id": comment.id, "photo_id": comment.photo_id, "body": comment.body, "created_at": comment.created_at,
            "author_name": author.name or author.email.split("@")[0], "mine": True}


def comments_on(access: ShareAccess, photo_id: str) -> list[dict]:
    """The visitor's own comments on a photo (comments are a private line to the photographer)."""
    photo = get_visible_photo(access, photo_id)
    comments = db.session.scalars(select(Comment).where(Comment.photo_id == photo.id,
                                                        Comment.visitor_id == access.visitor.id)
                                  .order_by(Comment.created_at, Comment.id))
    return [_comment_view(c, access.visitor) for c in comments]


def gallery_comments(photographer_id: str, gallery_id: str, *, photo_id=None, cursor=None, limit=50) -> Page:
    """The photographer's inbox of a gallery's comments, newest first, with who wrote them and on which file."""
    gallery = get_gallery(photographer_id, gallery_id)
    stmt = (select(Comment, Visitor, Photo.original_filename).join(Visitor, Visitor.id == Comment.visitor_id)
            .join(Photo, Photo.id == Comment.photo_id).where(Comment.gallery_id == gallery.id))
    if photo_id:
        stmt = stmt.where(Comment.photo_id == photo_id)
    rows = db.session.execute(keyset(stmt, keys=[Comment.id], cursor=cursor, limit=limit, descending=True)).all()
    page = page_of(rows, limit, lambda last: [last.Comment.id])
    return Page([{"id": comment.id, "photo_id": comment.photo_id, "filename": filename, "body": comment.body,
                  "created_at": comment.created_at, "visitor": visitor}
                 for comment, visitor, filename in page.items], page.next_cursor)
