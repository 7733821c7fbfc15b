from marshmallow import Schema, fields, validate

from gallery.accounts.fields import Origin, SenderName, SocialLink, WebUrl
from gallery.core.locales import default_currency
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
    """What the studio shows its clients (merged key by key by PATCH /me; null removes a key)."""

    logo_url = WebUrl(allow_none=True, metadata={
        "description": "A logo kept elsewhere (http or https); an uploaded logo (PUT /me/logo) replaces it."})
    accent_color = fields.String(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="A colour as #rrggbb."),
                                 allow_none=True, metadata={
        "description": "#rrggbb; clients see it darkened when it would not read (GET /brand/accent tells)."})
    sender_name = SenderName(allow_none=True, metadata={
        "description": "The name the studio's mail comes from (default: the studio's name)."})
    contact_email = Email(allow_none=True)
    contact_phone = fields.String(allow_none=True, validate=validate.Regexp(
        r"^\+?[0-9][0-9 ().\-/]{2,38}$", error="A phone number: digits, spaces, + ( ) - . /"))
    website = WebUrl(allow_none=True)
    # Social profiles shown on the client page: a full address on the network, or @handle.
    instagram = SocialLink("instagram", allow_none=True)
    facebook = SocialLink("facebook", allow_none=True)
    pinterest = SocialLink("pinterest", allow_none=True)
    tiktok = SocialLink("tiktok", allow_none=True)
    youtube = SocialLink("youtube", allow_none=True)
    vimeo = SocialLink("vimeo", allow_none=True)
    linkedin = SocialLink("linkedin", allow_none=True)


class PhotographerSchema(Schema):
    id = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    studio_name = Text(200)
    timezone = Timezone()
    locale = Locale()
    branding = fields.Nested(BrandingSchema)
    allowed_origins = fields.List(Origin(), validate=validate.Length(max=20), metadata={
        "description": "Origins of your own website allowed to call the API from a browser (CORS), e.g. "
                       "https://www.example.com: https (http only for localhost), no path."})
    default_currency = fields.Function(default_currency, dump_only=True, metadata={
        "description": "The currency new price sheets start in (from the time zone and language)."})
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


class SocialSchema(Schema):
    network = fields.String()
    label = fields.String(metadata={"description": "The network's own name, e.g. TikTok."})
    url = fields.String()


class BrandSchema(Schema):
    """The studio as its clients see it: on the client page, in the share API and in every mail."""

    studio_name = fields.String()
    sender_name = fields.String(metadata={"description": "The From name of the studio's mail."})
    logo_url = fields.String(allow_none=True)
    logo_uploaded = fields.Boolean()
    email = fields.String(allow_none=True, metadata={"description": "Contact address (default: the account's)."})
    phone = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    website_label = fields.String(allow_none=True)
    socials = fields.List(fields.Nested(SocialSchema))
    accent = fields.String(metadata={"description": "The accent clients see: the chosen one, darkened if needed."})
    accent_ink = fields.String(metadata={"description": "The text colour on accent buttons."})
    chosen = fields.String(allow_none=True, metadata={"description": "The accent the photographer chose."})
    adjusted = fields.Boolean(metadata={"description": "True when the chosen accent was darkened to read."})


class AccentQuerySchema(Schema):
    colour = fields.String(required=True, validate=validate.Regexp(
        r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$", error="A colour as #rrggbb."))


class AccentReportSchema(Schema):
    chosen = fields.String(metadata={"description": "The colour asked about, as #rrggbb."})
    accent = fields.String(metadata={"description": "What clients see: darkened in its own hue until it reads."})
    accent_ink = fields.String()
    adjusted = fields.Boolean(metadata={"description": "True when the colour does not read as it is (a warning)."})
    contrast = fields.Float(metadata={"description": "Contrast of the chosen colour against the page (WCAG 2)."})
    accent_contrast = fields.Float(metadata={"description": "Contrast of the colour clients see."})
    minimum = fields.Float(metadata={"description": "The contrast required (4.5:1, WCAG AA)."})
    background = fields.String(metadata={"description": "The page background the accent must read on."})


class LogoFormSchema(Schema):
    """Documents the multipart body of PUT /me/logo."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description":
                      "PNG, JPEG or WebP, at most 2 MB, 32 to 6000 px a side (SVG is not accepted)."})
