"""Request ids, JSON logs, the access log, liveness and readiness, who may read /metrics, trusted
proxies, the Sentry switch and the .env loader."""
import io
import json
import logging
from contextlib import contextmanager

import pytest

from gallery.observability import logs


@contextmanager
def captured(logger_name: str | None = None):
    """JSON log lines written while inside (INFO and up), as parsed dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs._formatter("json"))
    logger = logging.getLogger(logger_name)
    saved, was_disabled = logger.level, logger.disabled
    logger.disabled = False  # alembic's fileConfig (the migration tests) disables loggers that exist already
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)
        logger.disabled = was_disabled
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


def test_a_request_id_is_echoed_or_made(client):
    given = client.get("/livez", headers={"X-Request-ID": "proxy-id-12345678"})
    assert given.headers["X-Request-ID"] == "proxy-id-12345678"
    made = client.get("/livez")
    assert len(made.headers["X-Request-ID"]) == 32
    hostile = client.get("/livez", headers={"X-Request-ID": 'x" onerror=1 \u2028' * 3})
    assert hostile.headers["X-Request-ID"] != 'x" onerror=1 \u2028' * 3 and len(hostile.headers["X-Request-ID"]) == 32


def test_the_access_log_is_one_json_line_per_request_with_its_id(client):
    with captured("gallery.access") as lines:
        client.get("/api/v1/share/no-such-token", headers={"X-Request-ID": "trace-0001-abcd"})
    [line] = lines
    assert line["request_id"] == "trace-0001-abcd"
    assert line["status"] == 404 and line["method"] == "GET" and line["route"] == "/api/v1/share/<token>"
    assert line["logger"] == "gallery.access" and line["duration_ms"] >= 0 and line["remote_addr"] == "127.0.0.1"


def _mails_counted(client, result: str) -> float:
    import re

    text = client.get("/metrics").get_data(as_text=True)
    match = re.search(rf'^gallery_mails_total{{result="{result}"}} (\S+)$', text, re.M)
    return float(match.group(1)) if match else 0.0


def test_a_mail_caused_by_a_request_carries_its_id(app, client, make_photographer, make_gallery, make_share_link,
                                                    clean_mail_dir):
    import email
    from email import policy

    from gallery.extensions import db
    from gallery.mail.models import OutboxMail

    photographer, _ = make_photographer()
    link = make_share_link(make_gallery(photographer, publish=True))
    before = set(clean_mail_dir.glob("*.eml"))
    sent_before = _mails_counted(client, "sent")
    with captured("gallery.mail") as lines:
        response = app.test_client().post(f"/api/v1/share/{link.token}/visitors", json={"email": "kari@example.no"},
                                          headers={"X-Request-ID": "mail-trace-0001"})
    assert response.status_code == 202
    [path] = list(set(clean_mail_dir.glob("*.eml")) - before)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["X-Request-ID"] == "mail-trace-0001"
    [row] = db.session.scalars(db.select(OutboxMail)).all()
    assert row.request_id == "mail-trace-0001" and row.status == "sent"
    [sent] = [line for line in lines if line["message"] == "mail sent"]
    assert sent["request_id"] == "mail-trace-0001" and sent["mail_id"] == row.id and sent["kind"] == "visitor_code"
    assert _mails_counted(client, "sent") == sent_before + 1  # the outbox's delivery feeds the metric


def test_a_mail_queued_outside_a_request_has_no_request_id_header(app, clean_mail_dir):
    from gallery import mail
    from gallery.core.transaction import commit

    row = mail.queue("selection_reopened", to="kari@example.com", language="en", brand=mail.Brand("Fjord Foto"),
                     context={"gallery_title": "Kari & Ola", "name": "Kari", "page_url": "http://gallery.test/g/x"})
    commit()
    assert row.request_id is None and b"X-Request-ID" not in row.content


def request_id_seen_by_job() -> str | None:
    return logs.current_request_id()


def test_jobs_carry_the_request_id_and_log_under_it(app, rq_redis):
    from rq import Queue

    from workers.observed import ObservedWorker
    from gallery.core.queues import enqueue

    token = logs.set_request_id("job-trace-0001")
    try:
        job = enqueue(request_id_seen_by_job)
    finally:
        logs.reset_request_id(token)
    assert job.meta["request_id"] == "job-trace-0001"
    ObservedWorker([Queue("default", connection=rq_redis)], connection=rq_redis).work(burst=True)
    job.refresh()
    assert job.return_value() == "job-trace-0001"  # the work horse ran it under the request's id


def test_livez_and_readyz(app, client):
    assert client.get("/livez").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"]["database"]["status"] == "ok" and ready.json["checks"]["storage"]["status"] == "ok"
    assert client.get("/healthz").status_code == 200


def test_readyz_says_which_dependency_is_down(app, client):
    from tests.conftest import free_port
    from tests.plugins.uploads import swapped_settings

    with swapped_settings(app, redis_url=f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.json["checks"]["redis"]["status"] == "failing"
    assert response.json["checks"]["database"]["status"] == "ok"
    assert "redis" in response.json["detail"]
    assert client.get("/livez").status_code == 200  # not a reason to restart the process


def test_metrics_are_for_loopback_callers_or_the_token(app, client):
    from tests.plugins.uploads import swapped_settings

    client.get("/livez")
    response = client.get("/metrics")
    assert response.status_code == 200 and b"gallery_http_requests_total" in response.data
    assert b'route="/livez"' in response.data
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 403
    with swapped_settings(app, metrics_token="scrape-token-0123456789"):
        assert client.get("/metrics").status_code == 403
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"},
                          headers={"Authorization": "Bearer scrape-token-0123456789"}).status_code == 200


def test_trusted_proxies_decide_the_client_address(tmp_path):
    from gallery import create_app
    from tests.conftest import app_settings

    for trusted, expected in ((0, "127.0.0.1"), (1, "198.51.100.4"), (2, "203.0.113.9")):
        application = create_app(app_settings("sqlite", tmp_path, trusted_proxies=trusted))
        application.add_url_rule("/whoami", "whoami", lambda: {"ip": __import__("flask").request.remote_addr})
        seen = application.test_client().get(
            "/whoami", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.4"}).json["ip"]
        assert seen == expected, trusted


def test_sentry_starts_only_with_a_dsn():
    import sentry_sdk

    from gallery.config import Settings
    from gallery.observability.errors import init_sentry

    assert init_sentry(Settings(env="testing", secret_key="x" * 40)) is False
    assert not sentry_sdk.get_client().is_active()
    settings = Settings(env="testing", secret_key="x" * 40, sentry_dsn="http://public@127.0.0.1:9/1")
    try:
        assert init_sentry(settings) is True
        client = sentry_sdk.get_client()
        assert client.is_active() and client.dsn == "http://public@127.0.0.1:9/1"
        assert client.options["data_collection"]["user_info"] is False
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.init()  # back to the inactive client


def test_dotenv_is_read_by_every_entry_point_the_same_way(tmp_path, monkeypatch):
    from gallery.config import ConfigError, Settings, load_dotenv

    (tmp_path / ".env").write_text("GALLERY_OPS_PROBE=from-file\nGALLERY_MAIL_FROM=Studio <s@example.com>\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.setenv("GALLERY_MAIL_FROM", "Set <in@environment.example>")
    monkeypatch.delenv("GALLERY_OPS_PROBE", raising=False)
    monkeypatch.delenv("GALLERY_ENV_FILE", raising=False)
    try:
        assert load_dotenv() == str(tmp_path / ".env")  # found upwards from the working directory, as flask does
        import os

        assert os.environ["GALLERY_OPS_PROBE"] == "from-file"
        assert Settings.from_env().mail_from == "Set <in@environment.example>"  # the environment wins
    finally:
        monkeypatch.delenv("GALLERY_OPS_PROBE", raising=False)
    monkeypatch.setenv("GALLERY_ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ConfigError, match="GALLERY_ENV_FILE"):
        load_dotenv()
