"""The studio's catalogs: every key in every language, placeholders kept, each language's plural forms present,
and every key the code asks for exists."""
import json
import re
from pathlib import Path

import pytest
from babel import Locale

STUDIO = Path(__file__).resolve().parents[2] / "gallery" / "static" / "studio"
LANGUAGES = ["en", "nb", "pl", "hr", "id"]
AREAS = re.findall(r"^  '([a-z]+)',", (STUDIO / "i18n.js").read_text().split("export const AREAS")[1].split("];")[0],
                   re.M)


def area_catalog(area: str, lang: str) -> dict:
    path = STUDIO / "i18n" / (f"{lang}.json" if area == "core" else f"{area}/{lang}.json")
    return json.loads(path.read_text())


PARTS = {area: {lang: area_catalog(area, lang) for lang in LANGUAGES} for area in ["core", *AREAS]}
CATALOGS = {lang: {k: v for part in PARTS.values() for k, v in part[lang].items()} for lang in LANGUAGES}


def test_every_area_directory_is_loaded_and_keys_are_owned_by_one_area():
    on_disk = {path.name for path in (STUDIO / "i18n").iterdir() if path.is_dir()}
    assert on_disk == set(AREAS)
    seen: dict[str, str] = {}
    for area, part in PARTS.items():
        for key in part["en"]:
            assert key not in seen, f"{key} is in both {seen[key]} and {area}"
            seen[key] = area


def placeholders(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in re.findall(r"\{(\w+)\}", text)}


@pytest.mark.parametrize("area", ["core", *AREAS])
@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_same_keys_placeholders_and_plural_forms(lang, area):
    english, catalog = PARTS[area]["en"], PARTS[area][lang]
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
    assert prefixes >= {"event.", "kind.", "size.", "state.", "status.", "tab.", "share.role.", "upload.state.",
                        "upload.count."}
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in CATALOGS["en"]), prefix
