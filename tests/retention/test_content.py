"""Every rule's mail exists in every supported language, and language tags map onto the catalogs."""
from datetime import date

import pytest
from flask_babel import force_locale

from gallery.retention.content import SUPPORTED_LOCALES, mail_locale, offer_line, texts
from gallery.retention.rules import CATEGORIES

RULE_KINDS = [kind for kind, category in CATEGORIES.items() if category != "photographer"]

CONTEXT = {"studio": "Lys", "years": 3, "occasion": "wedding", "days_left": 4, "gallery_title": "Kari & Ola",
           "expires_local": "1 June"}


@pytest.mark.parametrize("tag,expected", [("nb-NO", "nb"), ("no", "nb"), ("pl_PL", "pl"), ("hr", "hr"),
                                          ("in", "id"), ("de", "en"), (None, "en"), ("EN-gb", "en")])
def test_language_tags_map_onto_catalogs(tag, expected):
    assert mail_locale(tag) == expected


def test_every_rule_is_translated_in_every_language(app):
    with force_locale("en"):
        english = {rule: texts(rule, CONTEXT) for rule in RULE_KINDS}
        english_offer = offer_line({"percent_off": 10, "code": "ABC"}, date(2025, 7, 1))
    for locale in SUPPORTED_LOCALES:
        if locale == "en":
            continue
        with force_locale(locale):
            for rule in RULE_KINDS:
                words = texts(rule, CONTEXT)
                assert words["subject"] != english[rule]["subject"], (locale, rule)
                assert words["paragraphs"] != english[rule]["paragraphs"], (locale, rule)
                assert words["button"] != english[rule]["button"], (locale, rule)
            offer = offer_line({"percent_off": 10, "code": "ABC"}, date(2025, 7, 1))
            assert offer != english_offer and "ABC" in offer


def test_plural_forms_follow_the_language(app):
    with force_locale("pl"):
        assert texts("expiry", {**CONTEXT, "days_left": 1})["subject"].endswith("1 dzień")
        assert texts("expiry", {**CONTEXT, "days_left": 4})["subject"].endswith("4 dni")
    with force_locale("hr"):
        assert texts("anniversary", {**CONTEXT, "years": 2})["paragraphs"][0].endswith("2 godine zajedno!")
        assert texts("anniversary", {**CONTEXT, "years": 5})["paragraphs"][0].endswith("5 godina zajedno!")


def test_the_periodic_job_runs_a_sweep(app):
    from workers.retention import run_sweep

    result = run_sweep("2025-06-01T07:30:00+00:00")
    assert result == {"planned": 0, "sent": 0, "suppressed": 0, "rescheduled": 0, "failed": 0, "enqueued": 0,
                      "recovered": 0, "digests": 0}
