from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Timestamp, page_schema
from gallery.core.filenames import content_disposition
from gallery.insights import activity
from gallery.engagement.models import EVENT_KINDS

blp = Blueprint("activity", __name__, url_prefix="/api/v1/galleries", description="Gallery activity (events)")


class ActivitySchema(Schema):
    id = fields.Integer()
    ts = Timestamp()
    kind = fields.String()
    actor = fields.String(metadata={"description": "`studio` for the photographer's own actions (publishing "
                                                   "the gallery), else `visitor`."})
    client_id = fields.String(allow_none=True)
    visitor_id = fields.String(allow_none=True)
    visitor_email = fields.String(allow_none=True)
    visitor_name = fields.String(allow_none=True)
    photo_id = fields.String(allow_none=True)
    photo_filename = fields.String(allow_none=True)
    payload = fields.Dict()


class ActivityQuerySchema(PageArgsSchema):
    kind = fields.List(fields.String(validate=validate.OneOf(EVENT_KINDS)),
                       metadata={"description": "Only these kinds (repeat the parameter)."})


@blp.get("/<gallery_id>/activity")
@photographer_required
@blp.arguments(ActivityQuerySchema, location="query")
@blp.response(200, page_schema(ActivitySchema, "ActivityPage"))
@blp.alt_response(200, description="With Accept: text/csv: every event as CSV, oldest first.",
                  content_type="text/csv", success=True)
def gallery_activity(args, gallery_id):
    """Who visited, favourited, submitted and downloaded, newest first; `Accept: text/csv` exports all."""
    photographer_id = current_photographer().id
    accept = request.accept_mimetypes
    if accept.best_match(["application/json", "text/csv"]) == "text/csv" and accept["text/csv"] > accept["application/json"]:
        rows = activity.gallery_activity_csv(photographer_id, gallery_id, kinds=args.get("kind"))
        return Response(rows, mimetype="text/csv",
                        headers={"Content-Disposition": content_disposition(f"activity-{gallery_id}.csv")})
    return activity.gallery_activity(photographer_id, gallery_id, kinds=args.get("kind"), cursor=args["cursor"],
                                     limit=args["limit"])
