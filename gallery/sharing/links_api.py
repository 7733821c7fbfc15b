from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Timestamp
from gallery.sharing import links as share_links
from gallery.galleries.models import DOWNLOAD_SIZES, ROLES

blp = Blueprint("share_links", __name__, url_prefix="/api/v1/galleries", description="Share links of a gallery")


class LinkPermissionsSchema(Schema):
    download = fields.String(validate=validate.OneOf(DOWNLOAD_SIZES), metadata={
        "description": "Overrides the gallery's download policy for this link."})
    watermark = fields.Boolean(metadata={
        "description": "false: this client link sees the photos without the gallery's watermark. Guest links "
                       "always see the watermark of a watermarked gallery."})


class ShareLinkSchema(Schema):
    id = fields.String(dump_only=True)
    token = fields.String(dump_only=True, metadata={"description": "At least 128 random bits; the link is /g/{token}."})
    url = fields.Method("_url", dump_only=True)
    role = fields.String(validate=validate.OneOf(ROLES), load_default="client",
                         metadata={"description": "client sees everything; guest never what is hidden from guests."})
    label = fields.String(validate=validate.Length(max=120), allow_none=True)
    permissions = fields.Nested(LinkPermissionsSchema, load_default=dict)
    password = fields.String(load_only=True, allow_none=True, validate=validate.Length(min=4, max=200),
                             metadata={"description": "Optional; the gallery's password applies when absent."})
    has_password = fields.Method("_has_password", dump_only=True)
    expires_at = Timestamp(default_timezone=None, allow_none=True)
    revoked_at = Timestamp(dump_only=True)
    created_at = Timestamp(dump_only=True)

    def _url(self, link):
        return share_links.page_url(link.token)

    def _has_password(self, link):
        return link.password_hash is not None


class ShareLinkListSchema(Schema):
    items = fields.List(fields.Nested(ShareLinkSchema))


@blp.get("/<gallery_id>/share-links")
@photographer_required
@blp.response(200, ShareLinkListSchema)
def list_links(gallery_id):
    """The gallery's share links, revoked ones included."""
    return {"items": share_links.list_links(current_photographer().id, gallery_id)}


@blp.post("/<gallery_id>/share-links")
@photographer_required
@blp.arguments(ShareLinkSchema)
@blp.response(201, ShareLinkSchema)
def create_link(payload, gallery_id):
    """Create a client or guest link, optionally with its own password and expiry."""
    link = share_links.create_link(current_photographer().id, gallery_id, payload)
    return link


@blp.delete("/<gallery_id>/share-links/<link_id>")
@photographer_required
@blp.response(200, ShareLinkSchema)
def revoke_link(gallery_id, link_id):
    """Revoke a link: it and every URL issued through it stop working at once."""
    link = share_links.revoke_link(current_photographer().id, gallery_id, link_id)
    return link
