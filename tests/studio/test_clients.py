"""The client screens in a real browser at 1280x800, in two languages: the list with search and filters,
create and edit with consent, a client's page with their history, export and import of CSV (preview with
row errors, then the import), and the client's data rights (download, erase with the report)."""
import csv
import io
import zipfile
from datetime import date

from sqlalchemy import select

from gallery.clients.models import Client
from gallery.extensions import db

ROWS = ".client-table tbody tr"


def wait_rows(page, n, *names):
    """Wait until the table shows `n` rows (and these names): a stale answer can have the right count."""
    if n:
        page.wait_for_function("([selector, n, names]) => { const rows = [...document.querySelectorAll(selector)];"
                               " return rows.length === n && names.every((name) => rows.some((row) =>"
                               " row.textContent.includes(name))); }", arg=[ROWS, n, list(names)])
    else:
        page.wait_for_selector(".empty")


def fresh(email):
    db.session.expire_all()
    return db.session.scalar(select(Client).where(Client.email == email))


def test_list_search_filters_create_and_edit_with_consent(studio, make_photographer, make_client, make_gallery,
                                                           client_with_history):
    photographer, _ = make_photographer(email="eva@studio.example", studio_name="Eva Studio", locale=studio.lang,
                                        timezone="Europe/Warsaw")
    client_with_history(photographer, locale="nb", tags=["vip"], marketing_consent=True, consent_source="booking form")
    make_client(photographer, name="Ola Hansen", email="ola@example.no", locale="nb")
    zofia = make_client(photographer, name="Zofia Nowak", email="zofia@example.pl", locale="pl")
    make_gallery(photographer, publish=True, client_id=zofia.id, event_type="newborn", shoot_date=date(2020, 1, 5))

    page = studio.page
    studio.login("eva@studio.example")
    page.click("a.nav-item[href='#/clients']")
    wait_rows(page, 3)
    kari = page.locator(ROWS, has_text="Kari Nordmann")
    assert "2" in kari.locator("td.num").inner_text() and "vip" in kari.inner_text()
    assert kari.locator(".badge").inner_text().lower() == studio.t("clients.consent.yes").lower()
    # The search box shows its whole placeholder (measured in the input's own font).
    assert page.evaluate("""() => { const input = document.querySelector('#client-search'), style = getComputedStyle(input);
      const context = document.createElement('canvas').getContext('2d'); context.font = style.font;
      return context.measureText(input.placeholder).width + parseFloat(style.paddingLeft) + 22 <= input.clientWidth; }""")
    studio.axe("clients")
    studio.shot("clients")

    page.fill("#client-search", "zofia")
    wait_rows(page, 1, "Zofia")
    page.fill("#client-search", "")
    wait_rows(page, 3)
    page.select_option("#cf-consent", "true")
    wait_rows(page, 1, "Kari")
    page.select_option("#cf-consent", "")
    page.select_option("#cf-event_type", "newborn")
    wait_rows(page, 1, "Zofia")
    page.select_option("#cf-last_shoot", "before:3")
    wait_rows(page, 1, "Zofia")
    page.select_option("#cf-last_shoot", "within:1")
    wait_rows(page, 0)
    page.click(f"button:has-text({studio.t('clients.clearFilters')!r})")
    wait_rows(page, 3)
    page.select_option("#cf-locale", "nb")
    wait_rows(page, 2, "Kari", "Ola")
    page.select_option("#cf-spend", "1")
    wait_rows(page, 1, "Kari")
    studio.shot("clients-filtered")
    page.click(f"button:has-text({studio.t('clients.clearFilters')!r})")
    wait_rows(page, 3)

    # Create: consent is never ticked for the photographer, and granting it asks how it was given.
    page.click(f"button:has-text({studio.t('clients.new')!r})")
    page.wait_for_selector("#c-name")
    assert not page.is_checked("#c-consent")
    # A new client starts in the studio's language and time zone.
    assert (page.input_value("#c-locale"), page.input_value("#c-zone")) == (studio.lang, "Europe/Warsaw")
    page.fill("#c-name", "Maja Berg")
    page.fill("#c-email", "maja@example.no")
    page.fill("#c-phone", "+47 912 34 567")
    page.select_option("#c-locale", "nb")
    page.select_option("#c-zone", "Europe/Oslo")
    page.fill("#c-tags", "newborn, referral")
    page.click(f"button:has-text({studio.t('clients.form.addDate')!r})")
    page.select_option("#d-kind-0", "child_birth")
    page.fill("#d-date-0", "2025-03-02")
    page.fill("#c-notes", "Prefers mornings.")
    page.check("#c-consent")
    page.wait_for_selector("#c-source")
    studio.axe("client form")
    studio.shot("client-new")
    page.click("dialog button[type=submit]")
    page.wait_for_selector(".field.invalid #c-source")
    page.fill("#c-source", "booking form on the website")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("h1:has-text('Maja Berg')")
    maja = fresh("maja@example.no")
    assert maja.marketing_consent and maja.consent_source == "booking form on the website" and maja.consent_given_at
    assert maja.tags == ["newborn", "referral"] and maja.timezone == "Europe/Oslo" and maja.locale == "nb"
    assert [(d.kind, d.date) for d in maja.important_dates] == [("child_birth", date(2025, 3, 2))]

    # Edit: withdrawing is recorded too.
    page.click(f"button:has-text({studio.t('clients.edit')!r})")
    page.wait_for_selector("#c-consent:checked")
    assert page.locator("#c-source").count() == 0  # a consent held is not asked for again
    page.uncheck("#c-consent")
    page.wait_for_selector(".client-consent .notice")
    page.fill("#c-name", "Maja Berg Hansen")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("h1:has-text('Maja Berg Hansen')")
    maja = fresh("maja@example.no")
    assert maja.marketing_consent is False and maja.consent_withdrawn_at and maja.consent_source
    page.wait_for_selector(".client-facts .consent-record")
    assert studio.errors == []


def test_client_page_history_and_data_rights(studio, make_photographer, client_with_history):
    photographer, _ = make_photographer(email="eva@studio.example", studio_name="Eva Studio", locale=studio.lang)
    client, gallery, order = client_with_history(photographer, important_dates=[{"kind": "wedding",
                                                                                  "date": date(2025, 6, 14)}],
                                                 notes="Loves the fjord light.", tags=["vip"])
    page = studio.page
    studio.login("eva@studio.example")
    studio.open(f"clients/{client.id}")
    page.wait_for_selector("h1:has-text('Kari Nordmann')")
    page.wait_for_selector("#messages-title")
    assert page.locator(f"a[href='#/g/{gallery.id}/photos']").count() == 1
    assert page.locator(f"a[href='#/store/orders/{order.id}']").count() == 1
    results = page.locator(".client-section .badge[class*=result-]").all_inner_texts()
    assert sorted(r.lower() for r in results) == sorted(studio.t(f"clients.result.{k}").lower()
                                                        for k in ("opened", "clicked", "delivered", "failed"))
    assert "mailbox unavailable" in page.inner_text("#messages-title + table")
    assert "VIP" in page.inner_text(".client-tier")
    assert "9/10" in page.inner_text(".survey-list") and "Wonderful photos" in page.inner_text(".survey-list")
    assert "2" in page.inner_text(".client-value .ltv")
    assert "Loves the fjord light." in page.inner_text(".client-notes")
    studio.axe("client page")
    studio.shot("client-page")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    studio.shot("client-page-bottom")

    with page.expect_download() as download:
        page.click(f"button:has-text({studio.t('clients.rights.export')!r})")
    archive = zipfile.ZipFile(download.value.path())
    assert "client.json" in archive.namelist()
    assert b"kari@example.no" in archive.read("client.json")

    page.click(f"button:has-text({studio.t('clients.rights.erase')!r})")
    page.wait_for_selector(f"dialog button:has-text({studio.t('clients.erase.confirm')!r})")
    page.click(f"dialog button:has-text({studio.t('common.cancel')!r})")
    assert fresh("kari@example.no") is not None
    page.click(f"button:has-text({studio.t('clients.rights.erase')!r})")
    page.click(f"dialog button:has-text({studio.t('clients.erase.confirm')!r})")
    page.wait_for_selector(".erase-report")
    report = page.inner_text(".erase-report")
    assert studio.t("clients.kept.ordersWhy") in report and studio.t("clients.removed.messages") in report
    studio.axe("erase report")
    studio.shot("client-erased")
    assert fresh("kari@example.no") is None
    page.click(f".dialog-foot button:has-text({studio.t('common.close')!r})")
    page.wait_for_selector(".client-filters")
    assert studio.errors == []


def other_tool_file(n, bad=()):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["First name", "Last name", "E-mail", "Phone", "Tags", "Wedding date", "Newsletter", "Source"])
    for i in range(n):
        writer.writerow([f"Ingrid{i}", f"Lie{i}", "broken-address" if i in bad else f"ingrid{i}@example.no",
                         f"+47 40{i:06d}", "wedding", f"{1 + i % 28:02d}.06.2024", "yes" if i % 2 else "no", "fair"])
    return ("\ufeff" + out.getvalue()).encode()


def test_import_preview_errors_commit_and_export(studio, make_photographer, make_client):
    photographer, _ = make_photographer(email="eva@studio.example", studio_name="Eva Studio", locale=studio.lang)
    make_client(photographer, name="=HYPERLINK(\"http://evil.example\")", email="evil@example.com")
    make_client(photographer, name="Ingrid Lie", email="ingrid1@example.no", tags=["old"])
    page = studio.page
    studio.login("eva@studio.example")
    page.click("a.nav-item[href='#/clients']")
    wait_rows(page, 2)

    page.click(f"button:has-text({studio.t('clients.import')!r})")
    page.set_input_files("#import-file", files=[{"name": "export.csv", "mimeType": "text/csv",
                                                 "buffer": other_tool_file(300, bad={4, 120})}])
    page.click(f"button:has-text({studio.t('clients.import.preview')!r})")
    page.wait_for_selector(".import-errors")
    assert page.locator(".import-errors tbody tr").count() == 2, page.inner_html(".import-errors")
    assert "E-mail" in page.inner_text(".import-errors")
    assert page.is_disabled("#import-commit")
    assert not page.is_checked("#import-consent")  # consent is read only when the photographer says so
    studio.axe("import preview with errors")
    studio.shot("client-import-errors")

    page.set_input_files("#import-file", files=[{"name": "export.csv", "mimeType": "text/csv",
                                                 "buffer": other_tool_file(300)}])
    page.click(f"button:has-text({studio.t('clients.import.preview')!r})")
    page.wait_for_selector(".import-sample")
    assert page.locator(".import-errors").count() == 0
    page.check("#import-consent")
    page.wait_for_function("!document.querySelector('#import-commit').disabled")
    studio.shot("client-import-ready")
    page.click("#import-commit")
    page.wait_for_selector(".toast")
    wait_rows(page, 50)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Client.id)).where(Client.photographer_id == photographer.id)) == 301
    updated = fresh("ingrid1@example.no")
    assert updated.tags == ["old", "wedding"] and updated.marketing_consent and updated.consent_source == "import"
    assert fresh("ingrid2@example.no").marketing_consent is False

    with page.expect_download() as download:
        page.click(f"a:has-text({studio.t('clients.export')!r})")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 302 and any(r[0].startswith("'=HYPERLINK") for r in rows)
    assert studio.errors == []
