"""The photographer's view of proofing: client selections (list, plain-text export, reopen) and comments."""
from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Timestamp
from gallery.proofing import comments, selections as selection_service

blp = Blueprint("selections", __name__, url_prefix="/api/v1/galleries", description="Client selections (proofing)")


class SelectionPhotoSchema(Schema):
    photo_id = fields.String()
    filename = fields.String(metadata={"description": "The original file name as uploaded."})
    note = fields.String(allow_none=True)


class SelectionVisitorSchema(Schema):
    id = fields.String()
    email = fields.String()
    name = fields.String(allow_none=True)
    client_id = fields.String(allow_none=True)


class SelectionSchema(Schema):
    id = fields.String()
    status = fields.String(metadata={"description": "submitted (locked) or reopened"})
    locked = fields.Boolean()
    list_name = fields.String()
    list_is_default = fields.Boolean(metadata={"description": "The visitor's default list, stored under a fixed name: each face shows it in its own language."})
    note = fields.String(allow_none=True)
    submitted_at = Timestamp()
    reopened_at = Timestamp(allow_none=True)
    acknowledged_at = Timestamp(allow_none=True, metadata={
        "description": "When the photographer marked it handled (before submitted_at: new since then)."})
    awaiting_photographer = fields.Boolean(metadata={
        "description": "Submitted and not marked handled since: listed in GET /api/v1/inbox."})
    visitor = fields.Nested(SelectionVisitorSchema)
    count = fields.Integer()
    photos = fields.List(fields.Nested(SelectionPhotoSchema))
    filter_text = fields.String(metadata={"description": "`DSC_0012, DSC_0040`: paste into a Lightroom or "
                                                         "Capture One text filter."})


class SelectionListSchema(Schema):
    items = fields.List(fields.Nested(SelectionSchema))


class SelectionQuerySchema(Schema):
    format = fields.String(validate=validate.OneOf(["json", "text"]),
                           metadata={"description": "text: the filter lines as text/plain (or Accept: text/plain)."})
    selection_id = fields.String(validate=validate.Length(max=26))


def _wants_text(args) -> bool:
    if args.get("format"):
        return args["format"] == "text"
    best = request.accept_mimetypes.best_match(["application/json", "text/plain"])
    return best == "text/plain" and request.accept_mimetypes["text/plain"] > request.accept_mimetypes["application/json"]


@blp.get("/<gallery_id>/selections")
@photographer_required
@blp.arguments(SelectionQuerySchema, location="query")
@blp.response(200, SelectionListSchema)
@blp.alt_response(200, description="With Accept: text/plain or ?format=text: `DSC_0012, DSC_0040` lines.",
                  content_type="text/plain", success=True)
def list_selections(args, gallery_id):
    """Each visitor's submitted selection with original filenames; text export for Lightroom / Capture One."""
    selections = selection_service.list_selections(current_photographer().id, gallery_id, args.get("selection_id"))
    if _wants_text(args):
        return Response(selection_service.selections_as_text(selections), mimetype="text/plain")
    return {"items": selections}


@blp.post("/<gallery_id>/selections/<selection_id>/reopen")
@photographer_required
@blp.response(200, SelectionSchema)
def reopen_selection(gallery_id, selection_id):
    """Unlock a submitted selection so the client can change and submit it again."""
    return selection_service.reopen_selection(current_photographer().id, gallery_id, selection_id)


@blp.post("/<gallery_id>/selections/<selection_id>/acknowledge")
@photographer_required
@blp.response(200, SelectionSchema)
def acknowledge_selection(gallery_id, selection_id):
    """Mark a submitted selection handled: it leaves the inbox until the client submits again."""
    return selection_service.acknowledge_selection(current_photographer().id, gallery_id, selection_id)


class GalleryCommentSchema(Schema):
    id = fields.String()
    photo_id = fields.String()
    filename = fields.String(metadata={"description": "The photo's original file name."})
    body = fields.String()
    created_at = Timestamp()
    visitor = fields.Nested(SelectionVisitorSchema)


class GalleryCommentPageSchema(Schema):
    items = fields.List(fields.Nested(GalleryCommentSchema))
    next_cursor = fields.String(allow_none=True)


class GalleryCommentQuerySchema(PageArgsSchema):
    photo_id = fields.String(validate=validate.Length(max=26))


@blp.get("/<gallery_id>/comments")
@photographer_required
@blp.arguments(GalleryCommentQuerySchema, location="query")
@blp.response(200, GalleryCommentPageSchema)
def list_comments(args, gallery_id):
    """What clients and guests wrote on the gallery's photos, newest first (`photo_id` for one photo)."""
    return comments.gallery_comments(current_photographer().id, gallery_id, **args)
