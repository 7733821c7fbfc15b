"""Schemas of the photographer's retention program: own wording, campaigns and segments, loyalty, follow-ups."""
from marshmallow import Schema, fields, validate

from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Timestamp, page_schema
from gallery.retention.models import CAMPAIGN_STATUSES, FOLLOWUP_STATUSES
from gallery.retention.rules import RULE_KINDS, OfferSchema
from gallery.retention.segments import SegmentSchema

LOCALES = ("en", "nb", "pl", "hr", "id")
WORDED_RULES = tuple(kind for kind in RULE_KINDS if kind != "digest")


class WordsSchema(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    button = fields.String(allow_none=True, validate=validate.Length(max=100))


class WordingSchema(WordsSchema):
    rule = fields.String(dump_only=True)
    locale = fields.String(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class RuleWordsSchema(WordingSchema):
    custom = fields.Boolean(dump_only=True, metadata={
        "description": "true: your own text; false: the translated default, written with placeholders."})


class WordingListSchema(Schema):
    placeholders = fields.Dict(keys=fields.String(), values=fields.String(),
                               metadata={"description": "Every placeholder a text may use, with what it holds."})
    wordings = fields.List(fields.Nested(WordingSchema))
    applies = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "Per rule (and `campaign`), the placeholders its mail fills; a text using another is refused."})


class PreviewRequestSchema(Schema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=26),
                              metadata={"description": "A client of yours whose data fills the placeholders."})
    rule = fields.String(validate=validate.OneOf(WORDED_RULES))
    campaign_id = fields.String(validate=validate.Length(min=1, max=26))
    locale = fields.String(validate=validate.OneOf(LOCALES))
    words = fields.Nested(WordsSchema, metadata={"description": "Unsaved text to try; else the stored one."})


class PreviewSchema(Schema):
    subject = fields.String()
    text = fields.String()
    html = fields.String()
    to = fields.String(allow_none=True)


class CampaignSchema(Schema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    status = fields.String(dump_only=True, metadata={"description": " | ".join(CAMPAIGN_STATUSES)})
    segment = fields.Nested(SegmentSchema, load_default=dict)
    wording = fields.Dict(keys=fields.String(validate=validate.OneOf(LOCALES)), values=fields.Nested(WordsSchema),
                          load_default=dict, metadata={"description": "Subject, body and button per language."})
    default_locale = fields.String(validate=validate.OneOf(LOCALES), load_default="en")
    offer = fields.Nested(OfferSchema, allow_none=True)
    send_on = fields.Date(dump_only=True, allow_none=True)
    attribution_days = fields.Integer(validate=validate.Range(min=1, max=90), load_default=14)
    early_access_days = fields.Integer(validate=validate.Range(min=0, max=30), load_default=0, metadata={
        "description": "Clients in a tier with early access receive it this many days sooner."})
    planned_at = Timestamp(dump_only=True, allow_none=True)
    recipients = fields.Integer(dump_only=True)
    created_at = Timestamp(dump_only=True)


class CampaignQuerySchema(PageArgsSchema):
    pass


CampaignPageSchema = page_schema(CampaignSchema, "CampaignPage")


class ScheduleSchema(Schema):
    send_on = fields.Date(required=True, metadata={"description": "Each client receives it in their local "
                                                                  "09:00-11:00 of this day."})


class AudienceSchema(Schema):
    matched = fields.Integer(metadata={"description": "Clients the filters select."})
    reachable = fields.Integer(metadata={"description": "Of those, who will receive it."})
    excluded = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"description": "Left out, by reason: no_email, no_consent, unsubscribed."})


class CampaignResultsSchema(Schema):
    recipients = fields.Integer()
    delivered = fields.Integer()
    opened = fields.Integer()
    clicked = fields.Integer()
    visited = fields.Integer(metadata={"description": "Recipients who opened a gallery within the window."})
    orders = fields.Integer()
    revenue = fields.Integer(metadata={"description": "Minor units."})
    attribution_days = fields.Integer()


class TierSchema(Schema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    min_spend = fields.Integer(allow_none=True, validate=validate.Range(min=0),
                               metadata={"description": "Lifetime paid orders (minor units) that reach the tier."})
    min_sessions = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1000),
                                  metadata={"description": "Published galleries (sessions) that reach the tier."})
    discount_percent = fields.Integer(validate=validate.Range(min=0, max=50), load_default=0,
                                      metadata={"description": "Standing discount at checkout."})
    free_digital = fields.Boolean(load_default=False)
    early_access = fields.Boolean(load_default=False)
    rank = fields.Integer(validate=validate.Range(min=0, max=100), load_default=0,
                          metadata={"description": "Higher ranks are better tiers."})
    clients = fields.Integer(dump_only=True, metadata={"description": "Clients holding the tier now (in lists)."})


class TierListSchema(Schema):
    items = fields.List(fields.Nested(TierSchema))


class ClientLoyaltySchema(Schema):
    client_id = fields.String()
    tier = fields.Nested(TierSchema, allow_none=True)
    since = Timestamp(allow_none=True)
    spend = fields.Integer()
    sessions = fields.Integer()


class FollowUpSchema(Schema):
    id = fields.String(dump_only=True)
    client_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=26))
    gallery_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=26))
    kind = fields.String(dump_only=True, metadata={"description": "low_score | complaint"})
    score = fields.Integer(dump_only=True, allow_none=True)
    comment = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    status = fields.String(dump_only=True, metadata={"description": " | ".join(FOLLOWUP_STATUSES)})
    client_name = fields.String(dump_only=True, allow_none=True)
    client_email = fields.String(dump_only=True, allow_none=True)
    log = fields.List(fields.Dict(), dump_only=True)
    created_at = Timestamp(dump_only=True)
    resolved_at = Timestamp(dump_only=True, allow_none=True)


class TierClientSchema(Schema):
    id = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    since = Timestamp(allow_none=True, metadata={"description": "When the client reached the tier."})


class TierClientQuerySchema(PageArgsSchema):
    pass


TierClientPageSchema = page_schema(TierClientSchema, "TierClientPage")


class FollowUpReplySchema(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class CampaignMetricsSchema(CampaignResultsSchema):
    id = fields.String()
    name = fields.String()
    status = fields.String()
    send_on = fields.Date(allow_none=True)


class CampaignMetricsListSchema(Schema):
    items = fields.List(fields.Nested(CampaignMetricsSchema))


class FollowUpActSchema(Schema):
    note = fields.String(validate=validate.Length(min=1, max=5000))
    resolve = fields.Boolean()


class FollowUpQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(FOLLOWUP_STATUSES))


FollowUpPageSchema = page_schema(FollowUpSchema, "FollowUpPage")
