"""Messages in the studio, in a real browser and two languages: the automatic rules switched on and off and
written in the photographer's own words (two languages, a live preview with a real client, the server's error
for an unknown placeholder next to the field, a test send that arrives, reset to the default), and campaigns
(texts, a segment whose reach and reasons follow the filters, an offer, schedule, cancel, results after the
sweep)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from gallery.extensions import db


def _full_shot(studio, name):
    """The whole page, for looking at the screens below the fold too."""
    from tests.plugins.browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    studio.page.screenshot(path=str(ARTIFACTS / f"studio-{name}-full-{studio.lang}.png"), full_page=True)


def _language_name(page, code):
    """A language's name in the studio's language, as the editor says it in sentences."""
    return page.evaluate("c => new Intl.DisplayNames([document.documentElement.lang], {type: 'language'}).of(c)", code)


def _fill(page, selector, text):
    page.fill(selector, "")
    page.fill(selector, text)


def test_rules_own_words_in_two_languages_preview_error_test_send_and_reset(studio, app, make_photographer,
                                                                             retention_audience, smtp_server):
    from gallery.retention.models import RuleWording
    from gallery.retention.rules import rules_of

    photographer, _ = make_photographer(email="lys@studio.example", studio_name="Lys Studio", locale=studio.lang)
    retention_audience(photographer)
    page = studio.page
    studio.login("lys@studio.example")
    page.click("a.nav-item[href='#/messages']")
    page.wait_for_selector("tr[data-rule=anniversary]")
    assert page.locator("table.rules tbody tr").count() == 9  # every rule but the studio's own digest
    studio.axe("messages rules")
    studio.shot("messages-rules")

    # On/off through the rules API.
    page.click("tr[data-rule=dormant] input[type=checkbox]")
    studio.toast(studio.t("messages.ruleOff", rule=studio.t("messages.rule.dormant")))
    db.session.expire_all()
    assert {r["kind"]: r["enabled"] for r in rules_of(photographer.id)}["dormant"] is False

    # The anniversary's words: the translated default first, previewed with a real client (the first one, Kari).
    page.click("tr[data-rule=anniversary] a.button")
    page.wait_for_function("document.querySelector('#w-subject') && document.querySelector('#w-subject').value.includes('{{ studio_name }}')")
    page.click("button.chip[lang=en]")
    page.wait_for_function("document.querySelector('#w-subject').value === 'A little anniversary greeting from {{ studio_name }}'")
    page.wait_for_selector(".preview-subject:has-text('A little anniversary greeting from Lys Studio')")
    # Kari's gallery is a wedding: the default speaks of the wedding anniversary, not of "a photo session".
    frame = page.frame_locator("iframe.preview-frame")
    frame.locator("text=wedding anniversary").first.wait_for()

    # Own words in English, with a placeholder inserted by its button at the cursor.
    _fill(page, "#w-subject", "{{ client_first_name }}, it is {{ occasion }}!")
    _fill(page, "#w-body", "Dear {{ client_name }},\n\nRemember ")
    page.focus("#w-body")
    page.press("#w-body", "End")
    page.click("button.ph:has(code:text-is('gallery_title'))")
    page.wait_for_function("document.querySelector('#w-body').value.endsWith('Remember {{ gallery_title }}')")
    page.wait_for_selector(".preview-subject:has-text('Kari, it is your wedding anniversary!')")
    frame.locator("text=Remember Kari & Ola").wait_for()
    page.click(f"button.primary:has-text({studio.t('messages.save')!r})")
    studio.toast(studio.t("messages.saved", language=_language_name(page, "en")))

    # An unknown placeholder: the server's error next to the field, live and on save; nothing stored.
    _fill(page, "#w-subject", "Hi {{ first_name }}")
    page.wait_for_selector(".field.invalid .error:has-text('first_name')")
    page.click(f"button.primary:has-text({studio.t('messages.save')!r})")
    page.wait_for_selector(".field.invalid .error:has-text('Unknown placeholder')")
    studio.axe("messages words with an error")
    studio.shot("messages-words-error")
    _fill(page, "#w-subject", "{{ client_first_name }}, it is {{ occasion }}!")
    page.wait_for_selector(".field.invalid", state="detached")

    # Norwegian words: the occasion in Norwegian.
    page.click("button.chip[lang=nb]")
    page.wait_for_function("document.querySelector('#w-subject').value.includes('{{ studio_name }}')")
    _fill(page, "#w-subject", "Gratulerer, {{ client_first_name }}!")
    _fill(page, "#w-body", "Snart er det {{ occasion }}.")
    page.wait_for_selector(".preview-subject:has-text('Gratulerer, Kari!')")
    page.click(f"button.primary:has-text({studio.t('messages.save')!r})")
    studio.toast(studio.t("messages.saved", language=_language_name(page, "nb")))
    page.evaluate("scrollTo(0, 0)")
    studio.shot("messages-words")

    # A test send arrives at the photographer's own address, in the words shown.
    with smtp_server.configured(app):
        page.click(f"button:has-text({studio.t('messages.sendTest')!r})")
        studio.toast(studio.t("messages.testSent", email="lys@studio.example"))
        [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "lys@studio.example" and mail["Subject"] == "[Test] Gratulerer, Kari!"
    # Another client, found by name: the preview follows.
    page.fill("#preview-client-q", "Bea")
    page.wait_for_selector(".preview-subject:has-text('Gratulerer, Bea!')")
    db.session.expire_all()
    stored = {row.locale: row for row in db.session.scalars(select(RuleWording).where(
        RuleWording.photographer_id == photographer.id))}
    assert set(stored) == {"en", "nb"}
    assert stored["en"].subject == "{{ client_first_name }}, it is {{ occasion }}!"

    # Reset to default: English back to the translated default text; Norwegian stays.
    page.click("button.chip[lang=en]")
    page.wait_for_function("document.querySelector('#w-subject').value.startsWith('{{ client_first_name }}')")
    page.click(f"button:has-text({studio.t('messages.reset')!r})")
    page.click(f"dialog button.danger:has-text({studio.t('messages.reset')!r})")
    page.wait_for_function("document.querySelector('#w-subject').value === 'A little anniversary greeting from {{ studio_name }}'")
    db.session.expire_all()
    assert set(db.session.scalars(select(RuleWording.locale).where(RuleWording.photographer_id == photographer.id))) == {"nb"}
    assert studio.errors == []


def test_campaign_reach_follows_filters_schedule_cancel_and_results_after_the_sweep(
        studio, app, make_photographer, retention_audience, make_gallery, smtp_server):
    from gallery.engagement.services import record_event
    from gallery.retention.models import Campaign
    from gallery.retention.sweep import sweep

    photographer, api = make_photographer(email="lys@studio.example", studio_name="Lys Studio", locale=studio.lang,
                                          timezone="UTC")
    people = retention_audience(photographer)
    make_gallery(photographer, publish=True, client_id=people["kari"].id, event_type="family")
    assert api.post("/api/v1/loyalty/tiers", json={"name": "Regular", "min_sessions": 2}).status_code == 201
    page = studio.page
    studio.login("lys@studio.example")
    studio.open("messages/campaigns")
    page.wait_for_selector(f".empty h3:has-text({studio.t('messages.noCampaigns')!r})")
    studio.axe("campaigns empty")
    page.fill("#campaign-name", "Autumn minis")
    page.click(f"button:has-text({studio.t('messages.newCampaign')!r})")
    page.wait_for_selector("h1:has-text('Autumn minis')")

    # Everyone matches at first: two can be mailed, and the three others are left out, each for its reason.
    def reach(reachable, **excluded):
        page.wait_for_function(f"document.querySelector('.reach-count strong')?.textContent === '{reachable}' && "
                               "document.querySelector('.reach')?.getAttribute('aria-busy') === 'false'")
        shown = {li.get_attribute("data-reason"): int(li.locator("strong").inner_text())
                 for li in page.locator(".reasons li").all()}
        assert shown == excluded

    reach(2, no_email=1, no_consent=1, unsubscribed=1)
    page.click(f"label.chip-check:has-text({studio.t('event.newborn')!r}) input")
    reach(0, unsubscribed=1)
    page.click(f"label.chip-check:has-text({studio.t('event.newborn')!r}) input")
    page.click(f"label.chip-check:has-text({studio.t('event.wedding')!r}) input")
    reach(2, no_email=1, no_consent=1)
    page.click("label.chip-check:has(span[lang=nb]) input")
    reach(1)
    page.click("label.chip-check:has(span[lang=nb]) input")
    page.click("label.chip-check:has-text('Regular') input")  # a loyalty tier only Kari (two sessions) is in
    reach(1)
    page.click("label.chip-check:has-text('Regular') input")
    _fill(page, "#seg-dormant", "0")
    page.press("#seg-dormant", "Tab")
    page.wait_for_selector("#seg-dormant_months-error")  # the server's range error on the filter
    _fill(page, "#seg-dormant", "")
    page.press("#seg-dormant", "Tab")
    reach(2, no_email=1, no_consent=1)

    # The mail in English (the default language) and in Norwegian, previewed with Kari.
    page.click("button.chip[lang=en]")
    _fill(page, "#c-subject", "Autumn minis, {{ client_first_name }}")
    _fill(page, "#c-body", "Book a slot.{% if offer %}\n\n{{ offer }}{% endif %}")
    page.wait_for_selector(".preview-subject:has-text('Autumn minis, Kari')")
    page.click("button.chip[lang=nb]")
    _fill(page, "#c-subject", "Høstminis, {{ client_first_name }}")
    _fill(page, "#c-body", "Bestill en tid.")
    page.wait_for_selector(".preview-subject:has-text('Høstminis, Kari')")
    page.check("text=" + studio.t("messages.offerOn"))
    _fill(page, "#c-percent", "15")
    page.press("#c-percent", "Tab")
    page.click(f".form-actions.sticky button:has-text({studio.t('messages.save')!r})")
    studio.toast(studio.t("messages.campaignSaved"))
    studio.axe("campaign editor")
    _full_shot(studio, "campaign-editor")
    page.evaluate("scrollTo(0, 0)")
    studio.shot("campaign-editor")

    # Schedule, cancel, schedule again (the date in the studio's morning: each client's local morning).
    send_on = date.today() + timedelta(days=2)
    page.fill("#c-day", send_on.isoformat())
    page.click(f"button:has-text({studio.t('messages.scheduleIt')!r})")
    page.wait_for_selector(f".badge:has-text({studio.t('messages.status.scheduled')!r})")
    page.click(f"button:has-text({studio.t('messages.cancelCampaign')!r})")
    page.click(f"dialog button.danger:has-text({studio.t('messages.cancelCampaign')!r})")
    page.wait_for_selector(f".badge:has-text({studio.t('messages.status.cancelled')!r})")
    page.click(f"button:has-text({studio.t('messages.scheduleIt')!r})")
    page.wait_for_selector(f".badge:has-text({studio.t('messages.status.scheduled')!r})")
    db.session.expire_all()
    campaign = db.session.scalar(select(Campaign).where(Campaign.photographer_id == photographer.id))
    assert campaign.status == "scheduled" and campaign.send_on == send_on
    assert campaign.segment == {"event_types": ["wedding"]} and campaign.offer["percent_off"] == 15
    assert set(campaign.wording) == {"en", "nb"}

    # The sweep plans it the day before and sends in each client's morning; results show in the studio.
    day_before = datetime.combine(send_on - timedelta(days=1), time(8), tzinfo=UTC)
    with smtp_server.configured(app):
        for moment in (day_before, day_before + timedelta(days=1, minutes=-30), day_before + timedelta(days=1, hours=1, minutes=30)):
            sweep(moment)
        mails = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert sorted(mails) == ["Bea Nordmann <bea@example.test>", "Kari Nordmann <kari@example.test>"]
    assert mails["Kari Nordmann <kari@example.test>"]["Subject"] == "Høstminis, Kari"
    assert "15%" in mails["Bea Nordmann <bea@example.test>"].get_body(("plain",)).get_content()
    sent_at = day_before + timedelta(days=1)
    record_event("gallery_viewed", photographer_id=photographer.id, client_id=people["kari"].id, ts=sent_at + timedelta(hours=3))
    record_event("order_paid", photographer_id=photographer.id, client_id=people["kari"].id,
                 payload={"total": 12000, "currency": "NOK"}, ts=sent_at + timedelta(days=1))
    db.session.commit()
    page.reload()
    page.wait_for_selector(f".badge:has-text({studio.t('messages.status.planned')!r})")
    page.wait_for_selector("[data-figure=orders] dd:text-is('1')")
    figures = {div.get_attribute("data-figure"): div.locator("dd").inner_text() for div in page.locator(".figures div").all()}
    assert figures["recipients"] == "2" and figures["delivered"] == "2" and figures["visited"] == "1"
    assert figures["revenue"].replace("\u00a0", " ") in ("120.00", "120,00")
    studio.axe("campaign results")
    _full_shot(studio, "campaign-results")
    studio.shot("campaign-results")
    studio.open("messages/campaigns")
    page.wait_for_selector("table.campaigns td:has-text('Autumn minis')")
    studio.shot("campaigns")
    assert studio.errors == []


def test_a_campaign_keeps_what_was_typed_when_saved_straight_away(studio, app, make_photographer, retention_audience):
    """Typed text is the form's state at once: a tag typed and saved without leaving the field is stored; the
    editor offers only the placeholders a campaign fills, says the mail greets on its own, and names the
    language in the studio's language."""
    from gallery.retention.models import Campaign

    photographer, api = make_photographer(email="lys@studio.example", studio_name="Lys Studio", locale=studio.lang)
    retention_audience(photographer)
    campaign_id = api.post("/api/v1/retention/campaigns", json={"name": "Autumn minis"}).json["id"]
    page = studio.page
    studio.login("lys@studio.example")
    studio.open("messages/campaigns")
    page.wait_for_selector(f"label[for=campaign-name]:visible:has-text({studio.t('messages.campaignName')!r})")
    studio.open(f"messages/campaigns/{campaign_id}")
    page.wait_for_selector("#c-subject")
    english = _language_name(page, "en")
    page.wait_for_selector(f"#c-words:text-is({studio.t('messages.wordsIn', language=english)!r})")
    page.wait_for_selector(".greeting-note")
    page.wait_for_selector("button.ph:has(code:text-is('client_first_name'))")
    names = page.locator("button.ph code").all_inner_texts()
    assert "offer_code" in names and not {"cart_items", "days_left", "favourites_count", "years"} & set(names)

    page.click("button.chip[lang=en]")
    _fill(page, "#c-subject", "Autumn minis")
    _fill(page, "#c-body", "Book a slot.")
    page.click("#seg-tags")
    page.keyboard.type("vip, family")  # the comma and space stay as typed while the filter follows
    assert page.input_value("#seg-tags") == "vip, family"
    _fill(page, "#seg-min", "12.5")
    page.click(f".form-actions.sticky button:has-text({studio.t('messages.save')!r})")
    studio.toast(studio.t("messages.campaignSaved"))
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign_id)
    assert campaign.segment == {"tags": ["vip", "family"], "min_spend": 1250}
    page.reload()
    page.wait_for_function("document.querySelector('#seg-tags')?.value === 'vip, family'")
    assert page.input_value("#seg-min") == "12.5"
    studio.axe("campaign saved straight away")
    _full_shot(studio, "campaign-typed-saved")
    assert studio.errors == []
