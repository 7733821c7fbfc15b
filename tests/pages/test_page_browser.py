"""The gallery page in headless Chromium on a phone (Pixel 7, touch): the whole client journey."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from gallery.core import clock
from gallery.extensions import db
from tests.pages.conftest import screenshot

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b(\d{6})\b")


def _code_from(message) -> str:
    text = message["Subject"] + " " + message.get_body(preferencelist=("plain",)).get_content()
    return CODE.search(text).group(1)


def _swipe_left(page):
    """A real touch gesture through the DevTools protocol (what a finger sends), right to left."""
    cdp = page.context.new_cdp_session(page)
    box = page.locator("#viewer-stage").bounding_box()
    y = box["y"] + box["height"] / 2
    points = [box["x"] + box["width"] * f for f in (0.8, 0.6, 0.4, 0.2)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0], "y": y}]})
    for x in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_client_journey_on_a_phone(app, live_server, phone, make_shared_gallery, smtp_server):
    from gallery.proofing.models import Selection

    shared = make_shared_gallery(photos=6, title="Ingrid & Jonas", password="fjord-2026", sets=("Ceremony", "Party"),
                                 selection_limit=2, description="A summer wedding at the fjord.")
    shared.gallery.expires_at = clock.now() + timedelta(days=5)
    db.session.commit()
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())  # the "send your selection?" confirmation

    with smtp_server.configured(app):
        # 1. Open the link: the password screen, and nothing of the gallery yet.
        page.goto(live_server + shared.path)
        assert page.locator("#unlock").is_visible()
        assert page.locator(".tile").count() == 0
        screenshot(page, "01-unlock")
        page.fill("#unlock-password", "wrong password")
        page.click("#unlock-form button[type=submit]")
        page.wait_for_selector("#unlock-error:not([hidden])")
        assert "not right" in page.inner_text("#unlock-error")
        assert page.problems == ["Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)"]
        page.problems.clear()
        page.fill("#unlock-password", "fjord-2026")
        page.click("#unlock-form button[type=submit]")

        # 2. The gallery: hero cover, sections, a grid of fixed-ratio tiles, the expiry banner.
        page.wait_for_selector(".tile img.loaded")
        assert page.locator(".hero-img").is_visible()
        assert page.inner_text("#gallery-title") == "Ingrid & Jonas"
        assert page.locator(".tile").count() == 6
        assert page.locator(".set-section h2").all_inner_texts() == ["Ceremony", "Party"]
        assert "expires" in page.inner_text("#banner")
        first = shared.photos[0]
        ratio = page.eval_on_selector(".tile button.open", "b => b.clientWidth / b.clientHeight")
        assert ratio == pytest.approx(first.width / first.height, rel=0.05)
        page.locator("#content").scroll_into_view_if_needed()
        screenshot(page, "02-grid")

        # 3. The viewer, and a favourite: it asks who is picking, the code comes by mail.
        page.locator(".tile button.open").first.click()
        page.wait_for_selector("#viewer[open] #viewer-img")
        page.wait_for_function("() => document.querySelector('#viewer-img').complete")
        # The viewer walks the grid in set order: the first photo of "Ceremony", one of its three.
        assert page.inner_text("#viewer-position") == "Ceremony · 1 / 3"
        screenshot(page, "03-viewer")
        page.click("#viewer-heart")
        page.wait_for_selector("#identify[open]")
        page.fill("#identify-name", "Ingrid")
        page.fill("#identify-address", "ingrid@example.com")
        page.click("#identify-email button[type=submit]")
        page.wait_for_selector("#identify-code:not([hidden])")
        screenshot(page, "04-identify")
        message = smtp_server.wait_for(1)[-1]
        assert message["To"] == "ingrid@example.com"
        page.fill("#identify-code-input", _code_from(message))
        page.click("#identify-code button[type=submit]")
        page.wait_for_selector("#viewer-heart[aria-pressed=true]")
        assert page.inner_text("#selection-count") == "1 of 2 selected"

        # 4. Swipe to the next photo of the set with a finger, favourite it: the limit is reached.
        _swipe_left(page)
        page.wait_for_function("() => document.querySelector('#viewer-position').textContent === 'Ceremony · 2 / 3'")
        page.click("#viewer-heart")
        page.wait_for_selector("#viewer-heart[aria-pressed=true]")
        assert page.inner_text("#selection-count") == "2 of 2 selected"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('#viewer-position').textContent === 'Ceremony · 3 / 3'")
        page.click("#viewer-heart")
        page.wait_for_selector("#toast:not([hidden])")
        assert "the most this gallery allows" in page.inner_text("#toast")
        assert page.get_attribute("#viewer-heart", "aria-pressed") == "false"
        screenshot(page, "05-limit")

        # 5. Download this photo (policy: full size for the client).
        with page.expect_download() as download_info:
            page.click("#viewer-download")
        download = download_info.value
        assert download.suggested_filename == "IMG_0005.jpg"  # the third photo of Ceremony
        with open(download.path(), "rb") as file:
            assert file.read(3) == b"\xff\xd8\xff"

        # 6. Submit the selection.
        page.click("#viewer-close")
        page.click("#submit-selection")
        page.wait_for_function("() => document.querySelector('#toast').textContent.includes('Thank you')")
        assert page.inner_text("#selection-count") == "Your selection has been submitted."
        assert page.locator(".tile .heart-mark").count() == 2
        screenshot(page, "06-submitted")
        with app.app_context():
            selection = db.session.scalar(select(Selection))
            assert selection is not None and selection.status == "submitted"
        # The photographer was told (a second mail after the code).
        assert len(smtp_server.wait_for(2)) >= 2

        # 7. Switch language: remembered, and the screens speak Norwegian.
        page.select_option("#lang-select", "nb")
        page.wait_for_function("() => document.documentElement.lang === 'nb'")
        page.wait_for_selector(".tile img.loaded")
        # the action bar comes with the page's second part, once the first screen is complete
        page.wait_for_function("() => document.querySelector('#selection-count').textContent !== ''")
        assert page.inner_text("#selection-count") == "Utvalget ditt er sendt inn."
        assert "?lang" not in page.url
        screenshot(page, "07-norwegian")
        page.reload()
        assert page.evaluate("document.documentElement.lang") == "nb"

    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    assert page.problems == [], page.problems


def test_a_shared_photo_link_opens_the_viewer_on_it(live_server, phone, make_shared_gallery):
    shared = make_shared_gallery(photos=30)
    target = shared.photos[27]
    phone.goto(f"{live_server}{shared.path}/p/{target.id}")
    phone.wait_for_selector("#viewer[open]")
    assert phone.inner_text("#viewer-position") == "28 / 30"
    assert phone.get_attribute("#viewer-img", "alt") == target.original_filename
    phone.click("#viewer-close")
    # The address goes back when the dialog's close event fires, a moment after the click.
    phone.wait_for_function("path => location.pathname === path", arg=shared.path)
    assert phone.problems == []


def test_expired_link_in_the_browser_shows_the_contact(live_server, phone, make_shared_gallery):
    shared = make_shared_gallery(photos=1, link={"revoked": True})
    response = phone.goto(live_server + shared.path)
    assert response.status == 410
    assert phone.locator(f"a[href='mailto:{shared.photographer.email}']").is_visible()
    screenshot(phone, "08-expired")


def test_add_to_cart_and_check_out_on_a_phone(app, live_server, phone, make_shared_gallery, smtp_server):
    from gallery.store import services as store
    from gallery.store.models import Order

    shared = make_shared_gallery(photos=3, title="Family")
    sheet = store.create_price_sheet(shared.photographer.id, {"name": "Prints", "currency": "EUR", "payment_instructions": "Bank transfer to 1234.56.78903, reference: the order number.", "products": [
        {"kind": "print", "name": "Print 20x30", "price": 2500},
        {"kind": "digital_photo", "name": "Full-size download", "price": 1000}]})
    shared.gallery.price_sheet_id = sheet.id
    db.session.commit()
    page = phone
    with smtp_server.configured(app):
        page.goto(live_server + shared.path)
        page.wait_for_selector("#cart-open:not([hidden])")
        page.locator(".tile button.open").nth(1).click()
        page.click("#viewer-cart")
        page.wait_for_selector("#identify[open]")
        page.fill("#identify-address", "kari@example.com")
        page.click("#identify-email button[type=submit]")
        page.wait_for_selector("#identify-code:not([hidden])")
        page.fill("#identify-code-input", _code_from(smtp_server.wait_for(1)[-1]))
        page.click("#identify-code button[type=submit]")

        # The cart sheet opens on the photo: pick a print, two of them.
        page.wait_for_selector("#cart[open] #product-form:not([hidden])")
        assert page.locator("#product-select option").all_inner_texts() == ["Print 20x30 · €25.00",
                                                                          "Full-size download · €10.00"]
        page.fill("#product-quantity", "2")
        page.click("#product-form button[type=submit]")
        page.wait_for_selector("#checkout-form:not([hidden])")
        assert "Print 20x30" in page.inner_text("#cart-body")
        assert page.input_value("#cart-body .quantity") == "2"
        assert page.locator("#cart-body .line-thumb img").count() == 1  # the photo in the line
        assert page.inner_text("#cart-count") == "2"
        screenshot(page, "09-cart")

        # Prints need an address: the browser will not submit without one; then the order is placed.
        assert page.locator("#shipping").is_visible()
        page.fill("#ship-name", "Kari Nordmann")
        page.fill("#ship-line1", "Fjordveien 1")
        page.fill("#ship-postal", "5003")
        page.fill("#ship-city", "Bergen")
        page.select_option("#ship-country", "NO")
        page.click("#checkout-form button[type=submit]")
        page.wait_for_selector("#order-placed:not([hidden])")
        assert "order has been placed" in page.inner_text("#order-placed")
        assert page.inner_text("#cart-count") == "0"
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert order.total >= 5000 and order.shipping_address["country"] == "NO"
        assert [(item.product_name, item.quantity, item.photo_id) for item in order.items] == [
            ("Print 20x30", 2, shared.photos[1].id)]
    assert phone.problems == []


def test_download_asks_for_the_pin_and_says_when_it_is_wrong(live_server, phone, make_shared_gallery):
    from gallery.galleries import services as galleries

    shared = make_shared_gallery(photos=2, role="guest")
    galleries.update_gallery(shared.photographer.id, shared.gallery.id,
                             {"download_pin": "4321", "download_policy": {"client": "full", "guest": "web"}})
    db.session.commit()
    page = phone
    page.goto(live_server + shared.path)
    page.locator(".tile button.open").first.click()
    page.click("#viewer-download")
    page.wait_for_selector("#pin[open]")
    page.fill("#pin-input", "1111")
    page.click("#pin-form button[type=submit]")
    page.wait_for_selector("#pin[open] .form-error:not([hidden])")
    assert page.inner_text("#pin .form-error") == "That PIN is not right."
    screenshot(page, "10-pin")
    page.fill("#pin-input", "4321")
    with page.expect_download() as download_info:
        page.click("#pin-form button[type=submit]")
    download = download_info.value
    assert download.suggested_filename == "IMG_0001.jpg"
    with open(download.path(), "rb") as file:
        assert file.read(3) == b"\xff\xd8\xff"  # the web-size JPEG: guests get no original
    # The wrong PIN was answered 403 (a console line); nothing else went wrong.
    assert [p for p in page.problems if "403" not in p] == []
