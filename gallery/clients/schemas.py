from marshmallow import Schema, fields, validate

from gallery.clients.models import IMPORTANT_DATE_KINDS
from gallery.core.schemas import Email, Locale, Text, Timestamp, Timezone


class ImportantDateSchema(Schema):
    id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(IMPORTANT_DATE_KINDS))
    label = fields.String(validate=validate.Length(max=200), allow_none=True)
    date = fields.Date(required=True)


class ClientSchema(Schema):
    id = fields.String(dump_only=True)
    name = Text(200, required=True)
    email = Email(allow_none=True)
    phone = fields.String(validate=validate.Length(max=40), allow_none=True)
    locale = Locale(metadata={"description": "Default on create: the studio's language."})
    timezone = Timezone(metadata={"description": "Default on create: the studio's time zone."})
    marketing_consent = fields.Boolean(load_default=False)
    consent_source = fields.String(
        validate=validate.Length(min=1, max=200), allow_none=True,
        metadata={"description": "How consent was given (e.g. 'contract clause 7', 'web form'); required when granting."},
    )
    consent_given_at = Timestamp(dump_only=True)
    consent_withdrawn_at = Timestamp(dump_only=True)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=50)), validate=validate.Length(max=50),
                       load_default=list)
    notes = fields.String(validate=validate.Length(max=5000), allow_none=True)
    important_dates = fields.List(fields.Nested(ImportantDateSchema), validate=validate.Length(max=50),
                                  load_default=list)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)
