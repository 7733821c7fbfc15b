"""GET /api/v1/clients: search and the filters (event type, last shoot, spend, consent, language), each with
the per-client summary, owner-scoped, problem+json for bad input."""
from datetime import date

from gallery.extensions import db
from gallery.store.models import Order
from tests.plugins.problems import problem


def names(response):
    assert response.status_code == 200, response.get_json()
    return sorted(item["name"] for item in response.json["items"])


def test_filters_and_summaries(make_photographer, make_client, make_gallery):
    photographer, api = make_photographer()
    kari = make_client(photographer, name="Kari Nordmann", email="kari@example.no", locale="nb", tags=["vip"],
                       marketing_consent=True, consent_source="booking form", phone="+47 900 00 000")
    ola = make_client(photographer, name="Ola Hansen", email="ola@example.no", locale="nb-NO")
    make_client(photographer, name="Zofia Nowak", email="zofia@example.pl", locale="pl")
    make_gallery(photographer, publish=True, client_id=kari.id, event_type="wedding", shoot_date=date(2025, 6, 14))
    make_gallery(photographer, publish=True, client_id=ola.id, event_type="newborn", shoot_date=date(2023, 2, 1))
    make_gallery(photographer, client_id=ola.id, event_type="wedding", shoot_date=date(2026, 1, 1))  # a draft
    db.session.add(Order(photographer_id=photographer.id, visitor_id="v", client_id=kari.id, status="paid",
                         currency="NOK", subtotal=250000, total=250000))
    db.session.add(Order(photographer_id=photographer.id, visitor_id="v", client_id=ola.id, status="pending",
                         currency="NOK", subtotal=90000, total=90000))
    db.session.commit()
    other, other_api = make_photographer()
    make_client(other, name="Kari Elsewhere", email="kari@example.no")

    everyone = api.get("/api/v1/clients").json["items"]
    by_name = {c["name"]: c for c in everyone}
    assert by_name["Kari Nordmann"]["spend"] == 250000 and by_name["Kari Nordmann"]["currency"] == "NOK"
    assert by_name["Kari Nordmann"]["last_shoot"] == "2025-06-14" and by_name["Kari Nordmann"]["gallery_count"] == 1
    assert by_name["Ola Hansen"]["spend"] == 0 and by_name["Ola Hansen"]["last_shoot"] == "2023-02-01"
    assert by_name["Ola Hansen"]["gallery_count"] == 2

    assert names(api.get("/api/v1/clients?q=KARI")) == ["Kari Nordmann"]
    assert names(api.get("/api/v1/clients?q=900 00")) == ["Kari Nordmann"]
    assert names(api.get("/api/v1/clients?q=%25")) == []  # a LIKE wildcard is searched as text
    assert names(api.get("/api/v1/clients?event_type=wedding")) == ["Kari Nordmann"]  # drafts do not count
    assert names(api.get("/api/v1/clients?last_shoot_before=2024-01-01")) == ["Ola Hansen"]
    assert names(api.get("/api/v1/clients?last_shoot_after=2024-01-01")) == ["Kari Nordmann"]
    assert names(api.get("/api/v1/clients?min_spend=100000")) == ["Kari Nordmann"]
    assert names(api.get("/api/v1/clients?max_spend=0")) == ["Ola Hansen", "Zofia Nowak"]
    assert names(api.get("/api/v1/clients?consent=true")) == ["Kari Nordmann"]
    assert names(api.get("/api/v1/clients?consent=false")) == ["Ola Hansen", "Zofia Nowak"]
    assert names(api.get("/api/v1/clients?locale=nb")) == ["Kari Nordmann", "Ola Hansen"]
    assert names(api.get("/api/v1/clients?tag=vip&locale=nb")) == ["Kari Nordmann"]
    assert names(other_api.get("/api/v1/clients?q=kari")) == ["Kari Elsewhere"]

    first = api.get("/api/v1/clients?limit=2").json
    rest = api.get(f"/api/v1/clients?limit=2&cursor={first['next_cursor']}").json
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_bad_filters_are_problems(photographer_api):
    for query, field in [("event_type=divorce", "event_type"), ("last_shoot_after=14.06.2025", "last_shoot_after"),
                         ("min_spend=-1", "min_spend"), ("consent=perhaps", "consent"), ("locale=english please",
                                                                                           "locale"),
                         ("limit=0", "limit"), ("q=" + "x" * 201, "q")]:
        body = problem(photographer_api.get(f"/api/v1/clients?{query}"), 422)
        assert field in str(body["errors"]), query
    problem(photographer_api.get("/api/v1/clients?cursor=forged"), 400)
    problem(photographer_api.get("/api/v1/clients?q=a%00b"), 400)
