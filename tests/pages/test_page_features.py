"""Every share-API capability on the page, in headless Chromium on a phone (390x844) and a laptop (1280x800), as
the client and as a guest, in English and Norwegian: brand, set-ordered viewer, favourite lists, comments with the
photographer's reply, zips with their sizes, slideshow, cart with pictures and the country picker, payment
instructions, my orders; each screen checked with axe-core (no serious or critical violation)."""
from __future__ import annotations

import os
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from gallery.extensions import db
from gallery.web_client.i18n import domain
from tests.pages.conftest import axe_check, screenshot

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b(\d{6})\b")
HOW_TO_PAY = "Bank transfer to 1234.56.78901 with the order number as reference."
COMBOS = [("phone", "client", "en-GB"), ("phone", "guest", "nb-NO"), ("laptop", "client", "nb-NO"),
          ("laptop", "guest", "en-GB")]


def tr(app, language, text, **values):
    with app.test_request_context(), force_locale(language):
        return domain.gettext(text, **values)


def code_from(message) -> str:
    text = message["Subject"] + " " + message.get_body(preferencelist=("plain",)).get_content()
    return CODE.search(text).group(1)


def no_axe_violations(page, where):
    violations = axe_check(page)
    assert violations == [], f"{where}: {violations}"


@pytest.fixture
def store_gallery(make_shared_gallery, brand_studio):
    """make(role) -> a branded gallery with two sets of three photos, a store with manual payment."""
    from gallery.store import services as store

    def make(role):
        shared = brand_studio(make_shared_gallery(
            photos=6, role=role, sets=("Ceremony", "Party"), title="Ingrid & Jonas", studio_name="Northlight",
            download_policy={"client": "full", "guest": "web"}))
        sheet = store.create_price_sheet(shared.photographer.id, {
            "name": "Prints", "currency": "NOK", "payment_instructions": HOW_TO_PAY, "products": [
                {"kind": "print", "name": "Print 20x30", "price": 25000},
                {"kind": "digital_photo", "name": "Full-size download", "price": 10000}]})
        shared.gallery.price_sheet_id = sheet.id
        db.session.commit()
        return shared

    return make


@pytest.mark.parametrize("size,role,locale", COMBOS, ids=["-".join(c) for c in COMBOS])
def test_every_capability(app, live_server, open_browser, store_gallery, smtp_server, size, role, locale):
    from gallery.proofing.models import Comment
    from gallery.proofing.replies import add_reply
    from gallery.store import services as store
    from gallery.store.models import Order

    lang = locale[:2]
    shot = f"features-{size}-{role}-{lang}"
    shared = store_gallery(role)
    page = open_browser(size, locale=locale)
    page.on("dialog", lambda dialog: dialog.accept())
    with smtp_server.configured(app):
        # 1. The page in the studio's colours, with its logo and contact; no serious accessibility problem.
        page.goto(live_server + shared.path)
        page.wait_for_selector(".tile img.loaded")
        page.wait_for_selector("#toolbar:not([hidden])")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator(".topbar .studio-logo").is_visible()
        assert page.locator(".studio-footer a[href='tel:+4791234567']").count() == 1
        accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent and accent != "#f5d142"  # the yellow was darkened to read on white
        screenshot(page, f"{shot}-01-grid")
        no_axe_violations(page, "grid")

        # 2. The viewer walks the sets in order; the set picker jumps between them; the keyboard works.
        page.locator(".tile button.open").first.click()
        page.wait_for_selector("#viewer[open] #viewer-img")
        position = page.locator("#viewer-position")
        assert position.inner_text() == "Ceremony · " + tr(app, lang, "%(n)s / %(total)s", n=1, total=3)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('#viewer-position').textContent.includes('2')")
        page.select_option("#viewer-set", label="Party")
        page.wait_for_function("() => document.querySelector('#viewer-position').textContent.startsWith('Party')")
        assert page.get_attribute("#viewer-img", "alt") == "IMG_0002.jpg"  # the first photo of Party
        assert page.locator("#viewer-prev").is_disabled()
        screenshot(page, f"{shot}-02-viewer")
        no_axe_violations(page, "viewer")

        # 3. A heart asks who is picking; the code comes by mail.
        page.click("#viewer-heart")
        page.wait_for_selector("#identify[open]")
        no_axe_violations(page, "identify")
        page.fill("#identify-address", f"{role}@example.com")
        page.click("#identify-email button[type=submit]")
        page.wait_for_selector("#identify-code:not([hidden])")
        page.fill("#identify-code-input", code_from(smtp_server.wait_for(1)[-1]))
        page.click("#identify-code button[type=submit]")
        page.wait_for_selector("#viewer-heart[aria-pressed=true]")
        # the note for the photographer, with a readable Save button
        page.click("#viewer-note-toggle")
        page.wait_for_selector("#viewer-note:not([hidden])")
        no_axe_violations(page, "note")
        page.click("#viewer-note-toggle")

        # 4. Lists: a new list becomes where the heart adds; the photo is moved there; the list is renamed.
        page.click("#viewer-lists")
        page.wait_for_selector("#photo-lists-sheet[open]")
        page.click("#photo-lists-sheet [data-close]")
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('#viewer').open")
        page.click("#lists-open")
        page.wait_for_selector("#lists[open]")
        page.fill("#list-create-name", "Album")
        page.click("#list-create button[type=submit]")
        page.wait_for_selector("#lists-body input[type=radio]:checked + label:has-text('Album')")
        page.click("#lists-body button:has-text('%s')" % tr(app, lang, "Rename"))
        page.fill("#list-rename-name", "Wedding album")
        page.click("#list-rename button[type=submit]")
        page.wait_for_selector("#lists-body label:has-text('Wedding album')")
        screenshot(page, f"{shot}-03-lists")
        no_axe_violations(page, "lists")
        page.click("#lists [data-close]")
        assert page.inner_text("#lists-open-label") == "Wedding album"
        # the heart now adds to the album
        page.locator("#set-" + shared.photos[0].set_id + " .tile button.open").nth(1).click()
        page.wait_for_selector("#viewer[open]")
        page.click("#viewer-heart")
        page.wait_for_selector("#viewer-heart[aria-pressed=true]")
        page.click("#viewer-lists")
        page.wait_for_selector("#photo-lists-sheet[open] #move-form:not([hidden])")
        page.select_option("#move-target", label=tr(app, lang, "Favourites"))
        page.click("#move-form button[type=submit]")
        page.wait_for_function("""name => [...document.querySelectorAll('#photo-lists input:checked + label')]
            .map((label) => label.textContent).join() === name""", arg=tr(app, lang, "Favourites"))
        no_axe_violations(page, "photo lists")
        page.click("#photo-lists-sheet [data-close]")

        # 5. Comments: the visitor writes, the photographer replies (through the API's service), the reply shows.
        page.click("#viewer-comments")
        page.wait_for_selector("#comments[open]")
        page.fill("#comment-text", "Could this one be black and white?")
        page.click("#comment-form button[type=submit]")
        page.wait_for_selector("#comments-list .comment:has-text('black and white')")
        with app.app_context():
            comment = db.session.scalar(select(Comment))
            add_reply(shared.photographer, shared.gallery.id, comment.id, "Yes, it is in the gallery by Friday.")
            db.session.commit()
        page.click("#comments [data-close]")
        page.click("#viewer-comments")
        page.wait_for_selector("#comments-list .reply:has-text('by Friday')")
        assert "Northlight" in page.inner_text("#comments-list .reply")
        screenshot(page, f"{shot}-04-comments")
        no_axe_violations(page, "comments")
        page.click("#comments [data-close]")

        # 6. Slideshow: full screen, plays by itself, Space pauses.
        page.click("#viewer-slideshow")
        page.wait_for_selector("#viewer.slideshow #slideshow-play[aria-pressed=true]")
        before = page.get_attribute("#viewer-img", "alt")
        page.wait_for_function("alt => document.querySelector('#viewer-img').alt !== alt", arg=before, timeout=9000)
        page.keyboard.press(" ")
        page.wait_for_selector("#slideshow-play[aria-pressed=false]")
        screenshot(page, f"{shot}-05-slideshow")
        page.keyboard.press("Escape")
        if page.locator("#viewer[open]").count():
            page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('#viewer').open")

        # 7. Downloads: the zips on offer with their sizes, at the sizes the policy allows.
        page.click("#downloads-open")
        page.wait_for_selector("#downloads[open] .download-option")
        buttons = page.locator("#downloads-body button")
        expected_sizes = 2 if role == "client" else 1
        assert page.locator("#downloads-body section").first.locator("button").count() == expected_sizes
        assert re.search(r"\d", page.locator("#downloads-body .size-note").first.inner_text())
        screenshot(page, f"{shot}-06-downloads")
        no_axe_violations(page, "downloads")
        with page.expect_download() as download_info:
            buttons.first.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".zip")
        assert os.path.getsize(download.path()) > 1000
        page.click("#downloads [data-close]")

        # 8. The cart: a picture on every line, quantities start at 1, countries in the page's language,
        # and a manual-payment order says how to pay.
        page.locator(".tile button.open").first.click()
        page.click("#viewer-cart")
        page.wait_for_selector("#cart[open] #product-form:not([hidden])")
        assert page.input_value("#product-quantity") == "1"
        page.fill("#product-quantity", "3")
        page.click("#product-form button[type=submit]")
        page.wait_for_selector("#cart-body .cart-line .line-thumb img")
        page.click("#cart [data-close]")
        page.click("#viewer-cart")
        page.wait_for_selector("#cart[open] #product-form:not([hidden])")
        assert page.input_value("#product-quantity") == "1"  # not the last product's 3
        page.click("#cart [data-close]")
        page.keyboard.press("Escape")
        page.click("#cart-open")
        page.wait_for_selector("#cart[open] #ship-country option[value=NO]", state="attached")
        norway = page.locator("#ship-country option[value=NO]").inner_text()
        assert norway == ("Norge" if lang == "nb" else "Norway")
        page.fill("#ship-name", "Kari Nordmann")
        page.fill("#ship-line1", "Fjordveien 1")
        page.fill("#ship-postal", "5003")
        page.fill("#ship-city", "Bergen")
        page.select_option("#ship-country", "NO")
        screenshot(page, f"{shot}-07-cart")
        no_axe_violations(page, "cart")
        page.click("#checkout-form button[type=submit]")
        page.wait_for_selector("#order-placed:not([hidden])")
        assert HOW_TO_PAY in page.inner_text("#order-placed")
        screenshot(page, f"{shot}-08-order-placed")
        page.click("#cart [data-close]")

        # 9. My orders, later: the status and the tracking link.
        with app.app_context():
            order = db.session.scalar(select(Order))
            assert order.shipping_address["country"] == "NO" and order.items[0].quantity == 3
            for status in ("paid", "in_production"):
                store.change_order_status(shared.photographer.id, order.id, status)
            store.change_order_status(shared.photographer.id, order.id, "shipped",
                                      tracking="https://track.example/AB123")
            db.session.commit()
        page.click("#orders-open")
        page.wait_for_selector("#orders[open] .order")
        assert tr(app, lang, "Shipped") in page.inner_text("#orders-body .status")
        assert page.get_attribute("#orders-body a", "href") == "https://track.example/AB123"
        screenshot(page, f"{shot}-09-orders")
        no_axe_violations(page, "orders")
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    assert page.problems == [], page.problems


def test_motion_respects_reduced_motion(live_server, open_browser, make_shared_gallery):
    shared = make_shared_gallery(photos=3)
    page = open_browser("laptop", reduced_motion="reduce")
    page.goto(live_server + shared.path)
    page.wait_for_selector("#toolbar:not([hidden])")
    page.click("#slideshow-start")
    page.wait_for_selector("#viewer.slideshow")
    # no autoplay and no fades: the visitor presses play
    assert page.get_attribute("#slideshow-play", "aria-pressed") == "false"
    assert page.evaluate("getComputedStyle(document.querySelector('#viewer-img')).transitionDuration") == "0s"
    page.keyboard.press(" ")
    page.wait_for_selector("#slideshow-play[aria-pressed=true]")
    assert page.problems == []


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_screens_without_a_gallery_are_branded_and_accessible(app, live_server, open_browser, make_shared_gallery,
                                                              brand_studio, size):
    from datetime import timedelta

    from gallery.core import clock

    shared = brand_studio(make_shared_gallery(photos=1, password="fjord-2026", studio_name="Northlight"))
    draft = make_shared_gallery(photos=1, photographer=shared.photographer)
    draft.gallery.status = "draft"
    revoked = make_shared_gallery(photos=1, photographer=shared.photographer, link={"revoked": True})
    expired = make_shared_gallery(photos=1, photographer=shared.photographer)
    expired.gallery.expires_at = clock.now() - timedelta(days=1)
    db.session.commit()
    for name, target, locale in (("locked", shared, "en-GB"), ("draft", draft, "pl-PL"), ("revoked", revoked, "nb-NO"),
                                 ("expired", expired, "en-GB")):
        page = open_browser(size, locale=locale)
        page.goto(live_server + target.path)
        assert page.locator(".topbar .studio-logo").is_visible()
        assert page.locator(".studio-footer a[href='tel:+4791234567']").count() == 1
        screenshot(page, f"screen-{name}-{size}-{locale[:2]}")
        no_axe_violations(page, name)
        if name == "draft":
            assert "nie została jeszcze opublikowana" in page.inner_text("main")
