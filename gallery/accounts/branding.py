"""The studio as its mail presents it: the sender's display name, where replies go, the header's logo
and accent colour (`mail.Brand`), read from the photographer's branding (PATCH /api/v1/me)."""
from __future__ import annotations

from gallery.accounts.models import Photographer
from gallery.extensions import db
from gallery.mail import Brand


def mail_brand(photographer: Photographer) -> Brand:
    branding = photographer.branding or {}
    return Brand(name=photographer.studio_name, reply_to=branding.get("contact_email") or photographer.email,
                 logo_url=branding.get("logo_url"), accent=branding.get("accent_color"),
                 phone=branding.get("contact_phone") or branding.get("phone"), website=branding.get("website"))


def mail_brand_of(photographer_id: str) -> Brand:
    return mail_brand(db.session.get(Photographer, photographer_id))
