"""Hostile and careless input: every malformed request gets a 4xx problem+json and changes nothing."""
import json

import pytest

from gallery.clients.models import Client
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.models import ShareLink


def problem(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/problem+json"
    return response.get_json()


# --- request bodies ------------------------------------------------------------------------------------------

def test_oversized_json_is_refused_from_its_declared_length(client):
    body = b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'", "password": "x"}'
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert problem(response, 413)["max_bytes"] == 16 * 1024


def test_oversized_chunked_json_is_cut_off_while_reading(app):
    from werkzeug.test import EnvironBuilder
    import io

    body = b"[" + b"1," * (600 * 1024) + b"1]"
    builder = EnvironBuilder(path="/api/v1/clients", method="POST", input_stream=io.BytesIO(body),
                             content_type="application/json", headers={"Transfer-Encoding": "chunked"})
    environ = builder.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True
    response = app.test_client().open(environ)
    assert response.status_code in (401, 413)  # unauthenticated: refused before the body is read at all


def test_each_route_has_its_own_limit(photographer_api):
    # 300 KB of JSON: over the default JSON limit, under the digest check's.
    digests = ["0" * 64] * 4500
    big = photographer_api.post("/api/v1/clients", json={"name": "x", "notes": "y" * 300_000})
    problem(big, 413)
    gallery = photographer_api.post("/api/v1/galleries", json={"title": "G"}).json
    ok = photographer_api.post(f"/api/v1/galleries/{gallery['id']}/uploads/check", json={"sha256": digests})
    assert ok.status_code == 200, ok.get_data(as_text=True)


def test_deep_nesting_is_400(client):
    body = "[" * 100_000 + "]" * 100_000
    problem(client.post("/api/v1/auth/login", data=body, content_type="application/json"), 400, 413)
    body = "[" * 5000 + "]" * 5000
    problem(client.post("/api/v1/auth/login", data=body, content_type="application/json"), 400)
    nested = {"email": "a@example.com", "password": "p"}
    for _ in range(40):
        nested = {"x": nested}
    problem(client.post("/api/v1/auth/login", json=nested), 400)


def test_long_lists_are_refused_before_their_items_are_validated(photographer_api):
    response = photographer_api.post("/api/v1/clients", json={"name": "Kari", "tags": [{}] * 4000})
    body = problem(response, 400, 422)
    assert len(response.get_data()) < 2000
    if response.status_code == 422:
        assert body["errors"] == {"tags": ["At most 50 items (got 4000)."]}
    assert db.session.scalar(db.select(db.func.count(Client.id))) == 0


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", "x\udfffy"])
def test_nul_and_lone_surrogates_in_json_are_400(client, photographer_api, value):
    raw = json.dumps({"email": f"{value}@example.com", "password": "a long secret 42", "studio_name": value})
    problem(client.post("/api/v1/auth/signup", data=raw, content_type="application/json"), 400)
    problem(client.post("/api/v1/auth/login", data=json.dumps({"email": value, "password": value}),
                        content_type="application/json"), 400)
    problem(photographer_api.post("/api/v1/clients", data=json.dumps({"name": value}),
                                  content_type="application/json"), 400)


@pytest.mark.parametrize("path", ["/api/v1/share/%00", "/g/%00", "/api/v1/share/abc%00def/photos",
                                  "/api/v1/galleries?cursor=%00", "/api/v1/galleries/%00"])
def test_nul_in_paths_and_queries_is_400(client, photographer_api, path):
    problem(photographer_api.get(path), 400)
    problem(client.get(path), 400)


@pytest.mark.parametrize("cursor", ["[1]", '[{"a":1}]', "[Infinity]", "[true]", "[1e400]", '["x\\u0000"]',
                                    "[null]", "[[1]]", "garbage!"])
def test_forged_cursors_are_400(photographer_api, cursor):
    import base64

    encoded = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
    for path in ("/api/v1/galleries", "/api/v1/clients"):
        body = problem(photographer_api.get(f"{path}?cursor={encoded}"), 400)
        assert "cursor" in body["errors"]


@pytest.mark.parametrize("cursor", ['["Infinity", "x"]', '[1.5, "x"]', '[1, 2]', '[1e999, "x"]'])
def test_forged_cursors_of_typed_keys_are_400(photographer_api, cursor):
    import base64

    gallery = photographer_api.post("/api/v1/galleries", json={"title": "G"}).json
    encoded = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
    problem(photographer_api.get(f"/api/v1/galleries/{gallery['id']}/photos?cursor={encoded}"), 400)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1200-01-01T00:00:00Z"])
def test_out_of_range_datetimes_are_422(photographer_api, value):
    gallery = photographer_api.post("/api/v1/galleries", json={"title": "G"}).json
    problem(photographer_api.patch(f"/api/v1/galleries/{gallery['id']}", json={"expires_at": value}), 422)
    problem(photographer_api.post(f"/api/v1/galleries/{gallery['id']}/share-links", json={"expires_at": value}), 422)
    assert db.session.scalar(db.select(db.func.count(ShareLink.id))) == 0


def test_strings_longer_than_their_column_are_422(photographer_api):
    problem(photographer_api.post("/api/v1/galleries", json={"title": "G", "slug": "s" * 121}), 422)
    assert db.session.scalar(db.select(db.func.count(Gallery.id))) == 0


def test_column_guard_names_the_field(app, make_photographer):
    from gallery.core.column_guard import check_row
    from gallery.errors import Problem

    photographer, _ = make_photographer()
    photographer.studio_name = "x" * 201
    with pytest.raises(Problem) as raised:
        check_row(photographer)
    assert raised.value.errors == {"studio_name": ["At most 200 characters."]}
    db.session.rollback()


def test_empty_string_ids_are_422_not_a_foreign_key_error(photographer_api):
    problem(photographer_api.post("/api/v1/galleries", json={"title": "G", "client_id": ""}), 422)
    gallery = photographer_api.post("/api/v1/galleries", json={"title": "G"}).json
    problem(photographer_api.patch(f"/api/v1/galleries/{gallery['id']}", json={"client_id": ""}), 422)
    problem(photographer_api.patch(f"/api/v1/galleries/{gallery['id']}", json={"cover_photo_id": ""}), 404, 422)


@pytest.mark.parametrize("content_type,data", [
    ("application/json", ""), ("text/plain", '{"title": "x"}'), ("application/x-www-form-urlencoded", "title=x"),
    ("application/xml", "<title>x</title>"), (None, ""),
])
def test_bodies_that_are_not_json_change_nothing(photographer_api, content_type, data):
    gallery = photographer_api.post("/api/v1/galleries", json={"title": "Before"}).json
    headers = {"Content-Type": content_type} if content_type else {}
    problem(photographer_api.patch(f"/api/v1/galleries/{gallery['id']}", data=data, headers=headers), 400, 415)
    problem(photographer_api.post(f"/api/v1/galleries/{gallery['id']}/share-links", data=data, headers=headers),
            400, 415)
    assert db.session.scalar(db.select(db.func.count(ShareLink.id))) == 0
    assert photographer_api.get(f"/api/v1/galleries/{gallery['id']}").json["title"] == "Before"


def test_huge_integers_are_refused(photographer_api):
    problem(photographer_api.post("/api/v1/galleries", json={"title": "G", "selection_limit": 10 ** 30}), 400, 422)
    problem(photographer_api.post("/api/v1/galleries", json={"title": "G", "selection_limit": 2 ** 40}), 422)
