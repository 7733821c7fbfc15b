"""The studio's brand on the client page: logo, name, contact, social links and an accent colour kept readable.

The accent is used for links and for buttons with white text, on the page's white and on its soft grey panels
(footer, sheets), so it must reach the WCAG AA contrast of 4.5:1 against the darker of them (the grey); a lighter
colour is darkened (same hue) until it does.
"""
from __future__ import annotations

import colorsys
from urllib.parse import urlsplit

DEFAULT_ACCENT = "#8a3b12"
PAGE_BACKGROUND = "#f3f2f0"  # --soft in gallery.css: the darkest background the accent sits on
MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text
SOCIAL_NETWORKS = ("instagram", "facebook", "pinterest", "tiktok", "youtube", "vimeo", "linkedin")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _valid(colour) -> bool:
    return isinstance(colour, str) and len(colour) == 7 and colour[0] == "#" and all(
        c in "0123456789abcdefABCDEF" for c in colour[1:])


def readable_accent(colour: str | None, background: str = PAGE_BACKGROUND) -> str:
    """The photographer's accent, darkened in its own hue until it reads on the background (4.5:1)."""
    if not _valid(colour):
        return DEFAULT_ACCENT
    colour = colour.lower()
    if contrast(colour, background) >= MIN_CONTRAST:
        return colour
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    while lightness > 0:
        lightness = max(0.0, lightness - 0.01)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, lightness, saturation))
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return "#000000"


def colours(photographer) -> dict:
    branding = (photographer.branding or {}) if photographer is not None else {}
    chosen = branding.get("accent_color")
    accent = readable_accent(chosen)
    return {"accent": accent, "accent_ink": "#ffffff", "chosen": chosen if _valid(chosen) else None,
            "adjusted": _valid(chosen) and accent != chosen.lower()}


def _web_url(value) -> str | None:
    if not isinstance(value, str) or len(value) > 500:
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def brand_of(photographer) -> dict | None:
    """What every screen shows of the studio (None when there is no studio to show, e.g. an unknown link)."""
    if photographer is None:
        return None
    branding = photographer.branding or {}
    website = _web_url(branding.get("website"))
    socials = [(name, url) for name in SOCIAL_NETWORKS if (url := _web_url(branding.get(name)))]
    return {
        "studio_name": photographer.studio_name,
        "logo_url": _web_url(branding.get("logo_url")),
        "email": branding.get("contact_email") or photographer.email,
        "phone": branding.get("contact_phone") or branding.get("phone"),
        "website": website,
        "website_label": urlsplit(website).netloc.removeprefix("www.") if website else None,
        "socials": socials,
        **colours(photographer),
    }


def logo_origin(photographer) -> str | None:
    """The logo's origin, for the page's image policy."""
    url = _web_url(((photographer.branding or {}) if photographer else {}).get("logo_url"))
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
