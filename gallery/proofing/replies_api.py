"""The photographer answers comments: POST /api/v1/galleries/{id}/comments/{comment_id}/replies.

Owner-scoped: a photographer can reply only to comments on their own galleries (another's answer 404). The
visitor who wrote the comment sees the replies with it in `GET /api/v1/share/{token}/photos/{photo_id}/comments`.
"""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Text
from gallery.proofing import replies
from gallery.proofing.schemas import CommentReplySchema

blp = Blueprint("comment_replies", __name__, url_prefix="/api/v1/galleries",
                description="The photographer's replies to comments on a gallery's photos")


class ReplyCreateSchema(Schema):
    body = Text(2000, required=True)


class ReplySchema(CommentReplySchema):
    comment_id = fields.String()


class ReplyListSchema(Schema):
    items = fields.List(fields.Nested(ReplySchema))


@blp.post("/<gallery_id>/comments/<comment_id>/replies")
@photographer_required
@blp.arguments(ReplyCreateSchema)
@blp.response(201, ReplySchema)
def add_reply(payload, gallery_id, comment_id):
    """Reply to a comment; the visitor who wrote it sees the reply under it on the gallery page."""
    reply = replies.add_reply(current_photographer(), gallery_id, comment_id, payload["body"])
    return reply


@blp.get("/<gallery_id>/comments/<comment_id>/replies")
@photographer_required
@blp.response(200, ReplyListSchema)
def list_replies(gallery_id, comment_id):
    """The replies to one comment, oldest first."""
    return {"items": replies.list_replies(current_photographer(), gallery_id, comment_id)}


@blp.delete("/<gallery_id>/comments/<comment_id>/replies/<reply_id>")
@photographer_required
@blp.response(204)
def delete_reply(gallery_id, comment_id, reply_id):
    """Take a reply back."""
    replies.delete_reply(current_photographer(), gallery_id, comment_id, reply_id)
