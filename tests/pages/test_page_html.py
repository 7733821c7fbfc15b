"""The page shell as a link-preview crawler and a browser's first request see it (no JavaScript)."""
from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from html.parser import HTMLParser

from gallery.core import clock
from gallery.extensions import db


class CrawlerView(HTMLParser):
    """What Facebook, WhatsApp or iMessage read: <meta property|name=... content=...>, <title>, <html lang>."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.lang = None
        self.scripts: list[dict] = []
        self.styles_inline = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key and "content" in attributes:
                self.meta.setdefault(key, attributes["content"])
        elif tag == "title":
            self._in_title = True
        elif tag == "script":
            self.scripts.append(attributes)
        elif tag == "style" or "style" in attributes or any(name.startswith("on") for name in attributes):
            self.styles_inline += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def crawl(client, path, **headers) -> tuple[object, CrawlerView]:
    response = client.get(path, headers={"User-Agent": "facebookexternalhit/1.1", **headers})
    view = CrawlerView()
    view.feed(response.get_data(as_text=True))
    return response, view


def test_open_graph_and_twitter_tags_preview_the_gallery(client, make_shared_gallery):
    shared = make_shared_gallery(photos=3, title="Ingrid & Jonas", description="A summer wedding at the fjord.")
    response, view = crawl(client, shared.path)
    assert response.status_code == 200
    meta = view.meta
    assert meta["og:title"] == "Ingrid & Jonas · Northlight Studio"
    assert view.title == meta["og:title"]
    assert meta["og:description"] == "A summer wedding at the fjord."
    assert meta["og:type"] == "website"
    assert meta["og:url"] == f"http://gallery.test/g/{shared.link.token}"
    assert meta["og:site_name"] == "Northlight Studio"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == meta["og:title"]
    # The cover (first photo) as its 1200 px preview, by an absolute URL a crawler can fetch without cookies.
    image = meta["og:image"]
    assert image.startswith("http://gallery.test/files/renditions/")
    assert meta["twitter:image"] == image
    preview = next(r for r in shared.photos[0].renditions if r.name == "preview" and r.format == "jpeg")
    assert preview.storage_key in image
    assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == (preview.width, preview.height)
    fetched = client.get(image.removeprefix("http://gallery.test"))
    assert fetched.status_code == 200 and fetched.mimetype == "image/jpeg"
    assert fetched.get_data()[:3] == b"\xff\xd8\xff"


def test_the_chosen_cover_photo_is_the_preview(client, make_shared_gallery):
    shared = make_shared_gallery(photos=3)
    shared.gallery.cover_photo_id = shared.photos[2].id
    db.session.commit()
    _, view = crawl(client, shared.path)
    assert f"renditions/{shared.gallery.id}/{shared.photos[2].id}/preview.jpg" in view.meta["og:image"]


def test_a_photo_share_url_previews_that_photo(client, make_shared_gallery):
    shared = make_shared_gallery(photos=3, title="Family")
    photo = shared.photos[1]
    response, view = crawl(client, f"{shared.path}/p/{photo.id}")
    assert response.status_code == 200
    assert view.meta["og:url"] == f"http://gallery.test/g/{shared.link.token}/p/{photo.id}"
    assert f"/{photo.id}/preview.jpg" in view.meta["og:image"]
    assert view.meta["og:title"] == "Family (IMG_0002.jpg)"


def test_a_photo_of_another_gallery_or_hidden_from_guests_is_not_found(client, make_shared_gallery):
    shared = make_shared_gallery(photos=2, role="guest")
    other = make_shared_gallery(photos=1)
    assert client.get(f"{shared.path}/p/{other.photos[0].id}").status_code == 404
    shared.photos[1].hidden_from_guests = True
    db.session.commit()
    response, view = crawl(client, f"{shared.path}/p/{shared.photos[1].id}")
    assert response.status_code == 404
    assert "og:image" not in view.meta
    assert client.get(f"{shared.path}/p/{'x' * 300}").status_code == 404


def test_description_defaults_to_the_studio_in_the_page_language(client, make_shared_gallery):
    shared = make_shared_gallery(photos=1)
    _, view = crawl(client, shared.path)
    assert view.meta["og:description"] == "Photos by Northlight Studio"
    _, view = crawl(client, shared.path, **{"Accept-Language": "pl-PL,pl;q=0.9"})
    assert view.lang == "pl"
    assert view.meta["og:description"] == "Zdjęcia: Northlight Studio"


def test_a_locked_gallery_shows_no_photo_until_unlocked(client, make_shared_gallery):
    shared = make_shared_gallery(photos=2, title="Private", password="open sesame")
    response, view = crawl(client, shared.path)
    assert response.status_code == 200
    assert view.meta["og:title"].startswith("Private")
    assert "og:image" not in view.meta and view.meta["twitter:card"] == "summary"
    html = response.get_data(as_text=True)
    assert 'id="unlock"' in html and "/files/" not in html
    assert client.get(f"{shared.path}/p/{shared.photos[0].id}").get_data(as_text=True).count("/files/") == 0


def test_expired_revoked_and_unknown_links_say_so_with_the_photographers_contact(client, make_shared_gallery):
    shared = make_shared_gallery(photos=1, studio_name="Fjord Foto", link={"revoked": True})
    response = client.get(shared.path)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "Fjord Foto" in html and shared.photographer.email in html and "/files/" not in html

    expired = make_shared_gallery(photos=1)
    expired.gallery.expires_at = clock.now() - timedelta(days=1)
    db.session.commit()
    response = client.get(expired.path, headers={"Accept-Language": "nb"})
    assert response.status_code == 410
    assert "Dette galleriet er ikke lenger tilgjengelig." in response.get_data(as_text=True)

    for path in ("/g/nope", "/g/" + "a" * 65, f"{shared.path[:-2]}xx"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Gallery not found" in response.get_data(as_text=True)


def test_strict_content_security_policy_and_no_inline_code(client, make_shared_gallery):
    shared = make_shared_gallery(photos=2)
    response, view = crawl(client, shared.path)
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    # One inline style: the studio's colours, allowed by its own hash and nothing else.
    html = response.get_data(as_text=True)
    brand_css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert brand_css.startswith(":root{--accent:#")
    digest = base64.b64encode(hashlib.sha256(brand_css.encode()).digest()).decode()
    assert policy["script-src"] == "'self'" and policy["style-src"] == f"'self' 'sha256-{digest}'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    # Only our module script and the JSON data block, which CSP lets exist but never run.
    assert [s.get("type") for s in view.scripts] == ["module", "application/json"]
    assert view.scripts[0]["src"].startswith("/static/")
    assert view.styles_inline == 1
    assert "https://" not in html.replace("http://gallery.test", "")  # no third-party CDN or font
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_the_photographers_own_site_may_embed_the_page(client, make_shared_gallery):
    shared = make_shared_gallery(photos=1)
    shared.photographer.allowed_origins = ["https://northlight.example", "javascript:alert(1)"]
    db.session.commit()
    response = client.get(shared.path)
    assert "frame-ancestors https://northlight.example;" in response.headers["Content-Security-Policy"] + ";"
    assert "javascript" not in response.headers["Content-Security-Policy"]


def test_language_from_client_locale_accept_language_and_a_remembered_switch(client, make_shared_gallery,
                                                                            make_client):
    shared = make_shared_gallery(photos=1)
    assert crawl(client, shared.path)[1].lang == "en"
    assert crawl(client, shared.path, **{"Accept-Language": "no;q=0.9, en;q=0.5"})[1].lang == "nb"
    assert crawl(client, shared.path, **{"Accept-Language": "hr-HR"})[1].lang == "hr"
    assert crawl(client, shared.path, **{"Accept-Language": "de-DE, id;q=0.3"})[1].lang == "id"

    # The photographer recorded the client's language: it wins over the browser's.
    shared.gallery.client_id = make_client(shared.photographer, locale="pl").id
    db.session.commit()
    assert crawl(client, shared.path, **{"Accept-Language": "en"})[1].lang == "pl"

    # Switching sets a cookie; the choice sticks on the next visit.
    response, view = crawl(client, f"{shared.path}?lang=hr")
    assert view.lang == "hr"
    assert "gallery_lang=hr" in response.headers["Set-Cookie"]
    assert crawl(client, shared.path)[1].lang == "hr"
    # Nonsense is ignored.
    assert crawl(client, f"{shared.path}?lang=xx")[1].lang == "hr"
