"""Dependencies down, with real faults on loopback: 503 problem+json with Retry-After, or a degraded mode
that keeps working; and everything recovers by itself."""
from __future__ import annotations

import io
import time

import pytest
from sqlalchemy.engine import make_url

from gallery import create_app
from gallery.extensions import db
from tests.conftest import BACKENDS, POSTGRES_URL, ApiClient, IsolatedClient, app_settings, empty_all_tables, \
    ensure_postgres_database

SIGNUP = {"email": "faults@example.com", "password": "a long secret 42", "studio_name": "Faults"}
needs_postgres = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL not in this run")


def unavailable(response):
    assert response.status_code == 503, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    return response.get_json()


def through(port: int) -> str:
    return str(make_url(POSTGRES_URL).set(host="127.0.0.1", port=port).render_as_string(hide_password=False))


@needs_postgres
def test_database_refusing_answers_503_on_every_route_then_recovers(tmp_path, make_proxy):
    ensure_postgres_database(POSTGRES_URL)
    proxy = make_proxy(make_url(POSTGRES_URL).port or 5432)
    app = create_app(app_settings("postgresql", tmp_path, database_url=through(proxy.port),
                                  database_connect_timeout=2))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        try:
            http = app.test_client()
            assert http.post("/api/v1/auth/signup", json=SIGNUP).status_code == 201
            from gallery.accounts import services
            from gallery.accounts.models import Photographer

            photographer = db.session.scalar(db.select(Photographer))
            _, token = services.issue_token(photographer, "t")
            db.session.commit()
            api = ApiClient(app.test_client(), token)
            assert api.get("/api/v1/galleries").status_code == 200

            proxy.cut()
            unavailable(api.get("/api/v1/galleries"))
            unavailable(api.post("/api/v1/galleries", json={"title": "x"}))
            unavailable(app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"],
                                                                           "password": SIGNUP["password"]}))
            unavailable(app.test_client().get("/api/v1/share/some-token"))
            unavailable(app.test_client().get("/g/some-token"))
            assert app.test_client().get("/healthz").status_code == 503

            proxy.restore()
            assert api.get("/api/v1/galleries").status_code == 200
            assert app.test_client().get("/healthz").status_code == 200
        finally:
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()


@needs_postgres
def test_database_black_holed_answers_503_within_seconds(tmp_path, black_hole):
    app = create_app(app_settings("postgresql", tmp_path, database_url=through(black_hole.port),
                                  database_connect_timeout=2))
    app.test_client_class = IsolatedClient
    with app.app_context():
        for request in (lambda c: c.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "x" * 12}),
                        lambda c: c.get("/api/v1/me", headers={"Authorization": "Bearer gph_" + "x" * 40}),
                        lambda c: c.get("/api/v1/share/some-token")):
            started = time.monotonic()
            unavailable(request(app.test_client()))
            assert time.monotonic() - started < 10
        db.engine.dispose()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(out, "JPEG")
    return out.getvalue()


def test_redis_down_login_works_and_uploads_are_saved(tmp_path, closed_port, caplog):
    app = create_app(app_settings("sqlite", tmp_path, redis_url=f"redis://127.0.0.1:{closed_port}/0"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        http = app.test_client()
        signup = http.post("/api/v1/auth/signup", json=SIGNUP)
        assert signup.status_code == 201, signup.get_data(as_text=True)
        for _ in range(2):
            login = app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"],
                                                                       "password": SIGNUP["password"]})
            assert login.status_code == 200, login.get_data(as_text=True)
        # The limits still hold, per process, while Redis is away.
        codes = [app.test_client().post("/api/v1/auth/login", json={"email": SIGNUP["email"], "password": "wrong!"})
                 .status_code for _ in range(6)]
        assert codes[-1] == 429

        from gallery.accounts import services
        from gallery.accounts.models import Photographer
        from gallery.galleries.models import Photo

        _, token = services.issue_token(db.session.scalar(db.select(Photographer)), "t")
        db.session.commit()
        api = ApiClient(app.test_client(), token)
        gallery = api.post("/api/v1/galleries", json={"title": "G"}).json
        upload = api.post(f"/api/v1/galleries/{gallery['id']}/photos",
                          data={"file": (io.BytesIO(_jpeg()), "a.jpg")}, content_type="multipart/form-data")
        assert upload.status_code == 201, upload.get_data(as_text=True)
        photo = db.session.get(Photo, upload.json["photo"]["id"])
        assert photo.status == "processing"  # waiting for the reconciler once Redis is back
        assert any("left for the reconciler" in r.getMessage() for r in caplog.records)
        db.session.remove()
        db.engine.dispose()
