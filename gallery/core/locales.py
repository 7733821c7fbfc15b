"""The languages we speak and the one clean-up of a language tag (pages and mails alike)."""
from __future__ import annotations

from babel.numbers import get_territory_currencies
from flask import Request

LANGUAGES = {"en": "English", "nb": "Norsk bokmål", "pl": "Polski", "hr": "Hrvatski", "id": "Bahasa Indonesia"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "gallery_lang"  # the language a visitor switched to on the page
# Browsers send "no" or "nn" for Norwegian as often as "nb"; bokmål is what we have. "in" is Indonesian's old tag.
_ALIASES = {"no": "nb", "nn": "nb", "in": "id"}


# The currency a studio most likely sells in: by its time zone (the country) first, then by its language.
_ZONE_CURRENCIES = {"Europe/Oslo": "NOK", "Europe/Stockholm": "SEK", "Europe/Copenhagen": "DKK",
                    "Europe/Warsaw": "PLN", "Europe/London": "GBP", "Europe/Zurich": "CHF", "Asia/Jakarta": "IDR",
                    "Asia/Makassar": "IDR", "Asia/Jayapura": "IDR", "Europe/Zagreb": "EUR", "Asia/Tokyo": "JPY"}
FALLBACK_CURRENCY = "EUR"
# The region a language is mostly spoken in, for languages that name one country (checkout's country, currency).
LANGUAGE_REGIONS = {"nb": "NO", "pl": "PL", "hr": "HR", "id": "ID"}


def default_currency(studio) -> str:
    """The currency a new price sheet of this studio (anything with .timezone and .locale) starts in."""
    if studio is None:
        return FALLBACK_CURRENCY
    zone = _ZONE_CURRENCIES.get(getattr(studio, "timezone", None) or "")
    region = LANGUAGE_REGIONS.get(normalise(getattr(studio, "locale", None)) or "")
    return zone or (region and next(iter(get_territory_currencies(region)), None)) or FALLBACK_CURRENCY


def normalise(tag: str | None) -> str | None:
    """'nb-NO', 'no', 'pl_PL' -> a language we serve, or None."""
    if not tag or not isinstance(tag, str):
        return None
    primary = tag.replace("_", "-").split("-")[0].strip().lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


def language_or_default(tag: str | None) -> str:
    """A language we serve for `tag`, English when we have none."""
    return normalise(tag) or DEFAULT_LANGUAGE


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
