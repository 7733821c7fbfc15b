"""Every mail string is translated in every language (no empty or fuzzy entry, placeholders intact), the
compiled catalogs match their .po sources, and every mail renders in en, nb, pl, hr and id."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from gallery import mail

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "gallery" / "translations"
LANGUAGES = ("nb", "pl", "hr", "id")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}  # as `make translations` extracts them


def _mail_strings() -> set:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map,
                                                                       keywords=KEYWORDS):
        if message:
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)[sd]", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_mail_string_is_translated_and_compiled(language):
    wanted = _mail_strings()
    assert len(wanted) > 80
    po_path = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    catalog = read_po(po_path.open("rb"), locale=language)
    assert not catalog.fuzzy, "the catalog header is marked fuzzy: pybabel compile would skip it"
    entries = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}
    assert wanted - set(entries) == set(), "run `make translations` and translate the new entries"
    for key, message in entries.items():
        assert not message.fuzzy, f"{language}: fuzzy entry {key!r}: review it and drop the fuzzy flag"
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms), f"{language}: untranslated {key!r}"
        if isinstance(message.id, tuple):
            assert len(forms) == catalog.num_plurals, f"{language}: plural forms of {key!r}"
        for form in forms:
            # a plural form may leave the number out ("%(num)d" is optional), nothing else
            expected = [p for p in _placeholders(key) if not (isinstance(message.id, tuple) and p == "num")]
            got = [p for p in _placeholders(form) if not (isinstance(message.id, tuple) and p == "num")]
            assert got == expected, (language, key, form)
    compiled = read_mo(io.BytesIO(po_path.with_suffix(".mo").read_bytes()))
    assert _pairs(compiled) == _pairs(catalog), "the .mo is stale: run `make translations`"


def _pairs(catalog) -> dict:
    return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
            tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in catalog if m.id}


class _Order:
    id = "01ORDER"
    currency = "EUR"
    subtotal, discount, shipping, tax, total = 5000, 500, 900, 1080, 5400
    coupon_code = "SUMMER"
    tax_included = True
    checkout_url = None
    status = "pending_payment"
    tracking = "Posten 70701"
    items = [type("Item", (), {"quantity": 2, "product_name": "Print 20x30", "photo_filename": "DSC_0001.jpg",
                               "line_total": 5000})()]


CONTEXTS = {
    "visitor_code": {"gallery_title": "Kari & Ola", "code": "123456", "minutes": 15},
    "selection_reopened": {"gallery_title": "Kari & Ola", "name": "Kari", "page_url": "http://x/g/t"},
    "selection_submitted": {"gallery_title": "Kari & Ola", "note": "Thanks", "filenames": ["A.jpg", "B.jpg"],
                            "who": "Kari", "lightroom_filter": "A, B"},
    "survey_alert": {"who": "Kari", "score": 3, "comment": "Slow"},
    "followup_reply": {"subject_text": "About your album", "body": "Dear Kari, we will reprint it."},
    "order_placed": {"order": _Order, "money": str, "payment_instructions": "Bank 1234"},
    "order_paid": {"order": _Order, "money": str},
    "order_shipped": {"order": _Order, "money": str},
    "order_notice": {"order": _Order, "money": str, "event": "placed", "who": "Kari", "gallery_title": "G"},
    "digest": {"studio": "S", "day": "1 Jan", "revenue": "0.00", "sent_messages": 2, "galleries": [],
               "stats": {"visits": 3, "unique_visitors": 2, "favourites": 1, "downloads": 0, "shares": 0,
                         "orders": 0, "active_clients": 1}},
}


# Mails whose subject and text are the photographer's own words (only the frame around them is translated).
OWN_WORDS = {"followup_reply"}


def test_every_mail_template_has_a_context_here():
    templates = {path.stem for path in (ROOT / "gallery" / "templates" / "mail").glob("*.txt")
                 if not path.name.startswith("_")}
    assert templates == set(CONTEXTS)


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_mail_renders_in_every_language(app, template):
    brand = mail.Brand("Fjord Foto", reply_to="anna@fjord.example")
    english = mail.render(template, "en", {"brand": brand, **CONTEXTS[template]})
    assert english.subject and english.text.strip() and "<html" in english.html
    for language in LANGUAGES:
        rendered = mail.render(template, language, {"brand": brand, **CONTEXTS[template]})
        if template not in OWN_WORDS:
            assert rendered.subject != english.subject, (template, language)
            assert rendered.text != english.text, (template, language)
        assert f'lang="{language}"' in rendered.html
