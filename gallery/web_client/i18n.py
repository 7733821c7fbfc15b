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
