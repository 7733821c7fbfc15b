"""What the photographer typed survives a re-render. The studio's forms are uncontrolled (defaultValue,
defaultChecked, selected options): data arriving after a form is drawn (the price sheets), or a change
elsewhere in it (a money field), must not put the saved values back into the fields already filled in."""
import pytest

from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.store.models import Coupon


def _hold(page, pattern):
    """Answer requests matching `pattern` only when released (a slow network, made deterministic)."""
    held = []

    def hold(route):
        held.append(route)

    page.route(pattern, hold)

    def release():
        for _ in range(200):
            if held:
                break
            page.wait_for_timeout(25)
        assert held, f"the page never asked for {pattern}"
        for route in held:
            route.continue_()
        page.unroute(pattern, hold)
    return release


@pytest.mark.parametrize("lang", ["en"])
def test_gallery_settings_keep_what_was_typed_when_the_price_sheets_arrive(studio, make_photographer, make_gallery):
    photographer, _ = make_photographer(email="ida@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, title="Harbour")
    studio.login("ida@studio.example")
    page = studio.page
    release = _hold(page, "**/api/v1/price-sheets*")
    studio.open(f"g/{gallery.id}/settings")
    page.wait_for_selector("#s-expires")
    page.fill("#s-expires", "2027-03-01T12:00")
    page.fill("#s-limit", "30")
    page.fill("#s-slug", "harbour-day")
    page.select_option("#s-dl-guest", "none")
    page.check("input[name=watermark]")
    release()
    page.wait_for_selector("#s-sheet")  # the sheets arrived and the form was drawn again
    assert page.input_value("#s-expires") == "2027-03-01T12:00"
    assert page.input_value("#s-limit") == "30" and page.input_value("#s-slug") == "harbour-day"
    assert page.input_value("#s-dl-guest") == "none" and page.is_checked("input[name=watermark]")
    page.click(f"button[type=submit]:has-text({studio.t('common.save')!r})")
    studio.toast(studio.t("settings.saved"))
    db.session.expire_all()
    saved = db.session.get(Gallery, gallery.id)
    assert saved.expires_at.year == 2027 and saved.selection_limit == 30 and saved.slug == "harbour-day"
    assert saved.download_policy["guest"] == "none" and saved.watermark
    assert not studio.errors


@pytest.mark.parametrize("lang", ["en"])
def test_new_coupon_keeps_its_dates_when_a_money_field_redraws_the_dialog(studio, make_photographer):
    make_photographer(email="ola@studio.example", locale=studio.lang)
    studio.login("ola@studio.example")
    studio.open("store/coupons")
    page = studio.page
    page.wait_for_selector(".empty")
    page.click(f"button:has-text({studio.t('store.coupon.new')!r})")
    page.fill("#c-code", "AUTUMN27")
    page.fill("#c-until", "2027-10-31T23:59")
    page.fill("#c-max", "15")
    page.check("input[name=once_per_client]")
    page.select_option("#c-kind", "amount")  # state changes: the dialog is drawn again
    page.fill("#c-amount", "100")
    page.fill("#c-minimum", "500")
    page.locator("#c-minimum").blur()
    assert page.input_value("#c-until") == "2027-10-31T23:59" and page.input_value("#c-max") == "15"
    assert page.is_checked("input[name=once_per_client]")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("table.coupons tbody tr")
    coupon = db.session.scalar(db.select(Coupon).where(Coupon.code == "AUTUMN27"))
    assert coupon.valid_until.year == 2027 and coupon.max_uses == 15 and coupon.max_uses_per_client == 1
    assert not studio.errors
