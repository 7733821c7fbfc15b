from marshmallow import Schema, fields, validate

from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Text, Timestamp, page_schema
from gallery.galleries.models import DOWNLOAD_SIZES, EVENT_TYPES, GALLERY_STATUSES


class DownloadPolicySchema(Schema):
    client = fields.String(validate=validate.OneOf(DOWNLOAD_SIZES), load_default="full")
    guest = fields.String(validate=validate.OneOf(DOWNLOAD_SIZES), load_default="web")


class SetSchema(Schema):
    id = fields.String(dump_only=True)
    name = Text(120, required=True)
    position = fields.Integer(validate=validate.Range(min=0, max=10_000))
    hidden_from_guests = fields.Boolean(load_default=False)


class GallerySchema(Schema):
    id = fields.String(dump_only=True)
    title = Text(200, required=True)
    slug = fields.String(validate=validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Lower-case letters, digits and dashes."),
                         metadata={"description": "Derived from the title when not given."})
    description = fields.String(validate=validate.Length(max=5000), allow_none=True)
    client_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    event_type = fields.String(validate=validate.OneOf(EVENT_TYPES), load_default="other")
    shoot_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(["draft", "archived"]),
                           metadata={"description": "Publish with POST .../publish."})
    published_at = Timestamp(dump_only=True)
    expires_at = Timestamp(allow_none=True, default_timezone=None)
    cover_photo_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    download_policy = fields.Nested(DownloadPolicySchema)
    watermark = fields.Boolean(load_default=False)
    keep_location = fields.Boolean(load_default=False, metadata={
        "description": "Downloaded originals keep the camera's GPS position (off: it is removed, pixels untouched)."})
    selection_limit = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100_000))
    password = fields.String(load_only=True, allow_none=True, validate=validate.Length(min=4, max=200),
                             metadata={"description": "Gallery password for share links; null removes it."})
    has_password = fields.Boolean(dump_only=True)
    price_sheet_id = fields.String(allow_none=True, validate=validate.Length(max=26),
                                   metadata={"description": "The price sheet the gallery's store sells from."})
    download_pin = fields.String(load_only=True, allow_none=True,
                                 validate=validate.Regexp(r"^\d{4}$", error="Four digits."),
                                 metadata={"description": "4-digit PIN asked before downloads; null removes it."})
    has_download_pin = fields.Boolean(dump_only=True)
    download_limit = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100_000),
                                    metadata={"description": "Downloads allowed per visitor (a zip counts as one)."})
    sets = fields.List(fields.Nested(SetSchema), dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class GalleryDumpSchema(GallerySchema):
    status = fields.String(validate=validate.OneOf(GALLERY_STATUSES))


class GalleryQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(GALLERY_STATUSES))
    client_id = fields.String(validate=validate.Length(max=26))


class PublishSchema(Schema):
    expires_at = Timestamp(default_timezone=None, allow_none=True, metadata={"description": "Optional expiry set on publish."})


GalleryPageSchema = page_schema(GalleryDumpSchema, "GalleryPage")
