"""Many photos at once: move to a set, hide from guests, delete, reorder; and the compact photo index."""
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Timestamp
from gallery.galleries import bulk

blp = Blueprint("photo_bulk", __name__, url_prefix="/api/v1/galleries",
                description="Operations on many photos of a gallery, and the photo index for large grids")

PhotoIds = fields.List(fields.String(validate=validate.Length(min=1, max=26)), validate=validate.Length(min=1, max=5000))


class BulkSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(bulk.BULK_ACTIONS),
                           metadata={"description": "move (to `set_id`, null: out of any set), hide (from guests), "
                                                    "show, delete."})
    photo_ids = PhotoIds
    set_id = fields.String(allow_none=True, validate=validate.Length(max=26))

    @validates_schema
    def _check(self, data, **_kwargs):
        if not data.get("photo_ids"):
            raise ValidationError("Name the photos.", "photo_ids")
        if data["action"] == "move" and "set_id" not in data:
            raise ValidationError("Moving needs a set_id (null moves the photos out of any set).", "set_id")


class BulkResultSchema(Schema):
    action = fields.String()
    count = fields.Integer(metadata={"description": "How many photos were changed."})


class PhotoOrderSchema(Schema):
    sort = fields.String(validate=validate.OneOf(bulk.SORT_KEYS),
                         metadata={"description": "Sort the whole gallery by capture time, file name or upload order."})
    photo_ids = fields.List(fields.String(validate=validate.Length(min=1, max=26)),
                            validate=validate.Length(min=1, max=5000),
                            metadata={"description": "Or move these photos, in this order, before `before`."})
    before = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=26),
                           metadata={"description": "The photo they go before; null: to the end."})

    @validates_schema
    def _one_way(self, data, **_kwargs):
        if bool(data.get("sort")) == bool(data.get("photo_ids")):
            raise ValidationError("Send either `sort` or `photo_ids`.", "sort")


class PhotoOrderResultSchema(Schema):
    count = fields.Integer(metadata={"description": "Photos in the gallery, renumbered 0..count-1."})


class IndexQuerySchema(Schema):
    since = Timestamp(default_timezone=None, metadata={"description": "Only photos changed after this instant."})


class IndexPhotoSchema(Schema):
    id = fields.String()
    filename = fields.String()
    status = fields.String()
    failure_reason = fields.String(allow_none=True)
    set_id = fields.String(allow_none=True)
    hidden_from_guests = fields.Boolean()
    taken_at = Timestamp(allow_none=True)
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    color = fields.String(allow_none=True, metadata={"description": "Placeholder colour while the thumb loads."})
    position = fields.Integer()
    bytes = fields.Integer()
    thumb_url = fields.String(allow_none=True, metadata={"description": "Signed, expiring URL of the thumbnail."})


class PhotoIndexSchema(Schema):
    items = fields.List(fields.Nested(IndexPhotoSchema))
    cover_photo_id = fields.String(allow_none=True)
    as_of = Timestamp(metadata={"description": "Pass as `since` to get only what changed after."})


@blp.post("/<gallery_id>/photos/bulk")
@photographer_required
@blp.arguments(BulkSchema)
@blp.response(200, BulkResultSchema)
def bulk_change(payload, gallery_id):
    """Move many photos to a set, hide them from guests (or show them), or delete them: all or nothing."""
    result = bulk.bulk_change(current_photographer().id, gallery_id, payload["photo_ids"], payload["action"],
                              payload.get("set_id"))
    return result


@blp.post("/<gallery_id>/photos/order")
@photographer_required
@blp.arguments(PhotoOrderSchema)
@blp.response(200, PhotoOrderResultSchema)
def order_photos(payload, gallery_id):
    """Sort the gallery (capture time, file name, upload order) or move photos by hand."""
    count = bulk.reorder(current_photographer().id, gallery_id, sort=payload.get("sort"),
                         photo_ids=payload.get("photo_ids"), before=payload.get("before"))
    return {"count": count}


@blp.get("/<gallery_id>/photo-index")
@photographer_required
@blp.arguments(IndexQuerySchema, location="query")
@blp.response(200, PhotoIndexSchema)
def photo_index(args, gallery_id):
    """Every photo of the gallery in order, compact (a grid of thousands in one response)."""
    return bulk.photo_index(current_photographer().id, gallery_id, since=args.get("since"))
