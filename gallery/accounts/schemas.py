from marshmallow import Schema, fields, validate

from gallery.core.schemas import Email, Locale, Password, Text, Timestamp, Timezone


class SignupSchema(Schema):
    email = Email(required=True)
    password = Password(required=True)
    studio_name = Text(200, required=True)
    timezone = Timezone(load_default="UTC")
    locale = Locale(load_default="en")


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


class BrandingSchema(Schema):
    logo_url = fields.Url(validate=validate.Length(max=500), allow_none=True)
    accent_color = fields.String(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"), allow_none=True)
    contact_email = Email(allow_none=True)
    contact_phone = fields.String(validate=validate.Length(max=40), allow_none=True)
    website = fields.Url(validate=validate.Length(max=500), allow_none=True)
    # Social profiles shown on the client page (full https:// addresses).
    instagram = fields.Url(validate=validate.Length(max=500), allow_none=True)
    facebook = fields.Url(validate=validate.Length(max=500), allow_none=True)
    pinterest = fields.Url(validate=validate.Length(max=500), allow_none=True)
    tiktok = fields.Url(validate=validate.Length(max=500), allow_none=True)
    youtube = fields.Url(validate=validate.Length(max=500), allow_none=True)
    vimeo = fields.Url(validate=validate.Length(max=500), allow_none=True)
    linkedin = fields.Url(validate=validate.Length(max=500), allow_none=True)


class PhotographerSchema(Schema):
    id = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    studio_name = Text(200)
    timezone = Timezone()
    locale = Locale()
    branding = fields.Nested(BrandingSchema)
    allowed_origins = fields.List(
        fields.Url(schemes={"http", "https"}, validate=validate.Length(max=200)), validate=validate.Length(max=20)
    )
    created_at = Timestamp(dump_only=True)


class PhotographerUpdateSchema(PhotographerSchema):
    password = Password(metadata={"description": "The new password; needs `current_password` and a browser session."})
    current_password = fields.String(load_only=True, validate=validate.Length(max=200))
    revoke_tokens = fields.Boolean(load_only=True, metadata={
        "description": "With a new password: revoke every API token too (other sessions always end)."})


class SessionSchema(Schema):
    photographer = fields.Nested(PhotographerSchema)
    csrf_token = fields.String(metadata={"description": "Send as X-CSRF-Token on cookie-authenticated writes."})


SCOPE_NAMES = ("read", "write", "account")


class TokenCreateSchema(Schema):
    name = Text(100, required=True)
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPE_NAMES)), validate=validate.Length(min=1, max=3),
                         metadata={"description": "read, write, account (default: read and write). A website "
                                                  "showing galleries needs only read."})


class TokenSchema(Schema):
    id = fields.String()
    name = fields.String()
    prefix = fields.String()
    created_at = Timestamp()
    last_used_at = Timestamp(allow_none=True)
    revoked_at = Timestamp(allow_none=True)
    scopes = fields.Function(lambda token: (token.scopes or "").split())


class IssuedTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "Shown only in this response."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))


class LoginSessionSchema(Schema):
    id = fields.String()
    created_at = Timestamp()
    last_seen_at = Timestamp()
    user_agent = fields.String(allow_none=True)
    current = fields.Boolean()


class LoginSessionListSchema(Schema):
    items = fields.List(fields.Nested(LoginSessionSchema))


class SignOutEverywhereSchema(Schema):
    revoke_tokens = fields.Boolean(load_default=False, metadata={"description": "Revoke every API token too."})


class SignOutEverywhereResultSchema(Schema):
    sessions_ended = fields.Integer()
    tokens_revoked = fields.Integer()
