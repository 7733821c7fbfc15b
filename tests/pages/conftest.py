"""Page fixtures: a published gallery with real photos and a share link."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gallery.extensions import db
from tests.plugins.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - live_server, chromium: the plugin
from tests.pages.builders import add_photo, add_share_link, corpus_files, encode_renditions


@dataclass
class SharedGallery:
    photographer: object
    api: object
    gallery: object
    link: object
    photos: list = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/g/{self.link.token}"


_encoded_cache: dict = {}


def _encoded(path):
    # Encoding 2048 px renditions is the slow part; each corpus file is encoded once per session.
    if path not in _encoded_cache:
        source = path.read_bytes()
        _encoded_cache[path] = (source, encode_renditions(source))
    return _encoded_cache[path]


@pytest.fixture
def make_shared_gallery(make_photographer, make_gallery):
    """make_shared_gallery(photos=3, role="client", password=None, sets=(), link={...}, **gallery_fields)."""

    def make(photos=3, role="client", password=None, sets=(), link=None, photographer=None, **fields):
        from gallery.galleries import services

        if photographer is None:
            photographer, api = make_photographer(studio_name=fields.pop("studio_name", "Northlight Studio"))
        else:
            api = None
        gallery = make_gallery(photographer, **fields)
        set_ids = [services.add_set(photographer.id, gallery.id, {"name": name}).id for name in sets]
        files = corpus_files()
        made = []
        for index in range(photos):
            source, encoded = _encoded(files[index % len(files)])
            set_id = set_ids[index % len(set_ids)] if set_ids else None
            made.append(add_photo(gallery, source, filename=f"IMG_{index + 1:04d}.jpg", position=index,
                                  set_id=set_id, encoded=encoded))
        services.publish_gallery(photographer.id, gallery.id)
        share_link = add_share_link(gallery, role=role, password=password, **(link or {}))
        db.session.commit()
        return SharedGallery(photographer, api, gallery, share_link, made)

    return make


@pytest.fixture
def phone(chromium, request):
    """A Pixel 7 context (touch, mobile viewport); console errors and CSP reports are collected in `.problems`."""
    playwright, browser = chromium
    context = browser.new_context(**playwright.devices["Pixel 7"], locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
              "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}


@pytest.fixture
def open_browser(chromium):
    """open_browser(size="phone"|"laptop", locale="en-GB", **context options) -> a page collecting console errors
    in `.problems`; contexts close at the end of the test."""
    _, browser = chromium
    contexts = []

    def make(size="phone", locale="en-GB", **options):
        context = browser.new_context(**VIEWPORTS[size], locale=locale, accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def brand_studio(live_server):
    """brand_studio(shared, accent="#f5d142"): gives the gallery's photographer a full brand (the logo is served by
    the app itself, so the test needs no network)."""

    def brand(shared, accent="#f5d142", **extra):
        shared.photographer.branding = {
            "logo_url": f"{live_server}/g/{shared.link.token}/icon-192.png", "accent_color": accent,
            "contact_email": "hello@northlight.example", "contact_phone": "+47 912 34 567",
            "website": "https://northlight.example", "instagram": "https://instagram.com/northlight",
            "facebook": "https://facebook.com/northlight", **extra}
        db.session.commit()
        return shared

    return brand


def axe_check(page, context: str | None = None):
    """Run axe-core (vendored under tests/vendor, injected by the test, never shipped with the page) and
    return the serious and critical violations."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE.read_text() + "\n;undefined")  # through DevTools: the page's CSP allows no such script
    result = page.evaluate("""async (context) => {
        const r = await axe.run(context || document, { resultTypes: ["violations"] });
        return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
    }""", context)
    return result


AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
