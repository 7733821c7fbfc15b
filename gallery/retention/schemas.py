from marshmallow import Schema, fields, validate

from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Timestamp, page_schema
from gallery.retention.models import MESSAGE_STATUSES
from gallery.retention.rules import RULE_KINDS


class RuleSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(RULE_KINDS))
    category = fields.String(dump_only=True, metadata={"description": "marketing | service | transactional"})
    enabled = fields.Boolean()
    settings = fields.Dict(metadata={"description": "Timing, audience and offer; merged over the current ones."})


class RulesSchema(Schema):
    rules = fields.List(fields.Nested(RuleSchema), required=True, validate=validate.Length(min=1, max=20))


class MessageSchema(Schema):
    id = fields.String()
    rule = fields.String()
    category = fields.String()
    client_id = fields.String(allow_none=True)
    gallery_id = fields.String(allow_none=True)
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    due_at = Timestamp()
    send_after = Timestamp()
    sent_at = Timestamp(allow_none=True)
    opened_at = Timestamp(allow_none=True)
    clicked_at = Timestamp(allow_none=True)
    locale = fields.String(allow_none=True)
    to_email = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    coupon_code = fields.String(allow_none=True)
    created_at = Timestamp()


class MessageQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(MESSAGE_STATUSES))
    rule = fields.String(validate=validate.OneOf(RULE_KINDS))
    client_id = fields.String(validate=validate.Length(max=26))


MessagePageSchema = page_schema(MessageSchema, "RetentionMessagePage")


class FeedbackSchema(Schema):
    score = fields.Integer(required=True, validate=validate.Range(min=0, max=10))
    comment = fields.String(validate=validate.Length(max=5000), allow_none=True)


class FeedbackDumpSchema(Schema):
    score = fields.Integer()
    comment = fields.String(allow_none=True)
    created_at = Timestamp()


class MetricsQuerySchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "Start of the period (default: a year ago)."})
    to = fields.Date(metadata={"description": "End of the period, inclusive (default: today)."})


class ReferralLinkSchema(Schema):
    client_id = fields.String()
    code = fields.String()
    url = fields.String(metadata={"description": "The client's personal link to share."})
    referred = fields.Integer(metadata={"description": "New clients attributed so far."})


class AttributionSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=26))


class AttributionDumpSchema(Schema):
    id = fields.String()
    client_id = fields.String()
    created_at = Timestamp()
    rewarded_at = Timestamp(allow_none=True)
