"""Schemas of unlocking a share link and identifying its visitor."""
from marshmallow import Schema, fields, validate

from gallery.core.schemas import Email, Timestamp


class VisitorSchema(Schema):
    id = fields.String()
    email = fields.String()
    name = fields.String(allow_none=True)
    verified_at = Timestamp()


class UnlockSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True)


class UnlockResultSchema(Schema):
    unlock_token = fields.String(metadata={"description": "Send as the X-Share-Unlock header (a cookie is set too)."})


class VisitorStartSchema(Schema):
    email = Email(required=True)
    name = fields.String(validate=validate.Length(max=200), allow_none=True)


class VisitorStartResultSchema(Schema):
    sent = fields.Boolean()
    expires_in = fields.Integer(metadata={"description": "Seconds the code stays valid."})


class VisitorVerifySchema(Schema):
    email = Email(required=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$", error="The code has 6 digits."))


class VisitorTokenSchema(Schema):
    visitor_token = fields.String(metadata={"description": "Send as Authorization: Bearer <visitor_token> "
                                                           "(a cookie is set too)."})
    visitor = fields.Nested(VisitorSchema)


# --- favourites, comments, selection ---------------------------------------------------------------------------
