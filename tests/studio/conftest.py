"""Studio browser fixtures: the real app on a loopback port, headless Chromium at 1280x800, a logged-in
studio page in a chosen language, axe-core for accessibility, S3 with the CORS rules browsers need."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins.browser import ARTIFACTS

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"
PASSWORD = "correct horse battery"


class Studio:
    """A Playwright page on /studio with helpers; `problems` collects console errors and page errors."""

    def __init__(self, page, base, lang):
        self.page, self.base, self.lang = page, base, lang

    def open(self, hash_path=""):
        self.page.goto(f"{self.base}/studio#/{hash_path}")
        booted = "() => !document.querySelector('#app > .boot')"
        try:
            self.page.wait_for_function(booted, timeout=20000)
        except Exception:  # noqa: BLE001 - on a saturated machine a module fetch can stall: load once more
            self.page.reload()
            self.page.wait_for_function(booted, timeout=30000)

    def login(self, email, password=PASSWORD):
        self.open("login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_selector("nav.sidebar")

    def t(self, key, **params):
        """The catalog text of `key` in this studio's language (simple strings only)."""
        import json

        catalog = json.loads((CATALOGS / f"{self.lang}.json").read_text())
        for area in CATALOGS.iterdir():
            if area.is_dir():
                catalog.update(json.loads((area / f"{self.lang}.json").read_text()))
        value = catalog[key]
        for name, param in params.items():
            value = value.replace("{" + name + "}", str(param))
        return value

    def axe(self, name):
        """No serious or critical axe-core violation on the screen as it is now."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                                    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe violations on {name}: {bad}"

    def shot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"studio-{name}-{self.lang}.png"
        self.page.screenshot(path=str(path))
        return path

    def toast(self, text):
        self.page.wait_for_selector(f".toast:has-text({text!r})")


CATALOGS = Path(__file__).resolve().parents[2] / "gallery" / "static" / "studio" / "i18n"


@pytest.fixture(params=["en", "nb"])
def lang(request):
    return request.param


@pytest.fixture
def studio(chromium, live_server, lang):
    """studio.page: a fresh context at 1280x800 in `lang`; CSP bypassed only so axe-core can be injected."""
    playwright, browser = chromium
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale={"en": "en-GB", "nb": "nb-NO"}[lang],
                                  bypass_csp=True, accept_downloads=True)
    # Sandboxed frames (the mail previews) have no storage: the init script runs there too and must not throw.
    context.add_init_script(f"try {{ localStorage.setItem('studio.lang', '{lang}') }} catch (e) {{}}")
    page = context.new_page()
    page.set_default_timeout(30000)
    studio = Studio(page, live_server, lang)
    studio.errors = []  # script errors (failed requests the app handles, like a 401 before login, are not)
    page.on("pageerror", lambda error: studio.errors.append(str(error)))
    yield studio
    context.close()


@pytest.fixture
def s3_for_browsers(s3):
    """The test bucket with the CORS rules a browser upload needs (PUT from any origin, ETag readable)."""
    s3.client.put_bucket_cors(Bucket=s3.bucket, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": ["*"], "AllowedMethods": ["PUT", "GET", "HEAD"], "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]})
    return s3
