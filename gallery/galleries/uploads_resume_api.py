"""Routes of resumable uploads (state of an upload, parts through the app) and of ordering many photos."""
from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.request_guard import body_limit
from gallery.galleries import arrange, uploads_resume
from gallery.galleries.photo_schemas import CompletedPartSchema, PhotoSchema, UploadPlanSchema

blp = Blueprint("uploads_resume", __name__, url_prefix="/api/v1/galleries",
                description="Resumable uploads and bulk ordering")


class UploadedPartSchema(CompletedPartSchema):
    bytes = fields.Integer()


class UploadStateSchema(Schema):
    photo = fields.Nested(PhotoSchema)
    plan = fields.Nested(UploadPlanSchema, allow_none=True, metadata={
        "description": "While the photo is `uploading` in parts: every part's URL (fresh), to send the missing ones."})
    uploaded_parts = fields.List(fields.Nested(UploadedPartSchema), metadata={
        "description": "Parts the storage holds (S3 ListParts): do not send them again; their ETags complete the upload."})
    uploaded_bytes = fields.Integer()


class ArrangeSchema(Schema):
    photo_ids = fields.List(fields.String(validate=validate.Length(min=1, max=26)), required=True,
                            validate=validate.Length(min=1, max=10_000))


class ArrangeResultSchema(Schema):
    arranged = fields.Integer()


@blp.get("/<gallery_id>/uploads/<photo_id>")
@photographer_required
@blp.response(200, UploadStateSchema)
@blp.alt_response(410, description="The multipart upload expired or was aborted: plan the file again.")
def upload_state(gallery_id, photo_id):
    """Where an upload stands: the parts that arrived and fresh URLs for the rest (resume an interrupted run)."""
    return uploads_resume.upload_state(current_photographer().id, gallery_id, photo_id)


@blp.put("/<gallery_id>/uploads/<photo_id>/parts/<int:part_number>")
@photographer_required
@blp.doc(requestBody={"required": True, "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}})
@blp.response(200, UploadedPartSchema, description="Stored; the ETag header and body name it for completion.")
@body_limit(lambda: current_app.config["GALLERY"].max_upload_bytes)
def put_part(gallery_id, photo_id, part_number):
    """One part of a resumable upload through the app (local storage): exactly the plan's bytes for this part,
    raw, with Content-Length. A part cut short stores nothing; a part sent again replaces the first."""
    part = uploads_resume.receive_part(current_photographer().id, gallery_id, photo_id, part_number, request)
    return part, 200, {"ETag": part["etag"]}


@blp.post("/<gallery_id>/photos/arrange")
@photographer_required
@blp.arguments(ArrangeSchema)
@blp.response(200, ArrangeResultSchema)
def arrange_photos(payload, gallery_id):
    """Order these photos as listed (by capture time, by name...), in the places they hold between them."""
    arranged = arrange.arrange_photos(current_photographer().id, gallery_id, payload["photo_ids"])
    return {"arranged": arranged}
