"""Allowed origins of the photographer's own website (PATCH /me `allowed_origins`): stored exactly as browsers
send the Origin header, so what the photographer types is what a preflight matches; anything that is not an
origin is refused; only a browser session or a token with the `account` scope may change them."""
from __future__ import annotations

import pytest

from gallery.accounts import services
from gallery.extensions import db
from tests.conftest import ApiClient
from tests.plugins.problems import problem


def preflight(app, origin, path="/api/v1/galleries"):
    return app.test_client().options(path, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "authorization"})


def test_origins_are_normalised_deduplicated_and_effective_for_a_preflight(app, make_photographer):
    photographer, api = make_photographer()
    assert "Access-Control-Allow-Origin" not in preflight(app, "https://www.anna-foto.example").headers
    answer = api.patch("/api/v1/me", json={"allowed_origins": [
        "HTTPS://WWW.Anna-Foto.example:443/", "https://www.anna-foto.example", "http://localhost:8080",
        "https://shop.anna-foto.example:8443", "https://bücher.example"]})
    assert answer.status_code == 200, answer.json
    assert answer.json["allowed_origins"] == ["https://www.anna-foto.example", "http://localhost:8080",
                                              "https://shop.anna-foto.example:8443", "https://xn--bcher-kva.example"]
    for origin in answer.json["allowed_origins"]:
        response = preflight(app, origin)
        assert response.status_code == 204 and response.headers["Access-Control-Allow-Origin"] == origin
        assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in preflight(app, "https://evil.example").headers
    assert "Access-Control-Allow-Origin" not in preflight(app, "http://www.anna-foto.example").headers

    # Removing an origin closes it at once.
    api.patch("/api/v1/me", json={"allowed_origins": []})
    assert "Access-Control-Allow-Origin" not in preflight(app, "https://www.anna-foto.example").headers


@pytest.mark.parametrize("value", [
    "*", "null", "https://*.example.com", "https://www.example.com/path", "https://www.example.com/?q=1",
    "https://www.example.com#top", "javascript:alert(1)", "data:text/html,x", "ftp://example.com",
    "https://user:pw@example.com", "www.example.com", "https://", "https://exa mple.com", "https://example.com:99999",
    "https://example.com\r\nX-Injected: 1", "https://" + "a" * 300 + ".example", "file:///etc/passwd",
    "https://-bad-.example",
])
def test_what_is_not_an_origin_is_refused(photographer_api, value):
    body = problem(photographer_api.patch("/api/v1/me", json={"allowed_origins": [value]}), 422)
    assert any(key.startswith("allowed_origins") for key in body["errors"])
    assert photographer_api.get("/api/v1/me").json["allowed_origins"] == []


def test_too_many_origins_or_not_a_list_is_refused(photographer_api):
    problem(photographer_api.patch("/api/v1/me", json={"allowed_origins": [
        f"https://site{i}.example" for i in range(21)]}), 422)
    for value in ("https://www.example.com", {"a": 1}, [1, 2]):
        problem(photographer_api.patch("/api/v1/me", json={"allowed_origins": value}), 422)


def test_only_the_account_scope_may_change_origins(app, make_photographer):
    photographer, owner = make_photographer()
    _, plain = services.issue_token(photographer, "website", ["read", "write"])
    db.session.commit()
    writer = ApiClient(app.test_client(), plain)
    body = problem(writer.patch("/api/v1/me", json={"allowed_origins": ["https://evil.example"]}), 403)
    assert "account" in body["detail"]
    assert "Access-Control-Allow-Origin" not in preflight(app, "https://evil.example").headers
    assert writer.patch("/api/v1/me", json={"branding": {"accent_color": "#1a4d2e"}}).status_code == 200
    assert owner.patch("/api/v1/me", json={"allowed_origins": ["https://www.example.com"]}).status_code == 200
