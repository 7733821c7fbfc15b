"""The studio's gallery list (with cover, state and figures) and visits per share link."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Timestamp, page_schema
from gallery.galleries.services import get_gallery
from gallery.insights import summaries

blp = Blueprint("gallery_summaries", __name__, url_prefix="/api/v1", description="Gallery summaries and link visits")


class SummaryQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Words of the title or client name."})
    state = fields.String(validate=validate.OneOf(summaries.STATES),
                          metadata={"description": "expiring: published and expiring within 7 days."})
    client_id = fields.String(validate=validate.Length(max=26))


class SummaryClientSchema(Schema):
    id = fields.String()
    name = fields.String()


class GallerySummarySchema(Schema):
    id = fields.String()
    title = fields.String()
    slug = fields.String()
    status = fields.String(metadata={"description": "draft | published | archived"})
    state = fields.String(metadata={"description": "draft | published | expiring | expired | archived"})
    event_type = fields.String()
    shoot_date = fields.Date(allow_none=True)
    expires_at = Timestamp(allow_none=True)
    published_at = Timestamp(allow_none=True)
    created_at = Timestamp()
    client = fields.Nested(SummaryClientSchema, allow_none=True)
    selection_limit = fields.Integer(allow_none=True)
    cover_url = fields.String(allow_none=True, metadata={"description": "Signed URL of the cover's thumbnail."})
    photo_count = fields.Integer()
    bytes = fields.Integer()
    processing_count = fields.Integer()
    failed_count = fields.Integer()
    visits = fields.Integer()
    visitors = fields.Integer()
    favourites = fields.Integer()
    selections_submitted = fields.Integer()
    selections_reopened = fields.Integer()
    comments = fields.Integer()
    orders = fields.Integer()
    paid_orders = fields.Integer()
    share_links = fields.Integer(metadata={"description": "Links not revoked."})


class LinkVisitsSchema(Schema):
    link_id = fields.String()
    visits = fields.Integer(metadata={"description": "Gallery page views through the link."})
    visitors = fields.Integer(metadata={"description": "People who identified with their email on the link."})


class LinkVisitsListSchema(Schema):
    items = fields.List(fields.Nested(LinkVisitsSchema))


@blp.get("/gallery-summaries")
@photographer_required
@blp.arguments(SummaryQuerySchema, location="query")
@blp.response(200, page_schema(GallerySummarySchema, "GallerySummaryPage"))
def gallery_summaries(args):
    """Galleries newest first with cover, state and counts; search by title or client, filter by state."""
    return summaries.summaries(current_photographer().id, **args)


@blp.get("/galleries/<gallery_id>/link-visits")
@photographer_required
@blp.response(200, LinkVisitsListSchema)
def link_visits(gallery_id):
    """Visits and identified visitors per share link of the gallery."""
    gallery = get_gallery(current_photographer().id, gallery_id)
    return {"items": [{"link_id": link, **figures} for link, figures in summaries.link_visits(gallery.id).items()]}
