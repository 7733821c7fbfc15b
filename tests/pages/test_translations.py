"""Every page string is translated in every language, and the compiled catalogues match their sources."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from gallery.web_client.i18n import LANGUAGES, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]


def _page_strings() -> set[str]:
    found = set()
    for directory, method_map in ((ROOT / "gallery" / "web_client", [("**.py", "python")]),
                                  (ROOT / "gallery" / "templates" / "page", [("**.html", "jinja2")])):
        for _file, _line, message, _comments, _context in extract_from_dir(
                directory, method_map, keywords={"_": None, "_l": None, "gettext": None, "_n": (1, 2)}):
            if message:
                found.add(message)
    return found


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_catalogue_is_complete_and_compiled(language):
    wanted = _page_strings()
    assert len(wanted) > 50
    po_path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "page.po"
    catalogue = read_po(po_path.open("rb"), locale=language)
    translated = {m.id: m.string for m in catalogue if m.id}
    assert wanted - set(translated) == set(), "run pybabel extract/update (see gallery/web_client/babel.cfg)"
    assert [key for key, value in translated.items() if not all(_texts(value))] == []
    for key, value in translated.items():  # placeholders survive translation, in every plural form
        for text in _texts(value):
            assert sorted(_placeholders(_texts(key)[0])) == sorted(_placeholders(text)), (language, key)
    compiled = read_mo(io.BytesIO((po_path.with_suffix(".mo")).read_bytes()))
    assert ({_key(m.id): _texts(m.string) for m in compiled if m.id}
            == {_key(key): _texts(value) for key, value in translated.items()}), "run pybabel compile -D page"


def _key(message_id) -> tuple[str, ...]:
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else (message_id,)


def _texts(message) -> tuple[str, ...]:
    return tuple(message) if isinstance(message, (list, tuple)) else (message,)


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\((\w+)\)s", text)


@pytest.mark.parametrize(("language", "forms"), [
    ("pl", {"one": "%(count)s zdjęcie", "few": "%(count)s zdjęcia", "many": "%(count)s zdjęć"}),
    ("nb", {"one": "%(count)s bilde", "other": "%(count)s bilder"}),
    ("id", {"other": "%(count)s foto"}),
])
def test_counted_strings_come_in_the_languages_plural_forms(app, language, forms):
    from flask_babel import force_locale

    from gallery.web_client.strings import script_strings

    with app.test_request_context(), force_locale(language):
        assert script_strings()["photoCount"] == forms


@pytest.mark.parametrize(("studio_locale", "language", "country"), [
    ("nb-NO", "pl", "NO"), ("nb", "nb", "NO"), ("en", "pl", "PL"), ("hr", "en", "HR"), ("en", "id", "ID"),
    ("en", "en", None), (None, "en", None), ("en_GB", "nb", "GB"),
])
def test_checkout_country_comes_from_the_studio_or_the_language(studio_locale, language, country):
    from gallery.web_client.pages import default_country

    assert default_country(studio_locale, language) == country
