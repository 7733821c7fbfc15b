"""Schemas of photos, uploads and direct-upload plans."""
from marshmallow import Schema, fields, validate

from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Text, Timestamp, page_schema
from gallery.galleries.models import PHOTO_STATUSES

SHA256 = validate.Regexp(r"^[0-9a-fA-F]{64}$", error="64 hexadecimal characters.")
CONTENT_TYPES = ["image/jpeg", "image/png", "image/tiff", "image/webp", "image/heic", "image/heif"]


class RenditionSchema(Schema):
    name = fields.String()
    format = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    bytes = fields.Integer()
    url = fields.String(metadata={"description": "Signed, expiring URL."})


class PhotoSchema(Schema):
    id = fields.String(dump_only=True)
    gallery_id = fields.String(dump_only=True)
    set_id = fields.String(allow_none=True)
    original_filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    sha256 = fields.String(dump_only=True)
    bytes = fields.Integer(dump_only=True)
    width = fields.Integer(dump_only=True)
    height = fields.Integer(dump_only=True)
    taken_at = Timestamp(dump_only=True)
    status = fields.String(dump_only=True, metadata={"description": "uploading | processing | ready | failed"})
    failure_reason = fields.String(dump_only=True, metadata={"description": "Why it failed, for the photographer."})
    position = fields.Integer(dump_only=True)
    hidden_from_guests = fields.Boolean(dump_only=True)
    placeholder_color = fields.String(dump_only=True)
    renditions = fields.Method("_renditions", dump_only=True)
    created_at = Timestamp(dump_only=True)

    def _renditions(self, photo):
        from gallery.galleries.photos import rendition_urls

        return rendition_urls(photo)


class PhotoUpdateSchema(Schema):
    set_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    position = fields.Integer(validate=validate.Range(min=0, max=1_000_000))
    hidden_from_guests = fields.Boolean()


class PhotoQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(PHOTO_STATUSES))
    set_id = fields.String(validate=validate.Length(max=26))
    sha256 = fields.String(validate=SHA256)


class UploadFormSchema(Schema):
    """Documents the multipart body; the route parses it itself, streaming the file to disk."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    sha256 = fields.String(validate=SHA256, metadata={"description": "Checked against the received bytes."})
    set_id = fields.String(validate=validate.Length(max=26))


class UploadResultSchema(Schema):
    duplicate = fields.Boolean(metadata={"description": "True when the gallery already had this file (same sha256)."})
    photo = fields.Nested(PhotoSchema, allow_none=True)


class DirectUploadSchema(Schema):
    filename = Text(255, required=True)
    bytes = fields.Integer(required=True, validate=validate.Range(min=1))
    sha256 = fields.String(required=True, validate=SHA256)
    content_type = fields.String(load_default=None, validate=validate.OneOf(CONTENT_TYPES))
    set_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=26))
    resumable = fields.Boolean(load_default=False, metadata={
        "description": "On local storage, plan a multipart upload through the app (parts that arrived survive an "
                       "interrupted client) instead of one form POST."})


class PartUrlSchema(Schema):
    part_number = fields.Integer()
    method = fields.String()
    url = fields.String()
    bytes = fields.Integer()


class UploadPlanSchema(Schema):
    strategy = fields.String(metadata={"description": "put (one presigned PUT), multipart (presigned part URLs), "
                                                      "or form (local storage: POST the file to `url`)."})
    method = fields.String()
    url = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())
    part_size = fields.Integer()
    parts = fields.List(fields.Nested(PartUrlSchema))
    complete_url = fields.String()


class DirectUploadResultSchema(UploadResultSchema):
    plan = fields.Nested(UploadPlanSchema, allow_none=True)


class CompletedPartSchema(Schema):
    part_number = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    etag = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CompleteUploadSchema(Schema):
    parts = fields.List(fields.Nested(CompletedPartSchema), load_default=None,
                        validate=validate.Length(max=10_000))


class HashCheckSchema(Schema):
    sha256 = fields.List(fields.String(validate=SHA256), required=True, validate=validate.Length(min=1, max=5000))


class HashCheckResultSchema(Schema):
    existing = fields.Dict(keys=fields.String(),
                           values=fields.Nested(PhotoSchema(only=("id", "status", "original_filename"))),
                           metadata={"description": "sha256 -> the photo already in the gallery."})


PhotoPageSchema = page_schema(PhotoSchema, "PhotoPage")
