"""The studio's brand: one place builds it (gallery.accounts.branding) and every face shows the same thing at
once: the client page, the share API, the screen of a link that is switched off, and the mail's From. Hostile
values never get in."""
from __future__ import annotations

import email
from email import policy
from pathlib import Path
from urllib.parse import quote

import pytest

from gallery.core.colours import MIN_CONTRAST, PAGE_BACKGROUND, contrast, readable_accent
from gallery.mail import Brand
from tests.plugins.problems import problem

BRANDING = {"accent_color": "#f5d142", "sender_name": "Anna at Northlight", "contact_email": "hello@northlight.example",
            "contact_phone": "+47 912 34 567", "website": "https://www.northlight.example",
            "instagram": "@northlight.foto", "tiktok": "northlight", "pinterest": "https://www.pinterest.com/northlight/"}


def test_the_client_page_and_share_api_change_at_once_with_the_brand(app, make_photographer, make_gallery,
                                                                    make_share_link):
    photographer, api = make_photographer(studio_name="Northlight")
    link = make_share_link(make_gallery(photographer, publish=True, title="Kari & Ola"))
    before = app.test_client().get(f"/g/{link.token}").get_data(as_text=True)
    assert "912 34 567" not in before and "--accent:#8a3b12" in before  # the default accent

    answer = api.patch("/api/v1/me", json={"studio_name": "Northlight Foto", "branding": BRANDING})
    assert answer.status_code == 200, answer.json
    stored = answer.json["branding"]
    assert stored["instagram"] == "https://www.instagram.com/northlight.foto"  # @handle -> the profile's address
    assert stored["tiktok"] == "https://www.tiktok.com/@northlight"

    page = app.test_client().get(f"/g/{link.token}").get_data(as_text=True)
    accent = readable_accent("#f5d142")
    assert accent != "#f5d142" and contrast(accent, PAGE_BACKGROUND) >= MIN_CONTRAST
    assert f"--accent:{accent}" in page and "Northlight Foto" in page
    for shown in ('href="tel:+4791234567"', 'href="mailto:hello@northlight.example"',
                  'href="https://www.northlight.example"', ">northlight.example</a>",
                  'href="https://www.instagram.com/northlight.foto" rel="noopener">Instagram',
                  'href="https://www.tiktok.com/@northlight" rel="noopener">TikTok',
                  'href="https://www.pinterest.com/northlight/" rel="noopener">Pinterest'):
        assert shown in page, shown

    share = app.test_client().get(f"/api/v1/share/{link.token}").json["photographer"]
    assert share["studio_name"] == "Northlight Foto" and share["phone"] == "+47 912 34 567"
    assert share["branding"]["accent"] == accent and share["branding"]["accent_color"] == "#f5d142"
    assert share["branding"]["instagram"] == "https://www.instagram.com/northlight.foto"

    # The studio reads the same brand the client sees.
    brand = api.get("/api/v1/me/brand").json
    assert brand["accent"] == accent and brand["adjusted"] is True and brand["sender_name"] == "Anna at Northlight"
    assert [s["label"] for s in brand["socials"]] == ["Instagram", "Pinterest", "TikTok"]

    # A null removes one key and leaves the rest (PATCH merges the brand key by key).
    api.patch("/api/v1/me", json={"branding": {"contact_phone": None, "tiktok": None}})
    page = app.test_client().get(f"/g/{link.token}").get_data(as_text=True)
    assert "912 34 567" not in page and "TikTok" not in page and "Instagram" in page and f"--accent:{accent}" in page


def test_a_switched_off_link_shows_the_same_contact(app, make_photographer, make_gallery, make_share_link):
    photographer, api = make_photographer(studio_name="Northlight")
    link = make_share_link(make_gallery(photographer, publish=True))
    api.patch("/api/v1/me", json={"branding": BRANDING})
    assert api.delete(f"/api/v1/galleries/{link.gallery_id}/share-links/{link.id}").status_code in (200, 204)
    gone = problem(app.test_client().get(f"/api/v1/share/{link.token}"), 410)
    assert gone["contact"] == {"studio_name": "Northlight", "email": "hello@northlight.example",
                               "phone": "+47 912 34 567", "website": "https://www.northlight.example"}
    page = app.test_client().get(f"/g/{link.token}")
    assert page.status_code == 410 and 'href="tel:+4791234567"' in page.get_data(as_text=True)


def _last_mail(folder: Path, before: set):
    new = sorted(set(folder.glob("*.eml")) - before, key=lambda p: p.stat().st_mtime)
    return email.message_from_bytes(new[-1].read_bytes(), policy=policy.default)


def test_mail_comes_from_the_sender_name_with_the_brand_in_its_frame(app, make_photographer, make_gallery,
                                                                     make_share_link, clean_mail_dir):
    photographer, api = make_photographer(studio_name="Northlight")
    link = make_share_link(make_gallery(photographer, publish=True))
    api.patch("/api/v1/me", json={"branding": BRANDING})
    before = set(clean_mail_dir.glob("*.eml"))
    assert app.test_client().post(f"/api/v1/share/{link.token}/visitors",
                                  json={"email": "kari@example.com"}).status_code == 202
    message = _last_mail(clean_mail_dir, before)
    assert message["From"].addresses[0].display_name == "Anna at Northlight"
    assert message["Reply-To"].addresses[0].addr_spec == "hello@northlight.example"
    html = message.get_body(("html",)).get_content()
    assert readable_accent("#f5d142") in html and "+47 912 34 567" in html

    # No sender name: the studio's name.
    api.patch("/api/v1/me", json={"branding": {"sender_name": None}})
    before = set(clean_mail_dir.glob("*.eml"))
    app.test_client().post(f"/api/v1/share/{link.token}/visitors", json={"email": "ola@example.com"})
    assert _last_mail(clean_mail_dir, before)["From"].addresses[0].display_name == "Northlight"


def test_page_and_mail_darken_an_accent_by_the_same_rule():
    for colour in ("#f5d142", "#ffffff", "#7fd6ff", "#1a4d2e", "#ff00ff"):
        assert Brand("S", accent=colour).accent_colour == readable_accent(colour)


@pytest.mark.parametrize("colour, adjusted", [("#f5d142", True), ("#FFFFFF", True), ("#1a4d2e", False),
                                              ("8a3b12", False), ("#abc", True)])
def test_the_accent_check_tells_what_clients_see(photographer_api, colour, adjusted):
    report = photographer_api.get("/api/v1/brand/accent?colour=" + quote(colour)).json
    assert report["adjusted"] is adjusted and report["accent"] == readable_accent(colour)
    assert report["accent_contrast"] >= MIN_CONTRAST and report["minimum"] == MIN_CONTRAST
    assert (report["contrast"] < MIN_CONTRAST) is adjusted


@pytest.mark.parametrize("colour", ["red", "#12345g", "#1234567", "javascript:alert(1)", "", "#" + "f" * 5000,
                                    "rgb(1,2,3)"])
def test_bad_colours_are_refused(app, photographer_api, colour):
    problem(photographer_api.get("/api/v1/brand/accent?colour=" + quote(colour)), 422)
    body = problem(photographer_api.patch("/api/v1/me", json={"branding": {"accent_color": colour}}), 422)
    assert "branding.accent_color" in body["errors"]
    problem(app.test_client().get("/api/v1/brand/accent?colour=%23ffffff"), 401)


@pytest.mark.parametrize("field, value", [
    ("website", "javascript:alert(1)"), ("website", "data:text/html,<script>alert(1)</script>"),
    ("website", "ftp://files.example.com"), ("website", "//evil.example"), ("website", "northlight"),
    ("logo_url", "javascript:alert(1)"), ("logo_url", "data:image/svg+xml;base64,PHN2Zz4="),
    ("instagram", "javascript:alert(1)"), ("instagram", "https://evil.example/northlight"),
    ("instagram", "https://instagram.com.evil.example/x"), ("facebook", "https://user:pw@facebook.com/x"),
    ("tiktok", "@" + "a" * 80), ("tiktok", "two words"),
    ("sender_name", "Anna\r\nBcc: all@example.com"), ("sender_name", "Anna <anna@evil.example>"),
    ("sender_name", "x" * 79), ("contact_phone", "call me"), ("contact_phone", "+47 912<script>"),
    ("contact_email", "not an address"), ("contact_email", "a@b.example\r\nBcc: x@y.example"),
    ("unknown_field", "x"),
])
def test_hostile_brand_values_are_refused(photographer_api, field, value):
    body = problem(photographer_api.patch("/api/v1/me", json={"branding": {field: value}}), 422)
    assert f"branding.{field}" in body["errors"]
    assert photographer_api.get("/api/v1/me/brand").json["website"] is None


def test_a_brand_that_is_not_an_object_is_refused(photographer_api):
    for value in ("x", ["instagram"], 42):
        problem(photographer_api.patch("/api/v1/me", json={"branding": value}), 422)
