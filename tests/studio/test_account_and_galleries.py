"""The studio in a real browser, in two languages: account (sign up, log in, log out, language) and galleries
(list with cover, state and counts; search and filter; create with a client made inline; every setting;
publish, unpublish, archive, delete with a confirmation)."""
from datetime import timedelta

from gallery.core import clock
from gallery.extensions import db
from gallery.galleries.models import Gallery


def test_sign_up_log_out_log_in_and_language(studio, app):
    page = studio.page
    studio.open("signup")
    page.wait_for_selector("#studio_name")
    studio.axe("signup")
    studio.shot("signup")
    page.fill("#studio_name", "Fjordlys Foto")
    page.fill("#email", "anna@fjordlys.example")
    page.fill("#password", "short")
    page.click("form button[type=submit]")
    page.wait_for_selector(".field.invalid")  # the API's per-field error, shown on the field
    page.fill("#password", "a long secret 42")
    page.click("form button[type=submit]")
    page.wait_for_selector(f"h1:has-text({studio.t('home.title')!r})")  # the home is where the studio opens
    assert page.locator(".brand-name").inner_text() == "Fjordlys Foto"
    page.click("a.nav-item[href='#/galleries']")
    page.wait_for_selector(f"h1:has-text({studio.t('galleries.title')!r})")
    studio.axe("empty galleries")

    page.click(f"button.nav-item:has-text({studio.t('nav.logout')!r})")
    page.wait_for_selector("#email")
    page.fill("#email", "anna@fjordlys.example")
    page.fill("#password", "not the password")
    page.click("form button[type=submit]")
    page.wait_for_selector(f".form-error:has-text({studio.t('auth.wrong')!r})")
    page.fill("#password", "a long secret 42")
    page.click("form button[type=submit]")
    page.wait_for_selector("nav.sidebar")

    # The studio's language is stored on the account and the page follows at once.
    other = "pl" if studio.lang == "en" else "en"
    page.click("a.nav-item[href='#/account']")
    page.select_option("#a-lang", other)
    page.click("form button[type=submit]")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    page.wait_for_selector("a.nav-item:has-text('Galerie')" if other == "pl" else "a.nav-item:has-text('Galleries')")
    studio.axe("account")
    assert app.test_client()  # the account changed through the API:
    from gallery.accounts.models import Photographer
    db.session.expire_all()
    assert db.session.scalar(db.select(Photographer.locale).where(Photographer.email == "anna@fjordlys.example")) == other
    assert studio.errors == []


def test_galleries_list_create_settings_publish_archive_delete(studio, make_photographer, make_gallery, make_photo,
                                                               make_share_link, visitor_actions, make_client):
    photographer, _ = make_photographer(email="eva@studio.example", studio_name="Eva Studio", locale=studio.lang)
    now = clock.now()
    wedding = make_gallery(photographer, publish=True, title="Kari & Ola", selection_limit=2,
                           client_id=make_client(photographer, name="Kari Nordmann").id)
    photos = [make_photo(wedding, filename=f"DSC_{i}.jpg") for i in range(3)]
    visitor = visitor_actions(make_share_link(wedding), "kari@example.com", "Kari")
    visitor.favourite(photos[0].id)
    visitor.submit()
    make_gallery(photographer, publish=True, title="Baby Emma", expires_at=now + timedelta(days=2), event_type="newborn")
    make_gallery(photographer, title="Old shoot", status="archived")

    page = studio.page
    studio.login("eva@studio.example")
    studio.open("galleries")
    page.wait_for_selector(".card")
    assert page.locator(".card").count() == 3
    card = page.locator(".card", has_text="Kari & Ola")
    assert card.locator(".badge").inner_text().lower() == studio.t("state.published").lower()
    assert card.locator(".stats dd").all_inner_texts()[:1] == ["3"]
    assert "1" in card.locator(".card-selection").inner_text()
    expiring = page.locator(".card", has_text="Baby Emma")
    assert expiring.locator(".badge").inner_text().lower() == studio.t("state.expiring").lower()
    studio.axe("galleries")
    studio.shot("galleries")

    page.fill("#gallery-search", "nordmann")
    page.wait_for_function("document.querySelectorAll('.card').length === 1")
    page.fill("#gallery-search", "")
    page.wait_for_function("document.querySelectorAll('.card').length === 3")
    page.click(f".chip:has-text({studio.t('state.archived')!r})")
    page.wait_for_function("document.querySelectorAll('.card').length === 1")
    assert "Old shoot" in page.locator(".card").inner_text()
    page.click(f".chip:has-text({studio.t('galleries.all')!r})")
    page.wait_for_function("document.querySelectorAll('.card').length === 3")

    # Create, with a client made inline.
    page.click(f"button:has-text({studio.t('galleries.new')!r})")
    page.fill("#new-title", "Lena & Tor")
    page.select_option("#client", "__new")
    page.fill("#client-name", "Lena Berg")
    page.fill("#client-email", "lena@example.com")
    page.select_option("#new-event", "engagement")
    page.fill("#new-date", "2026-08-14")
    studio.axe("new gallery dialog")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("h1:has-text('Lena & Tor')")
    created = db.session.scalar(db.select(Gallery).where(Gallery.title == "Lena & Tor"))
    assert created.event_type == "engagement" and str(created.shoot_date) == "2026-08-14" and created.client_id
    created_id = created.id

    # Every setting, saved through PATCH.
    page.click("a.tab[href$='/settings']")
    page.wait_for_selector("#s-title")
    page.fill("#s-description", "Engagement at the lighthouse")
    page.fill("#s-expires", "2027-01-31T18:00")
    page.fill("#s-password", "lighthouse")
    page.fill("#s-limit", "25")
    page.select_option("#s-dl-client", "full")
    page.select_option("#s-dl-guest", "none")
    page.fill("#s-pin", "4321")
    page.fill("#s-dl-limit", "10")
    page.check("input[name=watermark]")
    page.fill("#s-slug", "lena-tor")
    studio.axe("settings")
    studio.shot("settings")
    page.click(f"button[type=submit]:has-text({studio.t('common.save')!r})")
    studio.toast(studio.t("settings.saved"))
    db.session.expire_all()
    created = db.session.get(Gallery, created.id)
    assert (created.description, created.selection_limit, created.download_policy, created.watermark, created.slug,
            created.download_limit) == ("Engagement at the lighthouse", 25, {"client": "full", "guest": "none"}, True,
                                        "lena-tor", 10)
    assert created.password_hash and created.download_pin_hash and created.expires_at.year == 2027

    # Publish, unpublish, archive, restore.
    page.click(f"button:has-text({studio.t('gallery.publish')!r})")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('state.published')!r})")
    page.click(f"button:has-text({studio.t('gallery.unpublish')!r})")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('state.draft')!r})")
    page.click(f".head-actions button:has-text({studio.t('gallery.archive')!r})")
    page.click(f"dialog button:has-text({studio.t('gallery.archive')!r})")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('state.archived')!r})")
    db.session.expire_all()
    assert db.session.get(Gallery, created.id).status == "archived"
    page.click(f"button:has-text({studio.t('gallery.restore')!r})")
    page.wait_for_selector(f".gallery-title .badge:has-text({studio.t('state.draft')!r})")

    # Delete asks first; cancelling keeps it.
    page.click("a.tab[href$='/settings']")
    page.click(f"button:has-text({studio.t('settings.delete')!r})")
    page.wait_for_selector("dialog[open]")
    studio.axe("delete confirmation")
    page.click(f"dialog button:has-text({studio.t('common.cancel')!r})")
    assert db.session.get(Gallery, created.id) is not None
    page.click(f"button:has-text({studio.t('settings.delete')!r})")
    page.click("dialog button.danger")
    page.wait_for_selector(".card")
    db.session.expire_all()
    assert db.session.get(Gallery, created_id) is None
    assert studio.errors == []


def test_account_password_tokens_origins_and_time_zone(studio, client, make_photographer):
    from gallery.accounts.models import ApiToken, Photographer

    photographer, _ = make_photographer(email="mia@studio.example", locale=studio.lang)
    studio.login("mia@studio.example")
    page = studio.page
    studio.open("account")
    page.wait_for_selector("#a-zone")
    page.select_option("#a-zone", "Europe/Warsaw")
    page.locator("form", has=page.locator("#a-zone")).locator("button[type=submit]").click()
    page.wait_for_selector(".toast")
    page.fill("#a-pw0", "correct horse battery")  # the current password (the studio fixture signs in with it)
    page.fill("#a-pw", "a brand new secret 7")
    page.fill("#a-pw2", "a brand new secret 7")
    page.locator("form", has=page.locator("#a-pw")).locator("button[type=submit]").click()
    page.fill("#token-name", "Laptop uploader")
    page.press("#token-name", "Enter")
    page.wait_for_selector(".notice code")
    issued = page.locator(".notice code").inner_text()
    assert issued.startswith("gph_")
    page.fill("#a-origins", "https://www.mia-foto.example\nhttps://shop.mia-foto.example")
    page.locator("form", has=page.locator("#a-origins")).locator("button[type=submit]").click()
    studio.axe("account")
    studio.shot("account")

    def saved():
        db.session.expire_all()
        row = db.session.get(Photographer, photographer.id)
        return row.timezone == "Europe/Warsaw" and row.allowed_origins == [
            "https://www.mia-foto.example", "https://shop.mia-foto.example"]

    from tests.plugins.uploads import wait_for
    wait_for(saved, timeout=10)
    row = page.locator("table tr", has_text="Laptop uploader")
    row.locator("button").click()
    page.click("dialog button.danger")
    wait_for(lambda: db.session.scalar(db.select(ApiToken.revoked_at).where(ApiToken.name == "Laptop uploader"))
             or db.session.expire_all(), timeout=10)
    answer = client.post("/api/v1/auth/login", json={"email": "mia@studio.example", "password": "a brand new secret 7"})
    assert answer.status_code == 200
    assert studio.errors == []
