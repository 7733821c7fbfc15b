"""The store in the studio, through the real app at 1280x800: a price sheet with products typed in the
studio's language and currency, a coupon with kind, limits and validity, orders filtered, and an order's page
with the status changes the server allows, tracking, a refund through the payment provider and the history."""
import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from gallery.core import clock
from gallery.core.ids import new_id
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store import services
from gallery.store.models import Coupon, Order, PriceSheet
from tests.plugins.uploads import wait_for
from tests.store.conftest import DEFAULT_PRODUCTS, FakeCheckoutClient

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}
# What a photographer types, in each language: (typed, minor units).
AMOUNTS = {"en": {"price": ("249.50", 24950), "canvas": ("1,200", 120000), "shipping": ("99", 9900)},
           "nb": {"price": ("249,50", 24950), "canvas": ("1 200", 120000), "shipping": ("99", 9900)}}


@pytest.fixture
def online_payments(app):
    """The hosted-checkout provider configured, its network API faked (records refunds)."""
    original = app.config["GALLERY"]
    app.config["GALLERY"] = dataclasses.replace(original, stripe_secret_key="sk_test_x", stripe_webhook_secret="whsec_x")
    fake = app.extensions["store_checkout_client"] = FakeCheckoutClient()
    yield fake
    app.config["GALLERY"] = original
    app.extensions.pop("store_checkout_client", None)


def test_price_sheet_with_products(studio, make_photographer, make_gallery):
    photographer, _ = make_photographer(email="sigrid@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, title="Fjord wedding")
    studio.login("sigrid@studio.example")
    studio.open("store")
    page, amounts = studio.page, AMOUNTS[studio.lang]
    page.wait_for_selector(".empty")
    page.click(f".empty a:has-text({studio.t('store.sheets.new')!r})")
    page.fill("#ps-name", "Wedding 2027")
    # A new sheet starts in the studio's currency (Norwegian: kroner).
    assert page.input_value("#ps-currency") == {"nb": "NOK"}.get(studio.lang, "EUR")
    page.select_option("#ps-currency", "NOK")
    page.fill("#ps-tax", "25")
    page.fill("#ps-shipping", amounts["shipping"][0])
    page.fill("#pp-name-0", "Print 20×30 cm")
    page.fill("#pp-price-0", amounts["price"][0])
    page.click(f"button:has-text({studio.t('store.product.add')!r})")
    page.select_option("#pp-kind-1", "canvas")
    page.fill("#pp-name-1", "Canvas 40×60 cm")
    page.fill("#pp-price-1", "12.345.6")  # not an amount: refused before anything is sent
    page.fill("#ps-instructions", "Vipps 91234567, mark with your order number.")
    page.click("form button[type=submit]")
    page.wait_for_selector(".table.products .error")
    assert db.session.scalar(select(PriceSheet)) is None
    page.fill("#pp-price-1", "9999999")  # an amount, but above what the API takes: its answer shows on the line
    page.click("form button[type=submit]")
    page.wait_for_selector("#pp-price-1[aria-invalid=true]")
    page.wait_for_selector(".table.products tr:nth-child(2) .error")
    assert db.session.scalar(select(PriceSheet)) is None
    page.fill("#pp-price-1", amounts["canvas"][0])
    page.fill("#ps-instructions", "  ")  # manual payment that does not say how: the server refuses, on the field
    page.click("form button[type=submit]")
    page.wait_for_selector(".field.invalid #ps-instructions")
    assert db.session.scalar(select(PriceSheet)) is None
    page.fill("#ps-instructions", "Vipps 91234567, mark with your order number.")
    studio.axe("new price sheet")
    page.click("form button[type=submit]")
    page.wait_for_function("/#\\/store\\/sheets\\/[0-9a-z]{26}$/.test(location.hash)")
    sheet = wait_for(lambda: db.session.scalar(select(PriceSheet)), timeout=10)
    assert (sheet.currency, sheet.tax_rate_bp, sheet.shipping_flat) == ("NOK", 2500, amounts["shipping"][1])
    assert [(p.kind, p.name, p.price) for p in sheet.products] == [
        ("print", "Print 20×30 cm", amounts["price"][1]), ("canvas", "Canvas 40×60 cm", amounts["canvas"][1])]
    assert sheet.payment_instructions.startswith("Vipps")

    # Edit: the canvas first and off sale, the print dearer; money shows as typed in this language.
    page.wait_for_selector("#pp-price-1")
    assert page.input_value("#pp-price-0") == amounts["price"][0]
    page.click("tr:nth-child(2) button[aria-label=%r]" % studio.t("store.product.up"))
    page.uncheck(f"tr:nth-child(1) input[aria-label={studio.t('store.product.active')!r}]")
    page.fill("#pp-price-1", "300")
    studio.shot("store-sheet")
    page.click("form button[type=submit]")
    expected = [("Canvas 40×60 cm", amounts["canvas"][1], False), ("Print 20×30 cm", 30000, True)]

    def saved():
        db.session.expire_all()
        return [(p.name, p.price, p.active) for p in db.session.get(PriceSheet, sheet.id).products] == expected

    wait_for(saved, timeout=10)

    studio.open("store/sheets")
    page.wait_for_selector("table.sheets tbody tr")
    assert "Wedding 2027" in page.inner_text("table.sheets")
    studio.axe("price sheets")
    studio.shot("store-sheets")
    sheet_id, gallery_id = sheet.id, gallery.id
    page.click("table.sheets a")
    # Sold in a gallery: the sheet cannot be deleted from under it until the gallery stops selling from it.
    page.select_option("#ps-assign", gallery_id)
    page.click(f"button:has-text({studio.t('store.sheets.assign')!r})")
    page.wait_for_selector(".plain-list a:has-text('Fjord wedding')")
    assert db.session.scalar(select(Gallery.price_sheet_id).where(Gallery.id == gallery_id)) == sheet_id
    studio.axe("price sheet with a gallery")
    studio.shot("store-sheet-galleries")
    page.click(f"button:has-text({studio.t('store.sheets.delete')!r})")
    page.click("dialog button.danger")
    page.wait_for_selector(".toast.error:has-text('Fjord wedding')")
    page.click(f"button:has-text({studio.t('store.sheets.stopSelling')!r})")
    page.wait_for_selector(f"p.muted:has-text({studio.t('store.sheets.noGalleries')!r})")
    page.click(f"button:has-text({studio.t('store.sheets.delete')!r})")
    page.click("dialog button.danger")
    page.wait_for_function("location.hash === '#/store/sheets'")
    wait_for(lambda: db.session.get(PriceSheet, sheet_id) is None or db.session.expire_all(), timeout=10)
    assert studio.errors == []


def test_coupon(studio, make_photographer):
    make_photographer(email="nora@studio.example", locale=studio.lang)
    studio.login("nora@studio.example")
    studio.open("store/coupons")
    page = studio.page
    page.wait_for_selector(".empty")
    page.click(f"button:has-text({studio.t('store.coupon.new')!r})")
    page.fill("#c-code", "SUMMER27")
    page.select_option("#c-kind", "amount")
    page.select_option("#c-currency", "NOK")
    page.fill("#c-amount", "150")
    page.fill("#c-minimum", "1000")
    page.fill("#c-until", "2027-08-31T23:59")
    page.fill("#c-max", "20")
    page.check("input[name=once_per_client]")
    studio.axe("new coupon")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("table.coupons tbody tr")
    coupon = db.session.scalar(select(Coupon))
    assert (coupon.code, coupon.amount_off, coupon.currency, coupon.minimum_order) == ("SUMMER27", 15000, "NOK", 100000)
    assert (coupon.max_uses, coupon.max_uses_per_client, coupon.valid_until.year) == (20, 1, 2027)

    page.click(f"button:has-text({studio.t('store.coupon.edit')!r})")
    page.fill("#c-max", "30")
    page.click("dialog button[type=submit]")
    studio.toast(studio.t("store.coupon.saved"))
    page.click(f"button:has-text({studio.t('store.coupon.disable')!r})")
    page.wait_for_selector(f".badge:has-text({studio.t('store.coupon.state.disabled')!r})")
    db.session.expire_all()
    coupon = db.session.get(Coupon, coupon.id)
    assert coupon.max_uses == 30 and coupon.disabled_at is not None
    studio.axe("coupons")
    studio.shot("store-coupons")
    assert studio.errors == []


def _shop(make_photographer, make_client, make_gallery, make_photo, lang, **sheet):
    photographer, _ = make_photographer(email=f"ines-{new_id().lower()}@studio.example", locale=lang)
    sheet = services.create_price_sheet(photographer.id, {"name": "Prints", "currency": "NOK",
                                                          "products": [dict(p) for p in DEFAULT_PRODUCTS], **sheet})
    db.session.commit()
    client = make_client(photographer, name="Kari Nordmann", email="kari@example.com")
    gallery = make_gallery(photographer, publish=True, title="Fjord wedding", client_id=client.id, price_sheet_id=sheet.id)
    other = make_gallery(photographer, publish=True, title="Lofoten family", price_sheet_id=sheet.id)
    photos = [make_photo(gallery), make_photo(other)]
    return photographer, client, gallery, other, sheet, photos


def _order(gallery, sheet, photo, buyer, kind="print", quantity=1):
    product = next(p for p in sheet.products if p.kind == kind)
    services.replace_cart(gallery, buyer, [{"product_id": product.id, "photo_id": photo.id, "quantity": quantity}])
    order = services.place_order(gallery, buyer, shipping_address=ADDRESS, return_url="http://gallery.test/g/x")
    db.session.commit()
    return order


def test_orders_filters_status_tracking_and_refund(studio, make_photographer, make_client, make_gallery, make_photo,
                                                   online_payments):
    photographer, client, gallery, other, sheet, photos = _shop(make_photographer, make_client, make_gallery, make_photo,
                                                                studio.lang, payment_provider="stripe")
    kari = services.Buyer(visitor_id=new_id(), client_id=client.id, email="kari@example.com", name="Kari Nordmann")
    ola = services.Buyer(visitor_id=new_id(), client_id=None, email="ola@example.com", name="Ola Hansen")
    first = _order(gallery, sheet, photos[0], kari, quantity=2)
    second = _order(other, sheet, photos[1], ola, kind="canvas")
    old = _order(other, sheet, photos[1], ola)
    db.session.get(Order, old.id).placed_at = clock.now() - timedelta(days=40)
    services.change_order_status(photographer.id, second.id, "paid")
    db.session.commit()

    studio.login(photographer.email)
    studio.open("store/orders")
    page = studio.page
    rows = "table.orders tbody tr"
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 3")
    page.select_option("#o-status", "paid")
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 1")
    assert "Ola Hansen" in page.inner_text(rows)
    page.select_option("#o-status", "")
    page.select_option("#o-gallery", gallery.id)
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 1")
    page.select_option("#o-gallery", "")
    page.select_option("#o-client", client.id)
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 1")
    page.select_option("#o-client", "")
    page.fill("#o-from", (clock.now() - timedelta(days=7)).date().isoformat())
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 2")
    page.fill("#o-q", "ola@")
    page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 1")
    studio.axe("orders")
    studio.shot("store-orders")

    # The order page: lines with pictures, totals, only the steps the server allows now.
    page.click(f"{rows} a")
    page.wait_for_selector(".order-page .order-actions")
    assert page.evaluate("location.hash") == f"#/store/orders/{second.id}"
    assert "/files/" in page.get_attribute(".lines img", "src")  # the line's picture, a signed thumbnail
    actions = page.locator(".order-actions button").all_inner_texts()
    assert actions == [studio.t(f"store.action.{s}") for s in ("in_production", "shipped", "delivered", "refunded")]

    page.click(f".order-actions button:has-text({studio.t('store.action.in_production')!r})")
    page.click("dialog button.primary")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('store.status.in_production')!r})")
    page.fill("#t-number", "70712345678")
    page.fill("#t-url", "https://sporing.posten.no/70712345678")
    page.click(f"button:has-text({studio.t('store.tracking.save')!r})")
    page.wait_for_selector(f"a:has-text({studio.t('store.tracking.follow')!r})")
    page.click(f".order-actions button:has-text({studio.t('store.action.shipped')!r})")
    page.click("dialog button.primary")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('store.status.shipped')!r})")
    studio.axe("order")
    studio.shot("store-order")

    page.click(f".order-actions button:has-text({studio.t('store.action.refunded')!r})")
    page.click("dialog button.danger")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('store.status.refunded')!r})")
    page.wait_for_selector(f".order-page p.muted:has-text({studio.t('store.order.final')!r})")
    assert [r["session"] for r in online_payments.refunds] == [second.payment_reference]
    db.session.expire_all()
    done = db.session.get(Order, second.id)
    assert (done.status, done.tracking, done.tracking_url) == ("refunded", "70712345678", "https://sporing.posten.no/70712345678")
    assert page.locator(".history li").count() == 6  # placed, paid, in production, tracking, shipped, refunded
    studio.shot("store-order-refunded")

    # A step the order no longer allows (it moved elsewhere meanwhile): the server refuses, the page catches up.
    studio.open(f"store/orders/{first.id}")
    page.wait_for_selector(".order-actions")
    services.change_order_status(photographer.id, first.id, "cancelled")
    db.session.commit()
    page.click(f".order-actions button:has-text({studio.t('store.action.paid')!r})")
    page.click("dialog button.primary")
    page.wait_for_selector(".toast.error")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('store.status.cancelled')!r})")
    assert db.session.get(Order, first.id).status == "cancelled"
    assert studio.errors == []
