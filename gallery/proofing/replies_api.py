"""Replies to comments, from the studio's inbox."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.transaction import commit
from gallery.errors import Problem
from gallery.proofing import replies

blp = Blueprint("comment_replies", __name__, url_prefix="/api/v1/galleries", description="Client selections (proofing)")


class ReplyCreateSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ReplySchema(Schema):
    id = fields.String()
    comment_id = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class ReplyListSchema(Schema):
    items = fields.List(fields.Nested(ReplySchema))


@blp.post("/<gallery_id>/comments/<comment_id>/replies")
@photographer_required
@blp.arguments(ReplyCreateSchema)
@blp.response(201, ReplySchema)
def reply(payload, gallery_id, comment_id):
    """Answer a comment; the answer shows under it."""
    if not payload["body"].strip():
        raise Problem(422, "Write something to reply.", errors={"body": ["Empty."]})
    created = replies.add_reply(current_photographer().id, gallery_id, comment_id, payload["body"])
    commit()
    return created


@blp.get("/<gallery_id>/comment-replies")
@photographer_required
@blp.response(200, ReplyListSchema)
def list_replies(gallery_id):
    """Every reply in the gallery, oldest first (pair them with the comments by `comment_id`)."""
    return {"items": replies.replies_of_gallery(current_photographer().id, gallery_id)}


@blp.delete("/<gallery_id>/comment-replies/<reply_id>")
@photographer_required
@blp.response(204)
def delete_reply(gallery_id, reply_id):
    """Take a reply back."""
    replies.delete_reply(current_photographer().id, gallery_id, reply_id)
    commit()
