"""Page languages: our own gettext domain (so page strings never collide with mail's catalogue) and the choice
of language from an explicit switch, the remembered choice, the client's locale and Accept-Language."""
from __future__ import annotations

from pathlib import Path

from flask_babel import Domain

from gallery.core.locales import (  # noqa: F401 - the page's languages and their choice
    DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGE_REGIONS, LANGUAGES, choose_language, normalise)
from gallery.sharing.language import client_locale, share_language  # noqa: F401

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
domain = Domain(translation_directories=str(TRANSLATIONS_DIR), domain="page")
gettext = domain.gettext
lazy_gettext = domain.lazy_gettext
