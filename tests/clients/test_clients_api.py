from tests.plugins.problems import problem

KARI = {
    "name": "Kari Nordmann", "email": "kari@example.no", "locale": "nb", "timezone": "Europe/Oslo",
    "marketing_consent": True, "consent_source": "booking form", "tags": ["wedding"],
    "important_dates": [{"kind": "wedding", "date": "2025-08-16", "label": "Wedding"},
                        {"kind": "child_birth", "date": "2026-03-02"}],
}


def test_create_read_update_delete(photographer_api):
    created = photographer_api.post("/api/v1/clients", json=KARI)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["consent_given_at"] and body["consent_source"] == "booking form"
    assert [d["kind"] for d in body["important_dates"]] == ["wedding", "child_birth"]

    client_id = body["id"]
    assert photographer_api.get(f"/api/v1/clients/{client_id}").json["email"] == "kari@example.no"
    withdrawn = photographer_api.patch(f"/api/v1/clients/{client_id}", json={"marketing_consent": False})
    assert withdrawn.json["marketing_consent"] is False and withdrawn.json["consent_withdrawn_at"]
    assert photographer_api.delete(f"/api/v1/clients/{client_id}").status_code == 204
    problem(photographer_api.get(f"/api/v1/clients/{client_id}"), 404)


def test_a_new_client_gets_the_studios_language_and_time_zone(make_photographer):
    _, api = make_photographer(locale="nb", timezone="Europe/Oslo")
    ola = api.post("/api/v1/clients", json={"name": "Ola"}).json
    assert (ola["locale"], ola["timezone"]) == ("nb", "Europe/Oslo")
    ines = api.post("/api/v1/clients", json={"name": "Ines", "locale": "pl", "timezone": "Europe/Warsaw"}).json
    assert (ines["locale"], ines["timezone"]) == ("pl", "Europe/Warsaw")


def test_granting_consent_needs_a_source(photographer_api):
    body = problem(photographer_api.post("/api/v1/clients", json={"name": "X", "marketing_consent": True}), 422)
    assert "consent_source" in body["errors"]


def test_validation(photographer_api):
    body = problem(photographer_api.post("/api/v1/clients", json={
        "name": "", "email": "nope", "timezone": "Europe/Atlantis", "locale": "english please",
        "important_dates": [{"kind": "divorce", "date": "2020-13-01"}]}), 422)
    assert {"name", "email", "timezone", "locale", "important_dates.0.kind", "important_dates.0.date"} <= set(body["errors"])


def test_duplicate_email_is_conflict(photographer_api):
    photographer_api.post("/api/v1/clients", json=KARI)
    problem(photographer_api.post("/api/v1/clients", json={"name": "Other", "email": "KARI@example.no"}), 409)


def test_list_paginates_and_filters(photographer_api):
    for i in range(5):
        photographer_api.post("/api/v1/clients", json={"name": f"Client {i}", "tags": ["vip"] if i % 2 else []})
    first = photographer_api.get("/api/v1/clients?limit=2").json
    second = photographer_api.get(f"/api/v1/clients?limit=2&cursor={first['next_cursor']}").json
    third = photographer_api.get(f"/api/v1/clients?limit=2&cursor={second['next_cursor']}").json
    names = [c["name"] for c in first["items"] + second["items"] + third["items"]]
    assert names == [f"Client {i}" for i in range(5)] and third["next_cursor"] is None
    assert [c["name"] for c in photographer_api.get("/api/v1/clients?tag=vip").json["items"]] == ["Client 1", "Client 3"]
    assert [c["name"] for c in photographer_api.get("/api/v1/clients?q=client 4").json["items"]] == ["Client 4"]
    problem(photographer_api.get("/api/v1/clients?cursor=garbage"), 400)
    problem(photographer_api.get("/api/v1/clients?limit=100000"), 422)
