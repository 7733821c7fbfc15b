"""The page on a narrow phone (390x844) in Norwegian and Polish: bars and sheets fit the screen, dates and
counts read in the page's language, checkout guesses the right country and itemises the order's totals."""
from __future__ import annotations

import re
from datetime import date

import pytest

from gallery.extensions import db
from tests.pages.conftest import screenshot

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b(\d{6})\b")
# Elements whose right edge must stay on screen, and which must not scroll sideways.
OVERFLOW = """(selectors) => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      if (!element.getClientRects().length) continue;
      const box = element.getBoundingClientRect();
      if (box.right > width + 0.5 || box.left < -0.5 || element.scrollWidth > element.clientWidth + 1) {
        out.push(`${selector}#${element.id}: ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
      }
    }
  }
  return out;
}"""
BARS = [".topbar", ".studio", ".lang-form", ".toolbar", ".toolbar .tool", ".actionbar", ".actionbar > *"]
SHEET = ["#cart", "#cart fieldset", "#cart input", "#cart select", "#cart .button"]
WORDS = {
    "nb": {"date": "20. juni 2026", "country": "NO", "shipping": "Frakt", "subtotal": "Delsum", "matte": "Matt"},
    "pl": {"date": "20 czerwca 2026", "country": "PL", "shipping": "Wysyłka", "subtotal": "Suma częściowa", "matte": "Matowe"},
}


@pytest.fixture
def narrow(chromium):
    playwright, browser = chromium
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=1, locale="en-US")
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def _single_line(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """(element) => {
      const line = parseFloat(getComputedStyle(element).lineHeight) || 24;
      const padding = parseFloat(getComputedStyle(element).paddingTop) + parseFloat(getComputedStyle(element).paddingBottom);
      return element.getBoundingClientRect().height - padding < line * 1.6; }""")


@pytest.mark.parametrize("language", ["nb", "pl"])
def test_narrow_phone_checkout_fits_and_speaks_the_language(app, live_server, narrow, make_shared_gallery,
                                                            smtp_server, language):
    from gallery.store import services as store

    shared = make_shared_gallery(photos=3, title="Ingrid & Jonas", selection_limit=40,
                                 shoot_date=date(2026, 6, 20))
    sheet = store.create_price_sheet(shared.photographer.id, {
        "name": "Prints", "currency": "EUR", "shipping_flat": 7900,
        "payment_instructions": "Bank transfer to 1234.56.78903, the order number as reference.",
        "products": [{"kind": "print", "name": "Print 20x30", "price": 24900}]})
    shared.gallery.price_sheet_id = sheet.id
    db.session.commit()
    words = WORDS[language]
    page = narrow
    with smtp_server.configured(app):
        page.goto(f"{live_server}{shared.path}?lang={language}")
        page.wait_for_selector("#cart-open:not([hidden])")
        assert page.inner_text(".hero-meta time") == words["date"]
        page.locator(".tile button.open").nth(0).click()
        page.click("#viewer-cart")
        page.wait_for_selector("#identify[open]")
        assert page.evaluate("document.activeElement.id") == "identify-name"  # the first field
        page.fill("#identify-address", "ingrid@example.com")
        page.click("#identify-email button[type=submit]")
        page.wait_for_selector("#identify-code:not([hidden])")
        message = smtp_server.wait_for(1)[-1]
        text = message["Subject"] + " " + message.get_body(preferencelist=("plain",)).get_content()
        page.fill("#identify-code-input", CODE.search(text).group(1))
        page.click("#identify-code button[type=submit]")

        page.wait_for_selector("#cart[open] #product-form:not([hidden])")
        assert page.locator("#cart-body").inner_text() == ""  # no "cart is empty" above the add form
        # A print offers its finish and border, defaults shown; the choice travels with the line.
        assert page.input_value("#product-option-finish") == "lustre"
        assert page.input_value("#product-option-border") == "false"
        page.select_option("#product-option-finish", "matte")
        page.select_option("#product-option-border", "true")
        page.click("#product-form button[type=submit]")
        page.wait_for_selector("#shipping:not([hidden])")
        page.wait_for_selector("#ship-country option[value=NO]", state="attached")
        assert page.input_value("#ship-country") == words["country"]
        assert page.evaluate(OVERFLOW, SHEET) == []
        box = page.locator("#cart").bounding_box()
        assert box["y"] + box["height"] <= 844 - 8  # a margin from the bottom edge
        screenshot(page, f"narrow-{language}-checkout")

        page.fill("#ship-name", "Ingrid Hansen")
        page.fill("#ship-line1", "Storgata 1")
        page.fill("#ship-postal", "0155")
        page.fill("#ship-city", "Oslo")
        page.click("#checkout-form button[type=submit]")
        page.wait_for_selector("#order-placed:not([hidden])")
        assert page.locator("#cart-body").inner_text() == ""  # said once: the order, not an empty cart
        totals = page.inner_text("#order-placed .totals")
        assert words["subtotal"] in totals and words["shipping"] in totals and "79,00" in totals
        assert "328,00" in totals
        assert words["matte"] in page.inner_text("#order-placed .cart-line")
        screenshot(page, f"narrow-{language}-placed")
        page.click("#cart button[data-close]")
        page.click("#viewer-close")
        page.wait_for_selector("#actionbar:not([hidden])")
        page.mouse.wheel(0, 600)

        assert page.evaluate(OVERFLOW, BARS) == []
        for selector in ("#selection-count", "#submit-selection", "#cart-open"):
            if page.locator(selector).is_visible():
                assert _single_line(page, selector), selector
        screenshot(page, f"narrow-{language}-bars")
    assert page.problems == []
    from sqlalchemy import select

    from gallery.store.models import Order
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert order.items[0].options == {"finish": "matte", "border": True}
