from gallery.accounts.models import ApiToken
from gallery.extensions import db
from tests.conftest import ApiClient
from tests.plugins.problems import problem

SIGNUP = {"email": "Anna@Example.com", "password": "a long secret 42", "studio_name": "Anna Foto"}


def test_signup_login_session_and_logout(client):
    response = client.post("/api/v1/auth/signup", json=SIGNUP)
    assert response.status_code == 201
    assert response.json["photographer"]["email"] == "anna@example.com"
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": response.json["csrf_token"]})
    problem(client.get("/api/v1/me"), 401)

    login = client.post("/api/v1/auth/login", json={"email": "ANNA@example.com", "password": SIGNUP["password"]})
    assert login.status_code == 200
    assert client.get("/api/v1/me").json["studio_name"] == "Anna Foto"


def test_password_is_stored_with_argon2(client):
    from gallery.accounts.models import Photographer

    client.post("/api/v1/auth/signup", json=SIGNUP)
    stored = db.session.scalar(db.select(Photographer.password_hash))
    assert stored.startswith("$argon2id$") and SIGNUP["password"] not in stored


def test_duplicate_signup_is_conflict(app):
    app.test_client().post("/api/v1/auth/signup", json=SIGNUP)
    body = problem(app.test_client().post("/api/v1/auth/signup", json=SIGNUP), 409)
    assert "email" in body["errors"]


def test_signup_validation_names_each_field(client):
    body = problem(client.post("/api/v1/auth/signup", json={
        "email": "not-an-email", "password": "short", "studio_name": "x" * 201, "timezone": "Mars/Olympus",
        "favourite_colour": "blue"}), 422)
    assert set(body["errors"]) == {"email", "password", "studio_name", "timezone", "favourite_colour"}


def test_wrong_password_is_401(app):
    app.test_client().post("/api/v1/auth/signup", json=SIGNUP)
    client = app.test_client()
    problem(client.post("/api/v1/auth/login", json={"email": SIGNUP["email"], "password": "wrong password"}), 401)
    problem(client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "whatever"}), 401)


def test_too_many_failed_logins_per_account_and_address_is_429(app):
    app.test_client().post("/api/v1/auth/signup", json=SIGNUP)
    attempts = [app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"], "password": f"bad {i}"},
                                       environ_base={"REMOTE_ADDR": "10.0.0.9"})
                for i in range(6)]
    assert [r.status_code for r in attempts] == [401] * 5 + [429]
    body = problem(attempts[-1], 429)
    assert "Too many" in body["detail"]
    assert attempts[-1].headers.get("Retry-After")
    # Other spellings of the same address share the budget.
    again = app.test_client().post("/api/v1/auth/login", json={"email": "ANNA@ｅxample.com", "password": "bad"},
                                   environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert again.status_code == 429


def test_guessing_from_elsewhere_does_not_lock_the_owner_out(app):
    app.test_client().post("/api/v1/auth/signup", json=SIGNUP)
    for i in range(12):
        app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"], "password": f"bad {i}"},
                               environ_base={"REMOTE_ADDR": f"10.0.{i // 6}.{i}"})
    owner = app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"], "password": SIGNUP["password"]},
                                   environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert owner.status_code == 200


def test_too_many_logins_per_ip_is_429(app):
    client = app.test_client()
    codes = [client.post("/api/v1/auth/login", json={"email": f"user{i}@example.com", "password": "nope"}).status_code
             for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429


def test_tokens_are_hashed_shown_once_and_revocable(make_photographer, app):
    photographer, api = make_photographer()
    created = api.post("/api/v1/auth/tokens", json={"name": "lightroom"})
    assert created.status_code == 201
    plain = created.json["token"]
    assert db.session.scalar(db.select(ApiToken).where(ApiToken.id == created.json["id"])).token_hash != plain
    listed = api.get("/api/v1/auth/tokens").json["items"]
    assert all("token" not in item for item in listed) and len(listed) == 2

    other = ApiClient(app.test_client(), plain)
    assert other.get("/api/v1/me").json["id"] == photographer.id
    assert api.delete(f"/api/v1/auth/tokens/{created.json['id']}").status_code == 204
    body = problem(other.get("/api/v1/me"), 401)
    assert "revoked" in body["detail"]


def test_unknown_bearer_token_is_401(client):
    problem(client.get("/api/v1/me", headers={"Authorization": "Bearer gph_nope"}), 401)


def test_cookie_writes_need_csrf_but_bearer_writes_do_not(client, photographer_api):
    signup = client.post("/api/v1/auth/signup", json=SIGNUP)
    problem(client.post("/api/v1/clients", json={"name": "Kari"}), 403)
    ok = client.post("/api/v1/clients", json={"name": "Kari"}, headers={"X-CSRF-Token": signup.json["csrf_token"]})
    assert ok.status_code == 201
    assert photographer_api.post("/api/v1/clients", json={"name": "Kari"}).status_code == 201


def test_update_profile(photographer_api):
    response = photographer_api.patch("/api/v1/me", json={
        "studio_name": "New Name", "timezone": "Asia/Jakarta", "allowed_origins": ["https://anna.example"],
        "branding": {"accent_color": "#aa3300"}})
    assert response.status_code == 200, response.json
    assert response.json["timezone"] == "Asia/Jakarta"
    problem(photographer_api.patch("/api/v1/me", json={"timezone": "Nowhere"}), 422)
    problem(photographer_api.patch("/api/v1/me", json={"email": "x@example.com"}), 422)
