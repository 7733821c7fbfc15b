"""A leaked token or session can be shut out: scopes, session revocation, password change, CSRF."""
import pytest

from gallery import create_app
from tests.conftest import ApiClient

SIGNUP = {"email": "owner@example.com", "password": "a long secret 42", "studio_name": "Owner Foto"}


def signed_in(app):
    http = app.test_client()
    response = http.post("/api/v1/auth/signup" if not signed_in.done.get(id(app)) else "/api/v1/auth/login",
                         json=SIGNUP if not signed_in.done.get(id(app)) else
                         {"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    signed_in.done[id(app)] = True
    return http, response.json["csrf_token"]


signed_in.done = {}


@pytest.fixture(autouse=True)
def _fresh(app):
    signed_in.done.pop(id(app), None)
    yield
    signed_in.done.pop(id(app), None)


def mint(http, csrf, **body):
    response = http.post("/api/v1/auth/tokens", json={"name": "t", **body}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def test_a_cookie_captured_before_logout_no_longer_works(app):
    http, csrf = signed_in(app)
    captured = http.get_cookie("session").value
    assert http.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    thief = app.test_client()
    thief.set_cookie("session", captured)
    assert thief.get("/api/v1/me").status_code == 401


def test_a_bearer_token_cannot_change_the_password(app):
    http, csrf = signed_in(app)
    token = ApiClient(app.test_client(), mint(http, csrf, scopes=["read", "write", "account"])["token"])
    response = token.patch("/api/v1/me", json={"password": "taken over 12345", "current_password": SIGNUP["password"]})
    assert response.status_code == 403
    assert app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"],
                                                              "password": SIGNUP["password"]}).status_code == 200


def test_the_password_change_needs_the_current_password(app):
    http, csrf = signed_in(app)
    response = http.patch("/api/v1/me", json={"password": "new secret 12345"}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 403 and "current_password" in response.json["errors"]
    response = http.patch("/api/v1/me", json={"password": "new secret 12345", "current_password": "wrong one"},
                          headers={"X-CSRF-Token": csrf})
    assert response.status_code == 403


def test_changing_the_password_ends_other_sessions_and_chosen_tokens(app):
    other, _ = signed_in(app)
    http, csrf = signed_in(app)
    kept = mint(http, csrf)["token"]
    response = http.patch("/api/v1/me", json={"password": "new secret 12345", "current_password": SIGNUP["password"]},
                          headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert other.get("/api/v1/me").status_code == 401
    assert http.get("/api/v1/me").status_code == 200  # the session that changed it stays
    assert ApiClient(app.test_client(), kept).get("/api/v1/me").status_code == 200  # not chosen: kept

    csrf = http.get("/api/v1/auth/csrf").json["csrf_token"]
    response = http.patch("/api/v1/me", json={"password": "newer secret 12345", "current_password": "new secret 12345",
                                              "revoke_tokens": True}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert ApiClient(app.test_client(), kept).get("/api/v1/me").status_code == 401


def test_sign_out_everywhere(app):
    other, _ = signed_in(app)
    http, csrf = signed_in(app)
    token = mint(http, csrf)["token"]
    listed = http.get("/api/v1/auth/sessions").json["items"]
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    result = http.post("/api/v1/auth/sessions/revoke", json={"revoke_tokens": True}, headers={"X-CSRF-Token": csrf})
    assert result.json == {"sessions_ended": 1, "tokens_revoked": 1}
    assert other.get("/api/v1/me").status_code == 401
    assert ApiClient(app.test_client(), token).get("/api/v1/me").status_code == 401
    assert http.get("/api/v1/me").status_code == 200


def test_token_scopes_are_enforced(app):
    http, csrf = signed_in(app)
    website = ApiClient(app.test_client(), mint(http, csrf, scopes=["read"])["token"])
    studio = ApiClient(app.test_client(), mint(http, csrf)["token"])
    assert website.get("/api/v1/galleries").status_code == 200
    denied = website.post("/api/v1/galleries", json={"title": "Nope"})
    assert denied.status_code == 403 and "write" in denied.json["detail"]
    assert studio.post("/api/v1/galleries", json={"title": "Yes"}).status_code == 201
    # Neither may manage the account's credentials.
    for token in (website, studio):
        assert token.post("/api/v1/auth/tokens", json={"name": "more"}).status_code == 403
        assert token.get("/api/v1/auth/tokens").status_code == 403
        assert token.post("/api/v1/auth/sessions/revoke", json={}).status_code == 403
    listed = http.get("/api/v1/auth/tokens").json["items"]
    assert sorted(t["scopes"] for t in listed) == [["read"], ["read", "write"]]


def test_a_token_request_ignores_cookies(app):
    http, csrf = signed_in(app)
    # A wrong token next to a valid session cookie: refused, the cookie does not step in.
    response = http.post("/api/v1/galleries", json={"title": "x"}, headers={"Authorization": "Bearer gph_forged"})
    assert response.status_code == 401
    response = http.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_a_cookie_write_always_needs_the_csrf_token(app):
    http, csrf = signed_in(app)
    assert http.post("/api/v1/galleries", json={"title": "x"}).status_code == 403
    assert http.post("/api/v1/galleries", json={"title": "x"}, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_cookies_are_secure_when_the_public_url_is_https(_app, tmp_path):
    from tests.conftest import app_settings

    settings = app_settings("sqlite", tmp_path, public_base_url="https://gallery.example")
    assert create_app(settings).config["SESSION_COOKIE_SECURE"] is True
    settings = app_settings("sqlite", tmp_path, public_base_url="http://gallery.test")
    assert create_app(settings).config["SESSION_COOKIE_SECURE"] is False
