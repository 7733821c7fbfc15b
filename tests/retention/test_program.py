"""The photographer's retention program: own wording in a sandbox, campaigns to segments, loyalty, follow-ups."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.sharing.models import ShareLink
from gallery.retention.models import Message, Unsubscribe
from gallery.retention.sweep import sweep

HOSTILE = [
    "{{ client_name.__class__.__mro__ }}",
    "{{ client_name['__class__'] }}",
    "{{ config }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% for i in range(999999999) %}x{% endfor %}",
    "{% import 'mail/retention/message.html' as m %}",
    "{% include 'mail/retention/message.html' %}",
    "{% set x = 1 %}{{ x }}",
    "{{ client_name|attr('__class__') }}",
    "{{ client_name.upper() }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ client_name",
]


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_reaches_outside_the_sandbox_is_refused(app, photographer_api, text):
    response = photographer_api.put("/api/v1/retention/wording/anniversary/en",
                                    json={"subject": "Hello", "body": text})
    body = _problem(response, 422)
    assert body["errors"]["body"]
    assert photographer_api.get("/api/v1/retention/wording").json["wordings"] == []


def test_unknown_placeholders_are_named(app, photographer_api):
    body = _problem(photographer_api.put("/api/v1/retention/wording/anniversary/en",
                                         json={"subject": "Hi {{ first_name }}", "body": "x"}), 422)
    assert "first_name" in body["errors"]["subject"][0]
    listed = photographer_api.get("/api/v1/retention/wording").json
    assert "client_first_name" in listed["placeholders"] and "offer_code" in listed["placeholders"]


def test_each_mail_offers_only_the_placeholders_it_fills_and_refuses_the_others(app, photographer_api):
    applies = photographer_api.get("/api/v1/retention/wording").json["applies"]
    assert "years" in applies["anniversary"] and "cart_items" not in applies["anniversary"]
    assert "cart_items" in applies["abandoned_cart"] and "days_left" in applies["expiry"]
    assert not {"cart_items", "days_left", "favourites_count", "years", "occasion"} & set(applies["campaign"])
    assert "client_first_name" in applies["campaign"] and "offer_code" in applies["campaign"]
    body = _problem(photographer_api.put("/api/v1/retention/wording/anniversary/en",
                                         json={"subject": "Hi", "body": "In your cart: {{ cart_items }}"}), 422)
    assert "'cart_items' does not apply to this mail" in body["errors"]["body"][0]
    assert photographer_api.put("/api/v1/retention/wording/abandoned_cart/en",
                                json={"subject": "Hi", "body": "In your cart: {{ cart_items }}"}).status_code == 200
    body = _problem(photographer_api.post("/api/v1/retention/campaigns", json={
        "name": "x", "wording": {"en": {"subject": "Only {{ days_left }} days", "body": "x"}}}), 422)
    assert "does not apply" in body["errors"]["wording.en.subject"][0]


@pytest.mark.parametrize("name, first", [("Ingrid & Jonas", "Ingrid & Jonas"), ("Kari & Ola Nordmann", "Kari & Ola"),
                                         ("Anna i Piotr Nowak", "Anna i Piotr"), ("Kari Nordmann", "Kari"),
                                         ("Cher", "Cher"), ("", "")])
def test_a_couple_is_greeted_by_both_first_names(app, name, first):
    from gallery.retention.words import first_name

    assert first_name(name) == first


def test_own_words_are_previewed_with_a_real_client_sent_as_a_test_and_used_by_the_sweep(app, studio, smtp_server):
    photographer, api, client, gallery = studio(locale="en")
    text = {"subject": "{{ client_first_name }}, it's {{ occasion }}!",
            "body": "Dear {{ client_name }},\n\nRemember {{ gallery_title }}?"
                    "{% if offer %}\n\n{{ offer }}{% endif %}",
            "button": "Book {{ studio_name }}"}
    assert api.put("/api/v1/retention/wording/anniversary/en", json=text).status_code == 200
    shown = api.post("/api/v1/retention/wording/preview", json={"client_id": client.id, "rule": "anniversary"})
    assert shown.status_code == 200, shown.json
    assert shown.json["subject"] == "Kari, it's your wedding anniversary!"
    assert "Remember Kari &amp; Ola?" in shown.json["html"] and "Book Lys Studio" in shown.json["text"]
    assert smtp_server.messages == []
    with smtp_server.configured(app):
        sent = api.post("/api/v1/retention/wording/test", json={"client_id": client.id, "rule": "anniversary"})
    assert sent.status_code == 202 and sent.json["to"] == photographer.email
    [mail] = smtp_server.wait_for(1)
    assert mail["Subject"] == "[Test] Kari, it's your wedding anniversary!" and mail["To"] == photographer.email
    with smtp_server.configured(app):
        result = sweep(datetime(2025, 6, 1, 7, 30, tzinfo=UTC))  # 14 days before the shoot's return, 09:30 Oslo
    assert result.sent == 1
    delivered = smtp_server.wait_for(2)[1]
    assert delivered["Subject"] == "Kari, it's your wedding anniversary!"
    assert "Your offer: 15% off with the code" in delivered.get_body(("plain",)).get_content()


def test_the_default_words_stay_for_other_languages(app, studio, smtp_server):
    _, api, _, _ = studio(locale="nb")
    api.put("/api/v1/retention/wording/anniversary/en", json={"subject": "Custom", "body": "Custom body"})
    with smtp_server.configured(app):
        sweep(datetime(2025, 6, 1, 7, 30, tzinfo=UTC))
    [mail] = smtp_server.wait_for(1)
    assert mail["Subject"] != "Custom" and mail["Content-Language"] == "nb"


def _clients(photographer, make_client, make_gallery):
    people = {
        "anna": dict(locale="nb", timezone="Europe/Oslo", marketing_consent=True, consent_source="form",
                     tags=["vip"]),
        "bea": dict(locale="de", timezone="America/New_York", marketing_consent=True, consent_source="form"),
        "cleo": dict(locale="en", timezone="UTC", marketing_consent=False),
        "dina": dict(locale="en", timezone="UTC", marketing_consent=True, consent_source="form"),
        "eva": dict(locale="en", timezone="UTC", marketing_consent=True, consent_source="form", email=None),
    }
    made = {}
    with clock.frozen(datetime(2024, 3, 1, tzinfo=UTC)):
        for name, fields in people.items():
            fields.setdefault("email", f"{name}@example.test")
            made[name] = make_client(photographer, name=name.title(), **fields)
            gallery = make_gallery(photographer, publish=True, client_id=made[name].id,
                                   event_type="wedding" if name != "dina" else "newborn",
                                   shoot_date=date(2024, 2, 1))
            db.session.add(ShareLink(gallery_id=gallery.id, token=f"{name}-client-link-0123456789", role="client"))
    db.session.add(Unsubscribe(photographer_id=photographer.id, email="dina@example.test"))
    db.session.commit()
    return made


def test_a_segment_says_whom_it_reaches_and_why_others_are_left_out(app, make_photographer, make_client,
                                                                     make_gallery):
    photographer, api = make_photographer()
    _clients(photographer, make_client, make_gallery)
    everyone = api.post("/api/v1/retention/segments/audience", json={}).json
    assert everyone == {"matched": 5, "reachable": 2,
                        "excluded": {"no_email": 1, "no_consent": 1, "unsubscribed": 1}}
    weddings = api.post("/api/v1/retention/segments/audience", json={"event_types": ["wedding"]}).json
    assert weddings["matched"] == 4 and weddings["reachable"] == 2
    tagged = api.post("/api/v1/retention/segments/audience", json={"tags": ["vip"], "locales": ["nb"]}).json
    assert tagged["reachable"] == 1
    assert api.post("/api/v1/retention/segments/audience", json={"has_ordered": True}).json["matched"] == 0
    assert api.post("/api/v1/retention/segments/audience",
                    json={"last_shoot_before": "2024-01-01"}).json["matched"] == 0
    _problem(api.post("/api/v1/retention/segments/audience", json={"dormant_months": 0}), 422)


def test_a_campaign_goes_out_in_each_clients_morning_and_language_once_and_reports_results(
        app, make_photographer, make_client, make_gallery, smtp_server):
    photographer, api = make_photographer(studio_name="Lys Studio")
    people = _clients(photographer, make_client, make_gallery)
    created = api.post("/api/v1/retention/campaigns", json={
        "name": "Autumn minis", "segment": {"event_types": ["wedding"]}, "default_locale": "en",
        "wording": {"en": {"subject": "Autumn minis, {{ client_first_name }}", "body": "Book a slot."},
                    "nb": {"subject": "Høstminis, {{ client_first_name }}", "body": "Bestill en tid."}}})
    assert created.status_code == 201, created.json
    campaign = created.json["id"]
    assert api.get(f"/api/v1/retention/campaigns/{campaign}/audience").json["reachable"] == 2
    with clock.frozen(datetime(2025, 9, 1, 12, tzinfo=UTC)):
        _problem(api.post(f"/api/v1/retention/campaigns/{campaign}/schedule", json={"send_on": "2025-08-01"}), 422)
        scheduled = api.post(f"/api/v1/retention/campaigns/{campaign}/schedule", json={"send_on": "2025-09-03"})
    assert scheduled.json["status"] == "scheduled"
    with smtp_server.configured(app):
        for moment in (datetime(2025, 9, 2, 8, tzinfo=UTC), datetime(2025, 9, 3, 7, 30, tzinfo=UTC),
                       datetime(2025, 9, 3, 13, 30, tzinfo=UTC), datetime(2025, 9, 3, 14, 30, tzinfo=UTC)):
            sweep(moment)
    mails = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert len(smtp_server.messages) == 2
    assert mails["Anna <anna@example.test>"]["Subject"] == "Høstminis, Anna"
    assert mails["Bea <bea@example.test>"]["Subject"] == "Autumn minis, Bea"  # German: the default language
    sent = {m.client_id: m for m in db.session.scalars(select(Message).where(Message.rule == "campaign"))}
    assert sent[people["anna"].id].sent_at == datetime(2025, 9, 3, 7, 30, tzinfo=UTC)   # 09:30 in Oslo
    assert sent[people["bea"].id].sent_at == datetime(2025, 9, 3, 13, 30, tzinfo=UTC)   # 09:30 in New York
    for mail in mails.values():
        assert mail["List-Unsubscribe"].startswith("<http://gallery.test/u/")
    record_event("gallery_viewed", photographer_id=photographer.id, client_id=people["anna"].id,
                 ts=datetime(2025, 9, 4, tzinfo=UTC))
    record_event("order_paid", photographer_id=photographer.id, client_id=people["anna"].id,
                 payload={"total": 12000, "currency": "NOK"}, ts=datetime(2025, 9, 5, tzinfo=UTC))
    db.session.commit()
    results = api.get(f"/api/v1/retention/campaigns/{campaign}/results").json
    assert results == {"recipients": 2, "delivered": 2, "opened": 0, "clicked": 0, "visited": 1, "orders": 1,
                       "revenue": 12000, "attribution_days": 14}
    _problem(api.patch(f"/api/v1/retention/campaigns/{campaign}", json={"name": "again"}), 409)


def test_campaign_texts_are_checked_like_rule_texts(app, photographer_api):
    body = _problem(photographer_api.post("/api/v1/retention/campaigns", json={
        "name": "x", "wording": {"en": {"subject": "{{ config }}", "body": "x"}}}), 422)
    assert "wording.en.subject" in body["errors"]
    body = _problem(photographer_api.post("/api/v1/retention/campaigns", json={
        "name": "x", "default_locale": "en", "wording": {"nb": {"subject": "Hei", "body": "x"}}}), 422)
    assert "default_locale" in body["errors"]


def test_loyalty_tiers_place_clients_and_mail_a_move_up_once(app, make_photographer, make_client, make_gallery,
                                                              smtp_server):
    photographer, api = make_photographer(studio_name="Lys Studio")
    people = _clients(photographer, make_client, make_gallery)
    friend = api.post("/api/v1/loyalty/tiers", json={"name": "Friend", "min_sessions": 1, "rank": 1}).json
    vip = api.post("/api/v1/loyalty/tiers", json={"name": "VIP", "min_spend": 50000, "min_sessions": 3, "rank": 2,
                                                  "discount_percent": 10, "free_digital": True}).json
    _problem(api.post("/api/v1/loyalty/tiers", json={"name": "Nothing"}), 422)
    _problem(api.post("/api/v1/loyalty/tiers", json={"name": "VIP", "min_sessions": 9}), 409)
    anna = api.get(f"/api/v1/loyalty/clients/{people['anna'].id}").json
    assert anna["tier"]["name"] == "Friend" and anna["sessions"] == 1 and anna["spend"] == 0
    with smtp_server.configured(app):  # joining at creation is silent
        sweep(datetime(2025, 9, 3, 7, 30, tzinfo=UTC))
    assert [m for m in smtp_server.messages if "VIP" in m["Subject"]] == []
    from gallery.store.models import Order

    db.session.add(Order(photographer_id=photographer.id, visitor_id="v", client_id=people["anna"].id, status="paid",
                         currency="NOK", subtotal=60000, total=60000))
    db.session.commit()
    with smtp_server.configured(app):
        sweep(datetime(2025, 9, 4, 7, 30, tzinfo=UTC))
        sweep(datetime(2025, 9, 5, 7, 30, tzinfo=UTC))
    upgrades = [m for m in smtp_server.messages if m["X-Gallery-Message"] and "VIP" in m["Subject"]]
    assert len(upgrades) == 1 and upgrades[0]["To"] == "Anna <anna@example.test>"
    assert "10%" in upgrades[0].get_body(("plain",)).get_content()
    assert api.get(f"/api/v1/loyalty/clients/{people['anna'].id}").json["tier"]["id"] == vip["id"]
    assert api.get("/api/v1/retention/segments/audience", ) is not None
    in_vip = api.post("/api/v1/retention/segments/audience", json={"tier_ids": [vip["id"]]}).json
    assert in_vip["matched"] == 1
    assert api.delete(f"/api/v1/loyalty/tiers/{friend['id']}").status_code == 204


def test_a_low_score_opens_a_follow_up_tracked_to_resolution(app, studio, smtp_server):
    photographer, api, client, gallery = studio()
    with smtp_server.configured(app):
        sweep(datetime(2024, 6, 27, 7, 30, tzinfo=UTC))  # the follow-up survey, 7 days after publishing
    message = db.session.scalar(select(Message).where(Message.rule == "followup"))
    from gallery.retention import tokens

    answer = app.test_client().post(tokens.url("survey", message.id).removeprefix("http://gallery.test"),
                                    json={"score": 3, "comment": "The prints were late."})
    assert answer.status_code == 200
    [item] = api.get("/api/v1/retention/followups?status=open").json["items"]
    assert item["kind"] == "low_score" and item["score"] == 3 and item["client_id"] == client.id
    done = api.patch(f"/api/v1/retention/followups/{item['id']}", json={"note": "Called; reprint sent.",
                                                                        "resolve": True})
    assert done.json["status"] == "resolved" and [e["kind"] for e in done.json["log"]] == ["note", "resolved"]
    assert api.get("/api/v1/retention/followups?status=open").json["items"] == []
    _problem(api.patch(f"/api/v1/retention/followups/{item['id']}", json={}), 422)
    complaint = api.post("/api/v1/retention/followups", json={"client_id": client.id, "comment": "Wrong crop"})
    assert complaint.status_code == 201 and complaint.json["kind"] == "complaint"


def test_other_photographers_programs_are_invisible(app, make_photographer, studio):
    _, api, client, _ = studio()
    campaign = api.post("/api/v1/retention/campaigns", json={"name": "Mine"}).json
    tier = api.post("/api/v1/loyalty/tiers", json={"name": "VIP", "min_sessions": 1}).json
    _, other = make_photographer()
    assert other.get(f"/api/v1/retention/campaigns/{campaign['id']}").status_code == 404
    assert other.patch(f"/api/v1/loyalty/tiers/{tier['id']}", json={"name": "x"}).status_code == 404
    assert other.get(f"/api/v1/loyalty/clients/{client.id}").status_code == 404
    assert other.post("/api/v1/retention/wording/preview",
                      json={"client_id": client.id, "rule": "anniversary"}).status_code == 404
    assert other.get("/api/v1/retention/campaigns").json["items"] == []


def test_metrics_report_outcomes_per_rule_cohorts_and_unhappy_clients_who_came_back(app, studio, smtp_server):
    photographer, api, client, gallery = studio()
    with smtp_server.configured(app):
        sweep(datetime(2024, 6, 27, 7, 30, tzinfo=UTC))  # the follow-up survey goes out
    message = db.session.scalar(select(Message).where(Message.rule == "followup"))
    from gallery.retention import tokens

    with clock.frozen(datetime(2024, 6, 28, tzinfo=UTC)):
        app.test_client().post(tokens.url("survey", message.id).removeprefix("http://gallery.test"),
                               json={"score": 2})
    record_event("gallery_viewed", photographer_id=photographer.id, client_id=client.id, gallery_id=gallery.id,
                 ts=datetime(2024, 6, 28, tzinfo=UTC))
    record_event("order_paid", photographer_id=photographer.id, client_id=client.id, gallery_id=gallery.id,
                 payload={"total": 5000, "currency": "EUR"}, ts=datetime(2025, 2, 1, tzinfo=UTC))
    db.session.commit()
    with clock.frozen(datetime(2025, 3, 1, tzinfo=UTC)):
        metrics = api.get("/api/v1/metrics/retention?from=2024-01-01&to=2025-03-01").json
    followup = next(row for row in metrics["offer_conversion"] if row["rule"] == "followup")
    assert (followup["sent"], followup["visited"], followup["ordered"]) == (1, 1, 0)
    assert metrics["cohorts"] == [{"cohort": 2024, "clients": 1, "returned": {"2025": 1}}]
    assert metrics["followups"] == {"opened": 1, "resolved": 0, "clients_came_back": 1}


def test_early_access_tiers_receive_a_campaign_days_before_everyone(app, make_photographer, make_client,
                                                                     make_gallery, smtp_server):
    photographer, api = make_photographer(studio_name="Lys Studio")
    people = _clients(photographer, make_client, make_gallery)
    api.post("/api/v1/loyalty/tiers", json={"name": "VIP", "min_spend": 100, "early_access": True})
    from gallery.store.models import Order

    db.session.add(Order(photographer_id=photographer.id, visitor_id="v", client_id=people["anna"].id, status="paid",
                         currency="NOK", subtotal=500, total=500))
    db.session.commit()
    campaign = api.post("/api/v1/retention/campaigns", json={
        "name": "Minis", "early_access_days": 3, "segment": {"event_types": ["wedding"]},
        "wording": {"en": {"subject": "Minis", "body": "Book."}}}).json["id"]
    with clock.frozen(datetime(2025, 9, 1, tzinfo=UTC)):
        api.post(f"/api/v1/retention/campaigns/{campaign}/schedule", json={"send_on": "2025-09-10"})
    with smtp_server.configured(app):
        sweep(datetime(2025, 9, 6, 8, tzinfo=UTC))      # the day before Anna's early date: planned for her only
        sweep(datetime(2025, 9, 7, 7, 30, tzinfo=UTC))   # Anna's morning
        assert [m["To"] for m in smtp_server.messages if m["Subject"] == "Minis"] == ["Anna <anna@example.test>"]
        sweep(datetime(2025, 9, 9, 8, tzinfo=UTC))
        sweep(datetime(2025, 9, 10, 13, 30, tzinfo=UTC))  # Bea's morning in New York
    assert sorted(m["To"] for m in smtp_server.messages if m["Subject"] == "Minis") == [
        "Anna <anna@example.test>", "Bea <bea@example.test>"]
    assert api.get(f"/api/v1/retention/campaigns/{campaign}").json["status"] == "planned"


def test_a_rules_words_are_read_as_the_translated_default_with_placeholders_until_changed(app, photographer_api):
    api = photographer_api
    default = api.get("/api/v1/retention/wording/expiry/nb")
    assert default.status_code == 200, default.json
    assert default.json["custom"] is False and default.json["updated_at"] is None
    assert "{{ days_left }}" in default.json["subject"] and "{{ gallery_title }}" in default.json["body"]
    assert default.json["subject"] != api.get("/api/v1/retention/wording/expiry/en").json["subject"]  # translated
    # The default, saved unchanged, passes the placeholder check.
    saved = api.put("/api/v1/retention/wording/expiry/nb", json={k: default.json[k] for k in ("subject", "body", "button")})
    assert saved.status_code == 200, saved.json
    assert "{{ studio_name }}" in api.get("/api/v1/retention/wording/anniversary/pl").json["subject"]
    api.put("/api/v1/retention/wording/expiry/nb", json={"subject": "Bare {{ days_left }} dager", "body": "Hei"})
    own = api.get("/api/v1/retention/wording/expiry/nb").json
    assert own["custom"] is True and own["subject"] == "Bare {{ days_left }} dager" and own["button"] is None
    assert api.delete("/api/v1/retention/wording/expiry/nb").status_code == 204
    assert api.get("/api/v1/retention/wording/expiry/nb").json == default.json
    _problem(api.get("/api/v1/retention/wording/digest/en"), 404)
    _problem(api.get("/api/v1/retention/wording/expiry/de"), 404)


def test_a_campaign_without_words_is_not_previewed(app, make_photographer, make_client):
    photographer, api = make_photographer()
    client = make_client(photographer, name="Kari", email="kari@example.test")
    campaign = api.post("/api/v1/retention/campaigns", json={"name": "Minis"}).json["id"]
    body = _problem(api.post("/api/v1/retention/wording/preview", json={"client_id": client.id, "campaign_id": campaign}),
                    422)
    assert body["errors"]["words"]
    shown = api.post("/api/v1/retention/wording/preview", json={
        "client_id": client.id, "campaign_id": campaign, "words": {"subject": "Hi {{ client_first_name }}", "body": "x"}})
    assert shown.status_code == 200 and shown.json["subject"] == "Hi Kari"


def test_previews_show_the_offer_with_a_sample_code_and_unsaved_words_in_their_language(app, studio):
    from gallery.store.models import Coupon

    photographer, api, client, _ = studio(locale="en")
    words = {"subject": "Hi", "body": "{% if offer %}{{ offer_code }}: {{ offer }}{% endif %}"}
    shown = api.post("/api/v1/retention/wording/preview", json={"client_id": client.id, "rule": "anniversary",
                                                                "words": words}).json
    assert "PREVIEW-CODE: Your offer: 15% off with the code PREVIEW-CODE" in shown["text"]  # the rule's default offer
    campaign = api.post("/api/v1/retention/campaigns", json={
        "name": "Minis", "offer": {"percent_off": 20, "valid_days": 10},
        "wording": {"en": {"subject": "Minis", "body": "Book."}}}).json["id"]
    shown = api.post("/api/v1/retention/wording/preview", json={
        "client_id": client.id, "campaign_id": campaign, "locale": "nb",
        "words": {"subject": "Minis på norsk", "body": "{{ offer }}"}}).json
    assert shown["subject"] == "Minis på norsk" and "20 %" in shown["text"].replace("\u00a0", " ")
    assert "Hei Kari" in shown["text"]  # the mail around the words speaks Norwegian too
    assert db.session.scalar(select(Coupon.id).limit(1)) is None  # a preview issues nothing
