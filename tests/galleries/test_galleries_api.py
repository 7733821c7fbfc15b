from tests.plugins.problems import problem


def test_gallery_lifecycle(photographer_api):
    client = photographer_api.post("/api/v1/clients", json={"name": "Ola"}).json
    created = photographer_api.post("/api/v1/galleries", json={
        "title": "Ola & Kari — Bryllup", "client_id": client["id"], "event_type": "wedding",
        "shoot_date": "2026-06-20", "selection_limit": 40, "password": "fjord",
        "download_policy": {"guest": "none"}, "expires_at": "2027-06-20T00:00:00+02:00"})
    assert created.status_code == 201, created.json
    gallery = created.json
    assert gallery["slug"] == "ola-kari-bryllup" and gallery["status"] == "draft"
    assert gallery["has_password"] is True and "password" not in gallery
    assert gallery["download_policy"] == {"client": "full", "guest": "none"}
    assert gallery["expires_at"].startswith("2027-06-19T22:00:00")

    gid = gallery["id"]
    ceremony = photographer_api.post(f"/api/v1/galleries/{gid}/sets", json={"name": "Ceremony"}).json
    reception = photographer_api.post(f"/api/v1/galleries/{gid}/sets", json={"name": "Reception"}).json
    photographer_api.patch(f"/api/v1/galleries/{gid}/sets/{reception['id']}", json={"position": 0})
    sets = photographer_api.get(f"/api/v1/galleries/{gid}").json["sets"]
    assert [s["name"] for s in sets] == ["Reception", "Ceremony"]

    published = photographer_api.post(f"/api/v1/galleries/{gid}/publish", json={})
    assert published.json["status"] == "published" and published.json["published_at"]
    patched = photographer_api.patch(f"/api/v1/galleries/{gid}", json={"password": None, "title": "New"})
    assert patched.json["has_password"] is False and patched.json["slug"] == "ola-kari-bryllup"
    assert photographer_api.delete(f"/api/v1/galleries/{gid}/sets/{ceremony['id']}").status_code == 204
    assert photographer_api.delete(f"/api/v1/galleries/{gid}").status_code == 204
    problem(photographer_api.get(f"/api/v1/galleries/{gid}"), 404)


def test_slugs_are_unique_per_photographer(photographer_api):
    first = photographer_api.post("/api/v1/galleries", json={"title": "Family"}).json
    second = photographer_api.post("/api/v1/galleries", json={"title": "Family"}).json
    assert (first["slug"], second["slug"]) == ("family", "family-2")


def test_validation(photographer_api):
    body = problem(photographer_api.post("/api/v1/galleries", json={
        "title": "x" * 201, "event_type": "bar-mitzvah-party", "status": "published", "selection_limit": 0,
        "download_policy": {"client": "huge"}, "expires_at": "2027-01-01T00:00:00"}), 422)
    assert {"title", "event_type", "status", "selection_limit", "download_policy.client", "expires_at"} <= set(body["errors"])


def test_list_newest_first_with_filters(photographer_api):
    ids = [photographer_api.post("/api/v1/galleries", json={"title": f"G{i}"}).json["id"] for i in range(3)]
    photographer_api.post(f"/api/v1/galleries/{ids[0]}/publish", json={})
    listed = photographer_api.get("/api/v1/galleries?limit=2").json
    rest = photographer_api.get(f"/api/v1/galleries?limit=2&cursor={listed['next_cursor']}").json
    assert [g["id"] for g in listed["items"] + rest["items"]] == ids[::-1]
    assert [g["id"] for g in photographer_api.get("/api/v1/galleries?status=published").json["items"]] == [ids[0]]


def test_cannot_link_another_photographers_client(make_photographer):
    _, alice = make_photographer()
    _, bob = make_photographer()
    bobs_client = bob.post("/api/v1/clients", json={"name": "Bob's client"}).json
    problem(alice.post("/api/v1/galleries", json={"title": "Steal", "client_id": bobs_client["id"]}), 404)
