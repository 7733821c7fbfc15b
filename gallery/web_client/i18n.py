"""Page languages: our own gettext domain (so page strings never collide with mail's catalogue) and the choice
of language from an explicit switch, the remembered choice, the client's locale and Accept-Language."""
from __future__ import annotations

from pathlib import Path

from flask import Request
from flask_babel import Domain

LANGUAGES = {"en": "English", "nb": "Norsk bokmål", "pl": "Polski", "hr": "Hrvatski", "id": "Bahasa Indonesia"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "gallery_lang"
# Browsers send "no" or "nn" for Norwegian as often as "nb"; bokmål is what we have.
_ALIASES = {"no": "nb", "nn": "nb", "in": "id"}

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
domain = Domain(translation_directories=str(TRANSLATIONS_DIR), domain="page")
gettext = domain.gettext
lazy_gettext = domain.lazy_gettext


def normalise(tag: str | None) -> str | None:
    """'nb-NO', 'no', 'pl_PL' -> a language we serve, or None."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-")[0].strip().lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


def choose_language(request: Request, *, client_locale: str | None = None) -> tuple[str, bool]:
    """(language, explicitly chosen now?). An explicit ?lang= wins, then the remembered choice, then the
    locale the photographer recorded for the client, then the browser's Accept-Language."""
    explicit = normalise(request.args.get("lang"))
    if explicit:
        return explicit, True
    for candidate in (request.cookies.get(LANGUAGE_COOKIE), client_locale):
        language = normalise(candidate)
        if language:
            return language, False
    for tag, _quality in request.accept_languages:
        language = normalise(tag)
        if language:
            return language, False
    return DEFAULT_LANGUAGE, False


def client_locale(client_id: str | None) -> str | None:
    """The locale the photographer recorded for a client, if any."""
    from gallery.clients.models import Client
    from gallery.extensions import db

    client = db.session.get(Client, client_id) if client_id else None
    return client.locale if client is not None else None


def share_language(request: Request, link, gallery) -> tuple[str, bool]:
    """The language of a share link's page and of the mails it sends: the client's recorded locale counts
    only on the client's own link, never for guests."""
    recorded = client_locale(gallery.client_id) if link.role == "client" else None
    return choose_language(request, client_locale=recorded)
