"""The inbox: GET /api/v1/inbox (what needs the photographer now), and the actions on failed mail that no
domain face offers: POST /api/v1/mail/{id}/retry and /dismiss. The other kinds are handled through their own
endpoints (a reply to a comment, PATCH an order, a gallery or a follow-up, acknowledge a selection)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Timestamp
from gallery.inbox import services
from gallery.mail import failures

blp = Blueprint("inbox", __name__, url_prefix="/api/v1", description="What needs the photographer now")


class InboxQuerySchema(Schema):
    limit = fields.Integer(load_default=services.DEFAULT_LIMIT, validate=validate.Range(min=1, max=services.MAX_LIMIT),
                           metadata={"description": "Items listed per kind (the counts cover every item)."})


class InboxSelectionSchema(Schema):
    id = fields.String()
    gallery_id = fields.String()
    gallery_title = fields.String()
    visitor_name = fields.String(allow_none=True)
    visitor_email = fields.String()
    note = fields.String(allow_none=True)
    submitted_at = Timestamp()
    photo_count = fields.Integer()


class InboxCommentSchema(Schema):
    id = fields.String()
    gallery_id = fields.String()
    gallery_title = fields.String()
    photo_id = fields.String()
    filename = fields.String()
    thumb_url = fields.String(allow_none=True, metadata={"description": "Signed, expiring URL of the photo's thumbnail."})
    color = fields.String(allow_none=True, metadata={"description": "The photo's average colour, while it loads."})
    body = fields.String()
    created_at = Timestamp()
    visitor_name = fields.String(allow_none=True)
    visitor_email = fields.String()


class InboxOrderSchema(Schema):
    id = fields.String()
    gallery_id = fields.String(allow_none=True)
    gallery_title = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    status = fields.String()
    next_step = fields.String(metadata={"description": "confirm_payment | produce | ship"})
    total = fields.Integer(metadata={"description": "Minor units of `currency`."})
    currency = fields.String()
    placed_at = Timestamp()
    item_count = fields.Integer()


class InboxExpiringSchema(Schema):
    id = fields.String()
    title = fields.String()
    expires_at = Timestamp()
    client_id = fields.String(allow_none=True)
    client_name = fields.String(allow_none=True)


class InboxFollowUpSchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"description": "low_score | complaint"})
    score = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    created_at = Timestamp()
    client_id = fields.String(allow_none=True)
    client_name = fields.String(allow_none=True)
    gallery_id = fields.String(allow_none=True)
    gallery_title = fields.String(allow_none=True)


class InboxFailedMailSchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"description": "What the mail was: order_placed, visitor_code, retention/..."})
    to_email = fields.String()
    subject = fields.String()
    last_error = fields.String(allow_none=True)
    attempts = fields.Integer()
    created_at = Timestamp()


def _section(item_schema, name: str) -> fields.Nested:
    section = Schema.from_dict({"count": fields.Integer(), "items": fields.List(fields.Nested(item_schema))},
                               name=name)
    return fields.Nested(section)


class InboxSchema(Schema):
    selections = _section(InboxSelectionSchema, "InboxSelectionSection")
    comments = _section(InboxCommentSchema, "InboxCommentSection")
    orders = _section(InboxOrderSchema, "InboxOrderSection")
    expiring = _section(InboxExpiringSchema, "InboxExpiringSection")
    followups = _section(InboxFollowUpSchema, "InboxFollowUpSection")
    failed_mail = _section(InboxFailedMailSchema, "InboxFailedMailSection")
    total = fields.Integer()


class OutboxMailStatusSchema(Schema):
    id = fields.String()
    status = fields.String(metadata={"description": "queued (sent again) or dismissed"})


@blp.get("/inbox")
@photographer_required
@blp.arguments(InboxQuerySchema, location="query")
@blp.response(200, InboxSchema)
def get_inbox(args):
    """What waits on the photographer: new selections, unanswered comments, orders to confirm, produce or ship,
    galleries expiring this week, open follow-ups of low scores and complaints, and mail that failed; each
    kind with its count and its first items."""
    return services.inbox(current_photographer().id, args["limit"])


@blp.post("/mail/<mail_id>/retry")
@photographer_required
@blp.response(200, OutboxMailStatusSchema)
def retry_mail(mail_id):
    """Send a failed mail again (a fresh set of attempts through the outbox). A mail that failed in doubt
    (the connection broke after the content went out) may reach its recipient twice."""
    return failures.retry(current_photographer().id, mail_id)


@blp.post("/mail/<mail_id>/dismiss")
@photographer_required
@blp.response(200, OutboxMailStatusSchema)
def dismiss_mail(mail_id):
    """Leave a failed mail unsent: it is no longer listed as failed."""
    return failures.dismiss(current_photographer().id, mail_id)
