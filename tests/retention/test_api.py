"""Rules, outbox and metrics over the API."""
from datetime import UTC, datetime, timedelta

from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.retention.models import Feedback, Message
from gallery.retention.sweep import sweep


def test_rules_have_defaults_and_can_be_changed(app, photographer_api):
    rules = {r["kind"]: r for r in photographer_api.get("/api/v1/retention/rules").json["rules"]}
    assert set(rules) == {"anniversary", "reorder", "favourites", "abandoned_cart", "dormant", "followup", "expiry",
                          "referral", "loyalty", "digest"}
    assert all(r["enabled"] for r in rules.values() if r["kind"] != "digest")
    assert rules["digest"]["enabled"] is False  # the photographer's own digest is opt-in
    assert rules["expiry"]["settings"]["days_before"] == [7, 4, 1] and rules["expiry"]["category"] == "transactional"
    response = photographer_api.put("/api/v1/retention/rules", json={"rules": [
        {"kind": "dormant", "enabled": False},
        {"kind": "anniversary", "settings": {"days_before": 21, "offer": {"amount_off": 5000, "currency": "NOK",
                                                                          "valid_days": 14}}}]})
    assert response.status_code == 200
    rules = {r["kind"]: r for r in response.json["rules"]}
    assert rules["dormant"]["enabled"] is False
    assert rules["anniversary"]["settings"]["days_before"] == 21
    assert rules["anniversary"]["settings"]["event_types"][0] == "wedding"  # untouched settings keep their values
    assert rules["anniversary"]["settings"]["offer"]["amount_off"] == 5000


def test_bad_rules_are_refused_and_nothing_changes(app, photographer_api):
    cases = [
        {"rules": [{"kind": "birthday-spam"}]},
        {"rules": [{"kind": "anniversary", "settings": {"days_before": -1}}]},
        {"rules": [{"kind": "anniversary", "settings": {"offer": {"valid_days": 10}}}]},
        {"rules": [{"kind": "anniversary", "settings": {"offer": {"amount_off": 100, "valid_days": 10}}}]},
        {"rules": [{"kind": "expiry", "settings": {"days_before": []}}]},
        {"rules": [{"kind": "dormant", "enabled": False}, {"kind": "dormant", "enabled": True}]},
        {"rules": []},
    ]
    for payload in cases:
        response = photographer_api.put("/api/v1/retention/rules", json=payload)
        assert response.status_code == 422, payload
        assert response.mimetype == "application/problem+json" and response.json["errors"]
    rules = photographer_api.get("/api/v1/retention/rules").json["rules"]
    assert all(r["enabled"] for r in rules if r["kind"] != "digest")


def test_outbox_lists_messages_with_filters_and_only_the_photographers_own(app, studio, make_photographer):
    _, api, client, _ = studio(consent=False)
    sweep(datetime(2025, 6, 1, 7, 30, tzinfo=UTC))
    body = api.get("/api/v1/retention/messages").json
    [message] = body["items"]
    assert message["rule"] == "anniversary" and message["status"] == "suppressed"
    assert message["status_reason"] == "no marketing consent"
    assert api.get("/api/v1/retention/messages?status=sent").json["items"] == []
    assert len(api.get(f"/api/v1/retention/messages?client_id={client.id}").json["items"]) == 1
    assert api.get("/api/v1/retention/messages?status=lost").status_code == 422
    _, other = make_photographer()
    assert other.get("/api/v1/retention/messages").json["items"] == []


def test_retention_metrics(app, studio, make_client, smtp_server):
    photographer, api, kari, gallery = studio()
    ola = make_client(photographer, name="Ola", email="ola@example.no")
    with smtp_server.configured(app):
        sweep(datetime(2025, 6, 1, 7, 30, tzinfo=UTC))
    from gallery.store.models import Coupon, Order

    message = db.session.scalar(db.select(Message))
    assert message.coupon_code  # issued through the store
    message.opened_at = message.sent_at
    coupon = db.session.scalar(db.select(Coupon).where(Coupon.code == message.coupon_code))
    assert coupon.client_id == kari.id and coupon.max_uses == 1
    db.session.add(Order(photographer_id=photographer.id, gallery_id=gallery.id, visitor_id="v1", client_id=kari.id,
                         currency="NOK", subtotal=25000, discount=5000, total=20000, coupon_id=coupon.id,
                         coupon_code=coupon.code, status="paid", paid_at=datetime(2025, 6, 5, tzinfo=UTC)))
    base = datetime(2024, 8, 1, tzinfo=UTC)

    def event(kind, client, at, **payload):
        record_event(kind, photographer_id=photographer.id, client_id=client.id, gallery_id=gallery.id,
                     payload=payload, ts=at)

    event("gallery_viewed", kari, base)
    event("order_paid", kari, base, total=10000, currency="NOK")
    event("order_paid", kari, datetime(2025, 6, 5, tzinfo=UTC), total=20000, currency="NOK")
    event("gallery_viewed", ola, base)
    event("order_paid", ola, base + timedelta(days=1), total=30000, currency="NOK")
    for score, when in ((10, datetime(2025, 5, 2, tzinfo=UTC)), (9, datetime(2025, 6, 2, tzinfo=UTC)),
                        (3, datetime(2025, 6, 3, tzinfo=UTC))):
        db.session.add(Feedback(photographer_id=photographer.id, message_id=f"m{score}", score=score, created_at=when))
    db.session.commit()
    with clock.frozen(datetime(2025, 6, 30, tzinfo=UTC)):
        body = api.get("/api/v1/metrics/retention?from=2025-01-01&to=2025-06-30").json
    assert body["currency"] == "NOK" and body["paying_clients"] == 2
    assert body["repeat_client_rate"] == 0.5
    assert body["revenue"] == 20000 and body["ltv"] == 30000.0 and body["average_order_value"] == 20000.0
    assert body["ltv_estimate"] == 30000.0
    # Active in the previous half-year: Kari and Ola; active again in this one: Kari.
    assert body["retention_rate"] == 0.5
    anniversary = next(r for r in body["offer_conversion"] if r["rule"] == "anniversary")
    assert anniversary == {"rule": "anniversary", "sent": 1, "opened": 1, "clicked": 0, "offers": 1, "redeemed": 1,
                           "revenue": 20000, "visited": 0, "ordered": 1, "ordered_revenue": 20000}
    assert body["nps_answers"] == 3 and body["nps"] == 33.3
    assert [p["month"] for p in body["nps_trend"]] == ["2025-05", "2025-06"]
    assert body["dormant_clients"] == 0
    with clock.frozen(datetime(2026, 1, 1, tzinfo=UTC)):
        assert api.get("/api/v1/metrics/retention").json["dormant_clients"] == 1  # Ola: nothing since August 2024
    assert api.get("/api/v1/metrics/retention?from=2025-07-01&to=2025-01-01").status_code == 422


def test_daily_digest_is_opt_in_and_sent_once_at_the_chosen_local_hour(app, studio, smtp_server):
    photographer, api, kari, gallery = studio()
    record_event("gallery_viewed", photographer_id=photographer.id, client_id=kari.id, gallery_id=gallery.id,
                 ts=datetime(2025, 3, 3, 18, tzinfo=UTC))
    db.session.commit()
    morning = datetime(2025, 3, 4, 7, 10, tzinfo=UTC)
    with smtp_server.configured(app):
        assert sweep(morning).digests == 0  # not asked for
        response = api.put("/api/v1/retention/rules", json={"rules": [{"kind": "digest", "enabled": True}]})
        assert response.status_code == 200
        assert sweep(morning - timedelta(hours=1)).digests == 0  # 06:10: not yet
        assert sweep(morning).digests == 1
        assert sweep(morning + timedelta(minutes=30)).digests == 0
    [mail] = smtp_server.messages
    assert mail["To"] == photographer.email and "visits 1" in mail["Subject"]
    assert "Kari & Ola: visits 1, favourites 0" in mail.get_body(("plain",)).get_content()
    assert api.put("/api/v1/retention/rules", json={"rules": [{"kind": "digest", "settings": {"hour": 24}}]}
                   ).status_code == 422


def test_daily_digest_speaks_the_photographers_language(app, studio, smtp_server):
    photographer, api, kari, gallery = studio()
    assert api.patch("/api/v1/me", json={"locale": "nb"}).status_code == 200
    assert api.put("/api/v1/retention/rules", json={"rules": [{"kind": "digest", "enabled": True}]}).status_code == 200
    record_event("favourited", photographer_id=photographer.id, client_id=kari.id, gallery_id=gallery.id,
                 ts=datetime(2025, 3, 3, 18, tzinfo=UTC))
    db.session.commit()
    with smtp_server.configured(app):
        assert sweep(datetime(2025, 3, 4, 7, 10, tzinfo=UTC)).digests == 1
    [mail] = smtp_server.messages
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Dagen din hos Lys Studio: besøk 0, bestillinger 0"
    assert "Lys Studio: mandag 3. mars 2025" in body
    assert "Favoritter: 1" in body and "Kari & Ola: besøk 0, favoritter 1, nedlastinger 0" in body
