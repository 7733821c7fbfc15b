"""The studio's loyalty and metrics screens in a real browser at 1280x800, in two languages: tiers defined with
their perks and the clients holding each; a follow-up answered through the mail outbox, noted and resolved;
metrics with charts from a studio's real history."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.mail.models import OutboxMail
from gallery.retention.models import Campaign, Feedback, FollowUp, Message


def _history(photographer, clients, galleries):
    """Two years of a studio: paid orders, survey answers, mails sent, opened and clicked, one campaign."""
    now = clock.now()
    for n, client in enumerate(clients):
        for years_ago in ([1, 0] if n % 2 == 0 else [1]):
            record_event("order_paid", photographer_id=photographer.id, client_id=client.id,
                         gallery_id=galleries[n].id, payload={"total": 40000 + 10000 * n, "currency": "NOK"},
                         ts=now - timedelta(days=365 * years_ago + 20 + n))
    for month, score in enumerate([10, 9, 4, 8, 10, 9]):
        db.session.add(Feedback(photographer_id=photographer.id, message_id=f"m{month}", client_id=clients[0].id,
                                score=score, created_at=now - timedelta(days=30 * (5 - month) + 3)))
    campaign = Campaign(photographer_id=photographer.id, name="Spring minis", status="planned", segment={},
                        wording={}, send_on=(now - timedelta(days=10)).date(), planned_at=now - timedelta(days=11),
                        recipients=len(clients))
    db.session.add(campaign)
    db.session.flush()
    for n, client in enumerate(clients):
        for rule, key in (("anniversary", f"anniversary:test:{n}"), ("campaign", f"campaign:{campaign.id}:{client.id}")):
            sent = now - timedelta(days=10)
            db.session.add(Message(photographer_id=photographer.id, client_id=client.id, rule=rule, category="marketing",
                                   dedupe_key=key, due_at=sent, send_after=sent, status="sent", sent_at=sent,
                                   opened_at=sent + timedelta(hours=2) if n < 2 else None,
                                   clicked_at=sent + timedelta(hours=3) if n == 0 else None, context={}))
    record_event("gallery_viewed", photographer_id=photographer.id, client_id=clients[0].id,
                 gallery_id=galleries[0].id, ts=now - timedelta(days=9))
    db.session.commit()


def test_tiers_followups_and_metrics(studio, make_photographer, make_client, make_gallery):
    page = studio.page
    photographer, api = make_photographer(email="mia@nordlys.example", studio_name="Nordlys Foto", locale=studio.lang)
    clients = [make_client(photographer, name=name, email=f"{name.split()[0].lower()}@example.com", locale=studio.lang)
               for name in ("Kari Nordmann", "Ola Hansen", "Eva Berg")]
    galleries = [make_gallery(photographer, publish=True, title=f"Session {n}", client_id=c.id)
                 for n, c in enumerate(clients)]
    assert api.post("/api/v1/loyalty/tiers", json={"name": "Friend", "min_sessions": 1, "rank": 1}).status_code == 201
    _history(photographer, clients, galleries)
    complaint = api.post("/api/v1/retention/followups", json={
        "client_id": clients[1].id, "comment": "The prints arrived with a scratch on the big one."})
    assert complaint.status_code == 201
    studio.login("mia@nordlys.example")

    # Tiers: the one defined, its clients; a new tier with every perk through the form.
    page.click("a.nav-item[href='#/loyalty']")
    page.wait_for_selector("table.tiers")
    page.click(f"button:has-text({studio.t('loyalty.newTier')!r})")
    page.fill("#tier-name", "VIP")
    page.fill("#tier-spend", "1000")
    page.fill("#tier-discount", "10")
    page.check("input[name=free_digital]")
    page.check("input[name=early_access]")
    page.fill("#tier-rank", "3")
    page.click("form.tier-form button[type=submit]")
    page.wait_for_selector("table.tiers th:has-text('VIP')")
    vip_row = page.locator("table.tiers tbody tr", has_text="VIP")
    assert "10" in vip_row.inner_text()
    friend_row = page.locator("table.tiers tbody tr", has_text="Friend")
    friend_row.locator("button.linkish").click()
    page.wait_for_selector(".tier-clients a:has-text('Kari Nordmann')")
    assert page.locator(".tier-clients li").count() == 3
    studio.axe("loyalty tiers")
    studio.shot("loyalty-tiers")
    vip = api.get("/api/v1/loyalty/tiers").json["items"]
    assert {t["name"]: (t["min_spend"], t["discount_percent"], t["free_digital"], t["early_access"], t["clients"])
            for t in vip}["VIP"] == (100000, 10, True, True, 0)

    # Follow-ups: the open complaint; a reply through the outbox, a note, resolved.
    page.click("a.tab[href='#/loyalty/followups']")
    page.click("table.followups a:has-text('Ola Hansen')")
    page.wait_for_selector("#reply-subject")
    studio.axe("follow-up")
    page.fill("#reply-subject", "About your prints")
    page.fill("#reply-body", "We will reprint the large one this week, at no cost.")
    page.click(f"button:has-text({studio.t('followups.send')!r})")
    page.wait_for_selector(".followup-log .log-reply")
    page.fill("#note-text", "Called Ola, reprint ordered.")
    page.click(f"button:has-text({studio.t('followups.addNote')!r})")
    page.wait_for_selector(".followup-log .log-note")
    studio.shot("loyalty-followup")
    page.click(f"button:has-text({studio.t('followups.resolve')!r})")
    page.wait_for_selector(f"button:has-text({studio.t('followups.reopen')!r})")
    db.session.expire_all()
    followup = db.session.get(FollowUp, complaint.json["id"])
    assert followup.status == "resolved" and [e["kind"] for e in followup.log] == ["reply", "note", "resolved"]
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.to_email == "ola@example.com"))
    assert mail is not None and mail.subject == "About your prints" and mail.kind == "followup_reply"
    assert b"reprint the large one" in mail.content

    # Metrics: figures, the NPS line and the cohort bars, per rule and per campaign.
    page.click("a.nav-item[href='#/metrics']")
    page.wait_for_selector(".kpis")
    page.wait_for_selector("#nps-chart-title")
    assert page.locator("svg.chart-svg polyline.series").count() >= 1
    cohorts = api.get("/api/v1/metrics/retention").json["cohorts"]
    behind = [c for c in cohorts if c["cohort"] < clock.now().year]  # a cohort with a year after it to come back in
    assert behind and page.locator("svg.chart-svg rect.bar").count() == len(behind)
    rules = page.locator("section[aria-labelledby=rules-title] tbody tr")
    assert rules.filter(has_text=studio.t("metrics.rule.anniversary")).count() == 1
    page.wait_for_selector("section[aria-labelledby=campaigns-title] a:has-text('Spring minis')")
    campaign_row = page.locator("section[aria-labelledby=campaigns-title] tbody tr").first.inner_text()
    assert "Spring minis" in campaign_row and "3" in campaign_row
    studio.axe("metrics")
    studio.shot("metrics")
    assert studio.errors == []
