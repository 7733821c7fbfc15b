"""The studio's brand: what clients see of the photographer, in one place.

The client page (every screen, locked, expired and missing ones too), the share API, the contact given when a
client is turned away and every mail (sender name, reply address, logo, accent, contact) ask this module;
none of them reads `Photographer.branding` itself. The brand is read at request time, so a change in the
studio shows on the next page load and in the next mail.

`branding` (PATCH /api/v1/me, merged key by key) holds what the photographer chose: `accent_color`,
`sender_name`, `contact_email`, `contact_phone`, `website`, the social profiles, and an external `logo_url`;
an uploaded logo (gallery.accounts.logos) adds `logo_key` and `logo_version`, which no PATCH can set.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from gallery.accounts.models import Photographer
from gallery.core.colours import accent_report
from gallery.extensions import db
from gallery.mail import Brand

# The social profiles a studio may link, with the names the networks give themselves.
SOCIAL_NETWORKS = {"instagram": "Instagram", "facebook": "Facebook", "pinterest": "Pinterest", "tiktok": "TikTok",
                   "youtube": "YouTube", "vimeo": "Vimeo", "linkedin": "LinkedIn"}
LOGO_PATH = "/api/v1/logos/{photographer_id}"  # served by gallery.accounts.brand_api.logo


def _web_url(value) -> str | None:
    """An http(s) address with a host, else None (javascript:, data: and the like never reach a page)."""
    if not isinstance(value, str) or len(value) > 500:
        return None
    value = value.strip()
    parts = urlsplit(value)
    return value if parts.scheme in {"http", "https"} and parts.netloc else None


def _branding(photographer: Photographer | None) -> dict:
    branding = photographer.branding if photographer is not None else None
    return branding if isinstance(branding, dict) else {}


def logo_url(photographer: Photographer | None, *, absolute: bool = False) -> str | None:
    """The uploaded logo (our own address, versioned so caches keep it until it changes), else the external
    `logo_url`. Mail needs the absolute address; the page uses the path (same origin, allowed by its CSP)."""
    branding = _branding(photographer)
    if photographer is not None and branding.get("logo_key"):
        path = LOGO_PATH.format(photographer_id=photographer.id) + f"?v={branding.get('logo_version', '')}"
        return current_app.config["GALLERY"].public_base_url.rstrip("/") + path if absolute else path
    return _web_url(branding.get("logo_url"))


def logo_origin(photographer: Photographer | None) -> str | None:
    """The origin of an external logo, for the page's image policy (an uploaded logo is the page's own)."""
    if _branding(photographer).get("logo_key"):
        return None
    url = _web_url(_branding(photographer).get("logo_url"))
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def contact(photographer: Photographer) -> dict:
    """How a client reaches the studio: shown on every screen and whenever a client is turned away."""
    branding = _branding(photographer)
    return {"studio_name": photographer.studio_name,
            "email": branding.get("contact_email") or photographer.email,
            "phone": branding.get("contact_phone") or branding.get("phone"),
            "website": _web_url(branding.get("website"))}


def socials(photographer: Photographer | None) -> list[dict]:
    branding = _branding(photographer)
    return [{"network": name, "label": label, "url": url} for name, label in SOCIAL_NETWORKS.items()
            if (url := _web_url(branding.get(name)))]


def studio_brand(photographer: Photographer | None, *, absolute: bool = False) -> dict | None:
    """Everything a client sees of the studio (None when there is no studio to show, e.g. an unknown link):
    name, logo, contact, social links, the sender name of its mail and the accent as shown (kept readable by
    gallery.core.colours, with `chosen` and `adjusted` saying what became of the photographer's colour)."""
    if photographer is None:
        return None
    branding = _branding(photographer)
    reached = contact(photographer)
    website = reached["website"]
    colours = accent_report(branding.get("accent_color"))
    return {
        **reached,
        "sender_name": branding.get("sender_name") or photographer.studio_name,
        "logo_url": logo_url(photographer, absolute=absolute),
        "logo_uploaded": bool(branding.get("logo_key")),
        "website_label": urlsplit(website).netloc.removeprefix("www.") if website else None,
        "socials": socials(photographer),
        "accent": colours["accent"], "accent_ink": colours["accent_ink"], "chosen": colours["chosen"],
        "adjusted": colours["adjusted"],
    }


def public_branding(photographer: Photographer) -> dict:
    """The brand in the share API's `photographer.branding` (its long-standing keys)."""
    brand = studio_brand(photographer)
    assert brand is not None
    out = {"logo_url": brand["logo_url"], "accent_color": brand["chosen"], "accent": brand["accent"],
           "contact_email": brand["email"], "contact_phone": brand["phone"], "website": brand["website"]}
    out.update({social["network"]: social["url"] for social in brand["socials"]})
    return {key: value for key, value in out.items() if value}


def mail_brand(photographer: Photographer) -> Brand:
    """The studio as its mail presents it: From its sender name, replies to its contact address, the logo
    (an absolute address: mail is read elsewhere), accent, phone and website in the frame."""
    brand = studio_brand(photographer, absolute=True)
    assert brand is not None
    return Brand(name=photographer.studio_name, sender_name=brand["sender_name"], reply_to=brand["email"],
                 logo_url=brand["logo_url"], accent=brand["accent"], phone=brand["phone"], website=brand["website"])


def mail_brand_of(photographer_id: str) -> Brand:
    return mail_brand(db.session.get(Photographer, photographer_id))
