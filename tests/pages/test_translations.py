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
                directory, method_map, keywords={"_": None, "_l": None, "gettext": None}):
            if isinstance(message, str) and message:
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
    assert [key for key, value in translated.items() if not value] == []
    for key, value in translated.items():  # placeholders survive translation
        assert sorted(_placeholders(key)) == sorted(_placeholders(value)), (language, key)
    compiled = read_mo(io.BytesIO((po_path.with_suffix(".mo")).read_bytes()))
    assert {m.id: m.string for m in compiled if m.id} == translated, "run pybabel compile -D page"


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\((\w+)\)s", text)
