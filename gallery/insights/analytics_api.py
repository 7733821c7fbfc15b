"""Analytics routes: JSON by default, CSV with `Accept: text/csv`."""
from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Timestamp
from gallery.insights import analytics

blp = Blueprint("analytics", __name__, url_prefix="/api/v1/analytics", description="Engagement analytics")


class StatsSchema(Schema):
    visits = fields.Integer()
    unique_visitors = fields.Integer()
    photo_views = fields.Integer()
    favourites = fields.Integer()
    downloads = fields.Integer()
    shares = fields.Integer()
    orders = fields.Integer()
    revenue = fields.Integer(metadata={"description": "Paid orders, minor units."})
    last_activity = Timestamp(allow_none=True)


class PhotoStatsSchema(Schema):
    photo_id = fields.String()
    views = fields.Integer()
    favourites = fields.Integer()
    downloads = fields.Integer()
    shares = fields.Integer()
    score = fields.Integer()


class ClientGalleryRowSchema(StatsSchema):
    gallery_id = fields.String()


class GalleryRowSchema(ClientGalleryRowSchema):
    title = fields.String()


class GalleryStatsSchema(GalleryRowSchema):
    top_photos = fields.List(fields.Nested(PhotoStatsSchema))


class ClientStatsSchema(StatsSchema):
    client_id = fields.String()
    name = fields.String()
    galleries = fields.List(fields.Nested(ClientGalleryRowSchema))


class OverviewSchema(StatsSchema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    active_clients = fields.Integer()
    galleries = fields.List(fields.Nested(GalleryRowSchema))


class RangeSchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "First day (default: 29 days before `to`)."})
    to = fields.Date(metadata={"description": "Last day, inclusive (default: today)."})


class TopSchema(Schema):
    top = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


def _wants_csv() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def _csv(rows, columns, name):
    return Response(analytics.to_csv(rows, columns), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@blp.get("/overview")
@photographer_required
@blp.arguments(RangeSchema, location="query")
@blp.response(200, OverviewSchema, description="JSON, or one row per gallery with `Accept: text/csv`.")
def overview(args):
    """The studio over a date range: totals and per gallery."""
    result = analytics.overview(current_photographer().id, args.get("from_"), args.get("to"))
    result["from_"] = result.pop("from")
    if _wants_csv():
        return _csv(result["galleries"], ["gallery_id", "title", *analytics.STAT_FIELDS],
                    f"overview-{result['from_']}-{result['to']}")
    return result


@blp.get("/galleries/<gallery_id>")
@photographer_required
@blp.arguments(TopSchema, location="query")
@blp.response(200, GalleryStatsSchema, description="JSON, or the most engaged photos with `Accept: text/csv`.")
def gallery(args, gallery_id):
    """One gallery: visits, unique visitors, favourites, downloads, shares, orders, revenue, the top photos."""
    result = analytics.gallery_stats(current_photographer().id, gallery_id, top=args["top"])
    if _wants_csv():
        return _csv(result["top_photos"], ["photo_id", "views", "favourites", "downloads", "shares", "score"],
                    f"gallery-{gallery_id}-photos")
    return result


@blp.get("/clients/<client_id>")
@photographer_required
@blp.response(200, ClientStatsSchema, description="JSON, or one row per gallery with `Accept: text/csv`.")
def client(client_id):
    """One client across their galleries."""
    result = analytics.client_stats(current_photographer().id, client_id)
    if _wants_csv():
        return _csv(result["galleries"], ["gallery_id", *analytics.STAT_FIELDS], f"client-{client_id}")
    return result
