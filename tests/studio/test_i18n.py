"""The studio's catalogs: every key in every language, placeholders kept, each language's plural forms present,
and every key the code asks for exists."""
import json
import re
from pathlib import Path

import pytest
from babel import Locale

STUDIO = Path(__file__).resolve().parents[2] / "gallery" / "static" / "studio"
LANGUAGES = ["en", "nb", "pl", "hr", "id"]
CATALOGS = {lang: json.loads((STUDIO / "i18n" / f"{lang}.json").read_text()) for lang in LANGUAGES}


def placeholders(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in re.findall(r"\{(\w+)\}", text)}


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_same_keys_placeholders_and_plural_forms(lang):
    english, catalog = CATALOGS["en"], CATALOGS[lang]
    assert set(catalog) == set(english)
    needed = Locale.parse(lang).plural_form.tags | {"other"}
    for key, value in catalog.items():
        assert placeholders(value) == placeholders(english[key]), key
        assert isinstance(value, dict) == isinstance(english[key], dict), key
        if isinstance(value, dict):
            assert needed <= set(value), f"{lang} {key} lacks plural forms {needed - set(value)}"
            assert all(isinstance(text, str) and text.strip() for text in value.values()), key
        else:
            assert value.strip(), key


def test_every_key_the_code_uses_exists():
    source = "\n".join(path.read_text() for path in STUDIO.rglob("*.js"))
    used = {key for key in re.findall(r"\bt\('([\w.-]+)'", source) if not key.endswith('.')}
    assert used and not used - set(CATALOGS["en"]), used - set(CATALOGS["en"])
    prefixes = set(re.findall(r"\bt\('([\w.-]+\.)' \+", source))
    assert prefixes == {"event.", "kind.", "size.", "state.", "status.", "tab.", "share.role.", "upload.state.",
                        "upload.count."}
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in CATALOGS["en"]), prefix
