"""Cross-cutting HTTP behaviour: health, problem+json, security headers, CORS, config."""
import pytest

from gallery import ConfigError, Settings


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_unknown_route_is_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_bad_json_is_400_problem(photographer_api):
    response = photographer_api.post("/api/v1/clients", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "JSON" in response.json["detail"]


def test_wrong_types_name_the_field(photographer_api):
    response = photographer_api.post("/api/v1/galleries", json={"title": 12, "selection_limit": "forty"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "selection_limit"}


def test_security_headers(client):
    headers = client.get("/healthz").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_cors_allows_only_the_photographers_origins(make_photographer, app):
    photographer, api = make_photographer()
    api.patch("/api/v1/me", json={"allowed_origins": ["https://studio.example"]})
    allowed = api.get("/api/v1/me", headers={"Origin": "https://studio.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://studio.example"
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    denied = api.get("/api/v1/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    preflight = app.test_client().options("/api/v1/galleries", headers={
        "Origin": "https://studio.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == "https://studio.example"
    evil = app.test_client().options("/api/v1/galleries", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in evil.headers


@pytest.mark.parametrize("name,value,needle", [
    ("DATABASE_URL", "mysql://x", "GALLERY_DATABASE_URL"),
    ("REDIS_URL", "localhost:6379", "GALLERY_REDIS_URL"),
    ("STORAGE_BACKEND", "ftp", "GALLERY_STORAGE_BACKEND"),
    ("SMTP_PORT", "twenty-five", "GALLERY_SMTP_PORT"),
    ("SMTP_STARTTLS", "maybe", "GALLERY_SMTP_STARTTLS"),
])
def test_bad_config_names_the_variable(name, value, needle):
    with pytest.raises(ConfigError, match=needle):
        Settings.from_env({f"GALLERY_{name}": value})


def test_production_requires_secret_and_public_url():
    with pytest.raises(ConfigError, match="GALLERY_SECRET_KEY"):
        Settings.from_env({"GALLERY_ENV": "production"})
    with pytest.raises(ConfigError, match="GALLERY_S3_BUCKET"):
        Settings.from_env({"GALLERY_STORAGE_BACKEND": "s3"})


def test_wsgi_exits_with_one_line_on_bad_config():
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True,
                            env={"GALLERY_DATABASE_URL": "nope://", "PATH": "/usr/bin"},
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: GALLERY_DATABASE_URL: expected a URL with scheme postgres or postgresql or sqlite, got 'nope://'"]
