"""The studio's brand through the API: what clients see (GET /me/brand), the logo (PUT and DELETE /me/logo,
and its public address /logos/{photographer_id}), and the readability of an accent (GET /brand/accent).
Name, contact, social links, sender name and accent are set with PATCH /me (`studio_name`, `branding`)."""
from __future__ import annotations

from flask_smorest import Blueprint

from gallery.accounts import branding, logos, schemas
from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.colours import accent_report
from gallery.core.request_guard import body_limit

blp = Blueprint("brand", __name__, url_prefix="/api/v1", description="The studio's brand: logo, accent, contact")


@blp.get("/me/brand")
@photographer_required
@blp.response(200, schemas.BrandSchema)
def my_brand():
    """The studio as its clients see it now: name, logo, contact, social links, sender name, accent."""
    return branding.studio_brand(current_photographer())


@blp.put("/me/logo")
@photographer_required
@blp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": schemas.LogoFormSchema}}})
@blp.response(200, schemas.BrandSchema, description="Stored; the brand with the new logo.")
@body_limit(logos.UPLOAD_LIMIT)
def upload_logo():
    """Upload the studio's logo (multipart `file`): PNG, JPEG or WebP up to 2 MB, 32 to 6000 px a side.
    It is re-encoded as PNG and shown at once on every client page and in every mail."""
    photographer = current_photographer()
    logos.set_logo(photographer, logos.uploaded_bytes())
    return branding.studio_brand(photographer)


@blp.delete("/me/logo")
@photographer_required
@blp.response(204)
def delete_logo():
    """Remove the logo: clients see the studio's name instead."""
    logos.remove_logo(current_photographer())


@blp.get("/logos/<photographer_id>")
@blp.response(200, description="The studio's logo (image/png); public, as on every client page and mail.")
@blp.alt_response(404, description="No logo.")
def logo(photographer_id):
    """A studio's current logo (`?v=` its version: cached for a year)."""
    return logos.serve_logo(photographer_id)


@blp.get("/brand/accent")
@photographer_required
@blp.arguments(schemas.AccentQuerySchema, location="query")
@blp.response(200, schemas.AccentReportSchema)
def accent(args):
    """What clients would see of an accent colour: the colour kept readable (4.5:1 against the page, darkened
    in its own hue when needed) and whether it had to be darkened: the studio's readability warning."""
    return accent_report(args["colour"])
