"""The studio's brand on every screen, the screen of a link that shows no gallery, and the gallery as an
installable app (manifest, icons, service worker), without a browser."""
from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from PIL import Image

from gallery.core import clock
from gallery.extensions import db
from gallery.core.colours import contrast, readable_accent

BRANDING = {"accent_color": "#f5d142", "contact_email": "hello@northlight.example", "contact_phone": "+47 912 34 567",
            "website": "https://www.northlight.example", "instagram": "https://instagram.com/northlight",
            "logo_url": "https://cdn.northlight.example/logo.png"}


@pytest.mark.parametrize("colour", ["#f5d142", "#ffffff", "#7fd6ff", "#8a3b12", "#000000", "#ff00ff"])
def test_the_accent_is_kept_readable_on_white(colour):
    adjusted = readable_accent(colour)
    assert contrast(adjusted, "#ffffff") >= 4.5 and contrast(adjusted, "#f3f2f0") >= 4.5
    if contrast(colour, "#f3f2f0") >= 4.5:
        assert adjusted == colour  # a readable colour is left as the photographer chose it


def test_brand_on_the_gallery_and_on_every_screen_without_a_gallery(client, make_shared_gallery):
    shared = make_shared_gallery(photos=1, studio_name="Northlight")
    shared.photographer.branding = BRANDING
    db.session.commit()
    page = client.get(shared.path)
    html = page.get_data(as_text=True)
    assert 'class="studio-logo" src="https://cdn.northlight.example/logo.png" alt="Northlight"' in html
    assert "https://cdn.northlight.example" in page.headers["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    accent = readable_accent("#f5d142")
    assert f"--accent:{accent}" in html and accent != "#f5d142"
    for text in ('href="tel:+4791234567"', "+47 912 34 567", "mailto:hello@northlight.example",
                 ">northlight.example<", 'href="https://instagram.com/northlight"'):
        assert text in html
    # The share API returns the phone too (it answered null before).
    share = client.get(f"/api/v1/share/{shared.link.token}").json
    assert share["photographer"]["phone"] == "+47 912 34 567"
    assert share["photographer"]["branding"]["instagram"] == "https://instagram.com/northlight"

    revoked = make_shared_gallery(photos=1, photographer=shared.photographer, link={"revoked": True})
    expired = make_shared_gallery(photos=1, photographer=shared.photographer)
    expired.gallery.expires_at = clock.now() - timedelta(days=1)
    draft = make_shared_gallery(photos=1, photographer=shared.photographer)
    draft.gallery.status = "draft"
    db.session.commit()
    for gone, lead in ((revoked, "This link has been switched off."), (expired, "This gallery is no longer available."),
                       (draft, "This gallery is not published yet.")):
        response = client.get(gone.path)
        body = response.get_data(as_text=True)
        assert response.status_code == 410 and lead in body
        assert "tel:+4791234567" in body and "studio-logo" in body and f"--accent:{accent}" in body
        assert 'class="button small lang-apply"' in body
    draft_body = client.get(draft.path, headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "Ta galeria nie została jeszcze opublikowana." in draft_body
    assert "reopen" not in client.get(draft.path).get_data(as_text=True)


def test_manifest_icons_and_service_worker(client, make_shared_gallery):
    shared = make_shared_gallery(photos=2, title="Ingrid & Jonas", studio_name="Northlight")
    shared.photographer.branding = {"accent_color": "#2a6f97"}
    db.session.commit()
    html = client.get(shared.path).get_data(as_text=True)
    assert f'<link rel="manifest" href="{shared.path}/manifest.webmanifest">' in html
    response = client.get(f"{shared.path}/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Ingrid & Jonas · Northlight" and manifest["short_name"] == "Ingrid & Jonas"
    assert manifest["start_url"] == shared.path and manifest["scope"] == shared.path
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#2a6f97"
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.mimetype == "image/png"
        image = Image.open(io.BytesIO(png.data))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        # cut from the cover photo, not a flat colour
        assert len(image.convert("RGB").getcolors(1 << 24)) > 100
        assert client.get(icon["src"], headers={"If-None-Match": png.headers["ETag"]}).status_code == 304
    assert client.get(f"{shared.path}/icon-64.png").status_code == 404
    worker = client.get(f"{shared.path}/sw.js")
    assert worker.mimetype == "text/javascript" and worker.headers["Service-Worker-Allowed"] == shared.path
    # gone links have no app
    shared.link.revoked_at = clock.now()
    db.session.commit()
    assert client.get(f"{shared.path}/manifest.webmanifest").status_code == 410
    assert client.get("/g/nope/sw.js").status_code == 404


def test_a_locked_gallery_icon_shows_no_photo(client, make_shared_gallery):
    shared = make_shared_gallery(photos=1, password="secret-pass")
    image = Image.open(io.BytesIO(client.get(f"{shared.path}/icon-192.png").data)).convert("RGB")
    assert len(image.getcolors(1 << 24)) == 1  # the accent colour only


def test_country_names_in_each_language(client):
    norwegian = dict(client.get("/g/countries/nb.json").json["countries"])
    polish = dict(client.get("/g/countries/pl.json").json["countries"])
    assert norwegian["NO"] == "Norge" and norwegian["GB"] == "Storbritannia"
    assert polish["DE"] == "Niemcy" and "EU" not in polish and "ZZ" not in polish
    assert all(len(code) == 2 and code.isupper() for code in polish)
    assert client.get("/g/countries/xx.json").status_code == 404
