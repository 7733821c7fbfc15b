"""The endpoints behind the loyalty and metrics screens: the clients of each tier, a follow-up read and answered
through the mail outbox, and every campaign's results in one list; each scoped to its photographer."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from gallery.core import clock
from gallery.extensions import db
from gallery.mail.models import OutboxMail
from gallery.retention.models import Campaign, Message


def _problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_tiers_count_their_clients_and_list_them_by_name(app, studio, make_client, make_gallery, make_photographer):
    photographer, api, kari, _ = studio()
    ola = make_client(photographer, name="Ola Hansen", email="ola@example.test")
    make_gallery(photographer, publish=True, client_id=ola.id, title="Ola")
    make_client(photographer, name="Nobody Yet", email="nobody@example.test")
    friend = api.post("/api/v1/loyalty/tiers", json={"name": "Friend", "min_sessions": 1, "rank": 1}).json
    vip = api.post("/api/v1/loyalty/tiers", json={"name": "VIP", "min_sessions": 5, "rank": 2}).json
    counts = {t["name"]: t["clients"] for t in api.get("/api/v1/loyalty/tiers").json["items"]}
    assert counts == {"Friend": 2, "VIP": 0}
    first = api.get(f"/api/v1/loyalty/tiers/{friend['id']}/clients?limit=1").json
    assert [c["name"] for c in first["items"]] == ["Kari Nordmann"] and first["next_cursor"]
    rest = api.get(f"/api/v1/loyalty/tiers/{friend['id']}/clients?limit=1&cursor={first['next_cursor']}").json
    assert [c["name"] for c in rest["items"]] == ["Ola Hansen"] and rest["items"][0]["since"]
    assert api.get(f"/api/v1/loyalty/tiers/{vip['id']}/clients").json["items"] == []
    _problem(api.get(f"/api/v1/loyalty/tiers/{friend['id']}/clients?cursor=forged"), 400)
    _problem(api.get(f"/api/v1/loyalty/tiers/{friend['id']}/clients?limit=0"), 422)
    _, other = make_photographer()
    _problem(other.get(f"/api/v1/loyalty/tiers/{friend['id']}/clients"), 404)
    assert kari.id  # the studio's own client is among them (above)


def test_a_follow_up_is_answered_through_the_outbox_in_the_clients_language(app, studio, make_photographer):
    photographer, api, client, _ = studio(locale="nb")
    opened = api.post("/api/v1/retention/followups", json={"client_id": client.id, "comment": "Wrong crop"}).json
    assert opened["client_name"] == "Kari Nordmann" and opened["client_email"] == "kari@example.no"
    shown = api.get(f"/api/v1/retention/followups/{opened['id']}").json
    assert shown["comment"] == "Wrong crop" and shown["log"] == []
    replied = api.post(f"/api/v1/retention/followups/{opened['id']}/reply",
                       json={"subject": "Om beskjæringen", "body": "Vi lager en ny versjon i dag.\n\nHilsen Lys"})
    assert replied.status_code == 200, replied.json
    assert [entry["kind"] for entry in replied.json["log"]] == ["reply"]
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "followup_reply"))
    assert mail.to_email == "kari@example.no" and mail.subject == "Om beskjæringen"
    assert mail.photographer_id == photographer.id
    content = mail.content.decode()
    assert "Content-Language: nb" in content and "Lys Studio" in content
    _problem(api.post(f"/api/v1/retention/followups/{opened['id']}/reply", json={"subject": "", "body": "x"}), 422)
    _problem(api.post(f"/api/v1/retention/followups/{opened['id']}/reply", json={"subject": "x"}), 422)
    anonymous = api.post("/api/v1/retention/followups", json={"comment": "Someone on the phone"}).json
    _problem(api.post(f"/api/v1/retention/followups/{anonymous['id']}/reply", json={"subject": "x", "body": "y"}), 422)
    _, other = make_photographer()
    _problem(other.get(f"/api/v1/retention/followups/{opened['id']}"), 404)
    _problem(other.post(f"/api/v1/retention/followups/{opened['id']}/reply", json={"subject": "x", "body": "y"}), 404)


def test_campaign_metrics_list_every_campaign_that_went_out(app, studio, make_photographer):
    photographer, api, client, _ = studio()
    now = clock.now()
    gone = Campaign(photographer_id=photographer.id, name="Spring minis", status="planned", segment={}, wording={},
                    send_on=(now - timedelta(days=3)).date(), planned_at=now - timedelta(days=4), recipients=1)
    draft = Campaign(photographer_id=photographer.id, name="Not yet", status="draft", segment={}, wording={})
    db.session.add_all([gone, draft])
    db.session.flush()
    sent = datetime(now.year, now.month, now.day, tzinfo=UTC) - timedelta(days=3)
    db.session.add(Message(photographer_id=photographer.id, client_id=client.id, rule="campaign",
                           category="marketing", dedupe_key=f"campaign:{gone.id}:{client.id}", due_at=sent,
                           send_after=sent, status="sent", sent_at=sent, opened_at=sent + timedelta(hours=1),
                           context={}))
    db.session.commit()
    [row] = api.get("/api/v1/metrics/campaigns").json["items"]
    assert (row["name"], row["recipients"], row["delivered"], row["opened"], row["clicked"]) == (
        "Spring minis", 1, 1, 1, 0)
    _, other = make_photographer()
    assert other.get("/api/v1/metrics/campaigns").json["items"] == []
