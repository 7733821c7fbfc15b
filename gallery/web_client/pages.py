"""GET /g/{token} and /g/{token}/p/{photo_id}: the client gallery page (HTML)."""
from __future__ import annotations

import base64
import hashlib

from babel.dates import format_date
from flask import make_response, render_template, request
from flask_babel import force_locale
from flask_smorest import Blueprint

from gallery.accounts import branding
from gallery.errors import Problem
from gallery.proofing.models import DEFAULT_LIST_NAME
from gallery.sharing.links import page_url
from gallery.sharing.access import find_link, link_state_problem, resolve_share
from gallery.web_client import i18n, services
from gallery.web_client.strings import script_strings

blp = Blueprint("pages", __name__, description="The client gallery page (HTML for browsers and link-preview crawlers)")

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# The modules the first screen needs, preloaded together (no import waterfall on a slow phone connection);
# gallery.js imports the others once the first screen is complete.
PAGE_MODULES = ("core.js", "api.js", "visitor.js", "grid.js")
COMPRESSIBLE_STATIC = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}
HTML_RESPONSES = {
    404: "No such link: an HTML page saying so.",
    410: "Link or gallery expired, revoked or unpublished: an HTML page with the photographer's contact.",
}


@blp.after_app_request
def _compressible_static(response):
    """The page's script and style are served by Flask's static route as pass-through files, which
    flask-compress leaves alone; on a phone they are a tenth of the first screen, so read them into the response
    (they are small) and let them be compressed."""
    if request.endpoint == "static" and response.mimetype in COMPRESSIBLE_STATIC and response.status_code == 200:
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response


def _documented(view):
    view = blp.response(200, description="The gallery page (HTML with Open Graph and Twitter card tags).")(view)
    for status, description in HTML_RESPONSES.items():
        view = blp.alt_response(status, description=description)(view)
    return view


@blp.get("/g/<token>")
@_documented
def gallery_page(token):
    """The gallery page of a share link: grid, viewer, unlock and identify screens."""
    return _render(token)


@blp.get("/g/<token>/p/<photo_id>")
@_documented
def photo_page(token, photo_id):
    """The gallery page opened on one photo, with that photo as its link preview."""
    return _render(token, photo_id=photo_id)


def _render(token: str, photo_id: str | None = None):
    try:
        link, gallery = find_link(token)
    except Problem:
        return _page("page/missing.html", 404, language=i18n.choose_language(request)[0], photographer=None)
    photographer = services.photographer_of(gallery)
    problem = link_state_problem(link, gallery)
    language, explicit = i18n.share_language(request, link, gallery)
    if problem is not None:
        return _page("page/expired.html", 410, language=language, explicit=explicit, photographer=photographer,
                     gallery=gallery, detail=problem.detail, contact=branding.contact(photographer),
                     reason=services.gone_reason(link, gallery))
    access = resolve_share(token, require_unlocked=False)
    with force_locale(language):
        photo = services.visible_photo(access, photo_id) if photo_id and not access.locked else None
        if photo_id and not access.locked and photo is None:
            return _page("page/missing.html", 404, language=language, explicit=explicit, photographer=photographer)
        cover = None if access.locked else services.cover_photo(access)
        hero = services.picture(access, cover, alt=gallery.title) if cover else None
        shared = services.picture(access, photo, alt=photo.original_filename, purpose="viewer") if photo else None
        studio = photographer.studio_name
        description = gallery.description or i18n.gettext("Photos by %(studio)s", studio=studio)
        preview = services.PagePreview(
            title=f"{gallery.title} · {studio}" if not photo else f"{gallery.title} ({photo.original_filename})",
            description=description[:300], url=page_url(token, photo.id if photo else None),
            image=shared or hero)
        config = {"token": token, "api": f"/api/v1/share/{token}", "lang": language, "photoId": photo_id,
                  "role": link.role, "defaultListName": DEFAULT_LIST_NAME,
                  "locked": access.locked, "pageUrl": page_url(token), "strings": script_strings(),
                  "country": default_country(photographer.locale, language)}
        shoot_date = format_date(gallery.shoot_date, "long", locale=language) if gallery.shoot_date else None
    return _page("page/gallery.html", 200, language=language, explicit=explicit, photographer=photographer,
                 gallery=gallery, access=access, preview=preview, hero=hero, config=config, studio=studio,
                 shoot_date=shoot_date)


def _page(template: str, status: int, *, language: str, photographer, explicit: bool = False, **context):
    studio = branding.studio_brand(photographer)
    # The studio's colours as one inline rule, allowed by its hash (the policy allows no other inline style).
    brand_css = f":root{{--accent:{studio['accent']};--accent-ink:{studio['accent_ink']}}}" if studio else ""
    with force_locale(language):
        html = render_template(template, lang=language, languages=i18n.LANGUAGES, _=i18n.gettext,
                               gettext=i18n.gettext, ngettext=i18n.domain.ngettext, photographer=photographer,
                               brand=studio, brand_css=brand_css, modules=PAGE_MODULES, current_url=request.path,
                               **context)
    response = make_response(html, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = services.content_security_policy(
        photographer, style_hashes=[_sha256(brand_css)] if brand_css else [])
    # The page is per link and carries short-lived signed URLs: never cache it in shared caches.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Accept-Language, Cookie"
    if explicit:
        response.set_cookie(i18n.LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax",
                            httponly=False, secure=request.is_secure)
    return response


def default_country(studio_locale: str | None, language: str) -> str | None:
    """The checkout's first guess at the buyer's country: the studio's own region (its locale, e.g. nb-NO),
    else the region of the page's language; never a country picked by accident (None: the buyer chooses)."""
    parts = (studio_locale or "").replace("_", "-").split("-")
    if len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        return parts[1].upper()
    return i18n.LANGUAGE_REGIONS.get(language) or i18n.LANGUAGE_REGIONS.get(i18n.normalise(studio_locale) or "")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
