"""The gallery installs as an app (manifest valid for Chromium, service worker active) and, offline, reopens
from the home screen with the photos viewed before."""
from __future__ import annotations

import pytest

from tests.pages.conftest import screenshot

pytestmark = pytest.mark.browser


LOADED_TILES = """() => [...document.querySelectorAll('.tile')]
    .filter((tile) => tile.querySelector('img').naturalWidth > 0).map((tile) => tile.dataset.photoId)"""


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_installs_and_reopens_offline_with_the_photos_seen(live_server, open_browser, make_shared_gallery,
                                                           brand_studio, size):
    shared = brand_studio(make_shared_gallery(photos=8, title="Ingrid & Jonas", sets=("Ceremony", "Party")))
    page = open_browser(size)
    page.goto(live_server + shared.path)
    page.wait_for_selector(".tile img.loaded")
    page.wait_for_selector("#toolbar:not([hidden])")
    active = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return { active: Boolean(registration.active), scope: registration.scope };
    }""")
    assert active == {"active": True, "scope": f"{live_server}{shared.path}"}
    # Chromium's own verdict on the manifest and icons
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith(f"{shared.path}/manifest.webmanifest") and not manifest.get("errors")
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [e for e in errors if e != "in-incognito"] == []  # a test browser context is always incognito
    cdp.detach()

    # The hand-over: once the worker controls the page, the page lists what it loaded (or started loading)
    # before, and the worker has cached it when it answers; every later request goes through the worker.
    page.wait_for_selector("html[data-offline='ready']", state="attached")
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    seen = page.evaluate(LOADED_TILES)
    assert len(seen) >= 4
    # View two photos (their large size comes through the worker, which controls the page).
    page.locator(".tile button.open").nth(1).click()
    page.wait_for_function("() => document.querySelector('#viewer-img').complete")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#viewer-img').complete")
    viewed = page.get_attribute("#viewer-img", "alt")
    page.keyboard.press("Escape")
    page.wait_for_function("(token) => caches.open(`gallery-photos-${token}`).then((c) => c.keys())"
                           ".then((keys) => keys.length >= 6)", arg=shared.link.token)

    # Offline, from the home screen: the page, its script, its data and the photos seen before.
    page.context.set_offline(True)
    page.goto(live_server + shared.path)
    page.wait_for_selector(".tile img.loaded")
    assert page.inner_text("#gallery-title") == "Ingrid & Jonas"
    page.wait_for_function("(count) => document.querySelectorAll('.tile img.loaded').length >= count", arg=len(seen))
    assert set(page.evaluate(LOADED_TILES)) >= set(seen)
    page.locator(f".tile button.open[aria-label='{viewed}']").click()
    page.wait_for_function("() => document.querySelector('#viewer-img').complete "
                           "&& document.querySelector('#viewer-img').naturalWidth > 0")
    screenshot(page, f"offline-{size}")
    page.context.set_offline(False)
