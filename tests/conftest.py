"""Shared fixtures: the app on each database, clients, and factories.

Every test that takes `app` runs once on SQLite and once on PostgreSQL
(GALLERY_TEST_DATABASES narrows that). Tables are emptied after each test, so
tests may commit freely and worker processes see the same data.
"""
from __future__ import annotations

import contextvars
import itertools
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from flask.testing import FlaskClient

from gallery import create_app
from gallery.core import clock
from gallery.extensions import db, limiter

# Shared fixtures and helpers live in plugins (tests/plugins), not in test modules.
pytest_plugins = ["tests.plugins.problems", "tests.plugins.uploads", "tests.plugins.serving", "tests.plugins.browser",
                  "tests.plugins.studio", "tests.plugins.retention", "tests.plugins.clients"]

POSTGRES_URL = os.environ.get("GALLERY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("GALLERY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = [b for b in os.environ.get("GALLERY_TEST_DATABASES", "sqlite,postgresql").split(",") if b]
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = Path(os.environ.get("GALLERY_CORPUS", SHARED / "corpus"))


def ensure_postgres_database(url: str) -> None:
    """Create the test database if it is missing; fail loudly if PostgreSQL is down."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def app_settings(backend: str, tmp: Path, **overrides) -> dict:
    url = POSTGRES_URL if backend == "postgresql" else f"sqlite:///{tmp / 'test.db'}"
    settings = {
        "env": "testing",
        "database_url": url,
        "secret_key": "test-secret-key-that-is-long-enough-0123456789",
        "storage_dir": str(tmp / "storage"),
        "mail_dir": str(tmp / "mail"),
        "public_base_url": "http://gallery.test",
        "redis_url": None,
    }
    settings.update(overrides)
    return settings


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: without this,
    the test's pushed app context (and its `g`, and flask-login's cached user)
    would be shared by every request of the test. Responses are read whole and closed, as a WSGI server
    does once it has sent them: what the app does after the response (delivering mail queued in the
    request, without Redis) has happened when the call returns."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def database_backend(request):
    return request.param


@pytest.fixture(scope="session")
def _app(database_backend, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(database_backend)
    if database_backend == "postgresql":
        ensure_postgres_database(POSTGRES_URL)
    application = create_app(app_settings(database_backend, tmp))
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    return application


def empty_all_tables() -> None:
    db.session.rollback()
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in reversed(tables):
            db.session.execute(table.delete())
        db.session.execute(text("PRAGMA foreign_keys=ON"))
    db.session.commit()


@pytest.fixture
def app(_app):
    """The app with a pushed context; every table is empty again afterwards."""
    with _app.app_context():
        yield _app
        db.session.remove()
        empty_all_tables()
        limiter.reset()
        clock.set_now(None)


class ApiClient:
    """A test client that sends JSON and an optional bearer token on every call."""

    def __init__(self, flask_client, token: str | None = None):
        self.raw = flask_client
        self.token = token

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def request(self, method, path, *, headers=None, **kwargs):
        return self.raw.open(path, method=method, headers=self._headers(headers), **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_photographer(app):
    """make_photographer(**fields) -> (photographer, ApiClient authenticated by a bearer token)."""
    from gallery.accounts import services

    def make(email=None, password="correct horse battery", studio_name="Studio", **fields):
        photographer = services.create_photographer(
            email=email or f"photographer{next(_counter)}@example.com", password=password,
            studio_name=studio_name, **fields)
        _, token = services.issue_token(photographer, "tests", ("read", "write", "account"))
        db.session.commit()
        return photographer, ApiClient(app.test_client(), token)

    return make


@pytest.fixture
def photographer_api(make_photographer):
    return make_photographer()[1]


@pytest.fixture
def make_client(app):
    """make_client(photographer, **fields) -> Client."""
    from gallery.clients import services

    def make(photographer, **fields):
        fields.setdefault("name", f"Client {next(_counter)}")
        client = services.create_client(photographer.id, fields)
        db.session.commit()
        return client

    return make


@pytest.fixture
def make_gallery(app):
    """make_gallery(photographer, publish=False, **fields) -> Gallery."""
    from gallery.galleries import services

    def make(photographer, publish=False, **fields):
        fields.setdefault("title", f"Gallery {next(_counter)}")
        gallery = services.create_gallery(photographer.id, fields)
        if publish:
            services.publish_gallery(photographer.id, gallery.id)
        db.session.commit()
        return gallery

    return make


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback; collects parsed messages. It can be stopped and started
    again on the same port, and `reply` (envelope -> status line or None) can refuse a mail."""

    def __init__(self):
        self.messages = []
        self.reply = None
        self.port = free_port()
        self.controller = None
        self.start()

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
                from email import message_from_bytes, policy

                refusal = server.reply(envelope) if server.reply else None
                if refusal:
                    return refusal
                message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
                message.envelope_recipients = list(envelope.rcpt_tos)
                message.envelope_sender = envelope.mail_from
                server.messages.append(message)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def configured(self, app):
        """Context manager: the app sends through this server while inside."""
        import dataclasses
        from contextlib import contextmanager

        @contextmanager
        def swap():
            original = app.config["GALLERY"]
            app.config["GALLERY"] = dataclasses.replace(original, mail_backend="smtp", smtp_host="127.0.0.1",
                                                        smtp_port=self.port)
            try:
                yield self
            finally:
                app.config["GALLERY"] = original

        return swap()

    def wait_for(self, count: int, timeout: float = 10.0):
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def make_photo(app):
    """make_photo(gallery, filename=None, data=None, renditions=("thumb", "preview", "large"), **fields) -> Photo.

    A ready Photo with its original and renditions written to storage (no image processing: the bytes are
    whatever `data` is; rendition bytes are derived from it so each file is distinct)."""
    import hashlib

    from gallery.core.ids import new_id
    from gallery.galleries.models import Photo, Rendition
    from gallery.storage import get_storage
    from gallery.storage.keys import original_key, rendition_key

    positions = itertools.count(1)
    sizes = {"thumb": 400, "preview": 1200, "large": 2048, "watermarked": 1200}

    def make(gallery, filename=None, data=None, renditions=("thumb", "preview", "large"), webp=("thumb", "preview"),
             **fields):
        photo_id = new_id()
        data = data if data is not None else os.urandom(2048)
        storage = get_storage()
        key = original_key(gallery.id, photo_id)
        storage.save_bytes(key, data)
        fields.setdefault("position", next(positions))
        fields.setdefault("status", "ready")
        photo = Photo(id=photo_id, gallery_id=gallery.id, original_filename=filename or f"DSC_{fields['position']:04d}.jpg",
                      storage_key=key, content_type="image/jpeg", sha256=hashlib.sha256(data).hexdigest(),
                      bytes=len(data), width=6000, height=4000, placeholder_color="#336699", **fields)
        db.session.add(photo)
        for name in renditions:
            for fmt in ("jpeg", "webp") if name in webp else ("jpeg",):
                body = f"{name}.{fmt}:".encode() + data[:512]
                rkey = rendition_key(gallery.id, photo_id, name, fmt)
                storage.save_bytes(rkey, body)
                edge = sizes.get(name, 800)
                db.session.add(Rendition(photo_id=photo_id, name=name, format=fmt, storage_key=rkey, width=edge,
                                         height=edge * 2 // 3, bytes=len(body)))
        db.session.commit()
        return photo

    return make


@pytest.fixture
def make_share_link(app):
    """make_share_link(gallery, role="client", password=None, expires_at=None, **fields) -> ShareLink."""
    from gallery.sharing import links as share_links

    def make(gallery, role="client", **fields):
        link = share_links.create_link(gallery.photographer_id, gallery.id, {"role": role, **fields})
        db.session.commit()
        return link

    return make


@pytest.fixture
def clean_mail_dir(app):
    """Removes the .eml files a test wrote (the file mail backend's folder is shared by the session)."""
    folder = Path(app.config["GALLERY"].mail_dir)
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    yield folder
    for path in (set(folder.glob("*.eml")) if folder.exists() else set()) - before:
        path.unlink(missing_ok=True)


@pytest.fixture
def identify_visitor(app, clean_mail_dir):
    """identify_visitor(link, email) -> visitor token, through the real routes (the code is read from the .eml)."""
    import email as email_lib
    import re as re_lib
    from email import policy

    def identify(link, address="client@example.com", name=None, headers=None):
        http = app.test_client()
        mail_dir = Path(app.config["GALLERY"].mail_dir)
        before = set(mail_dir.glob("*.eml")) if mail_dir.exists() else set()
        response = http.post(f"/api/v1/share/{link.token}/visitors", json={"email": address, "name": name},
                             headers=headers or {})
        assert response.status_code == 202, response.get_data(as_text=True)
        new = sorted(set(mail_dir.glob("*.eml")) - before)
        message = email_lib.message_from_bytes(new[-1].read_bytes(), policy=policy.default)
        code = re_lib.search(r"\b(\d{6})\b", message["Subject"]).group(1)
        verified = http.post(f"/api/v1/share/{link.token}/visitors/verify", json={"email": address, "code": code},
                             headers=headers or {})
        assert verified.status_code == 200, verified.get_data(as_text=True)
        return verified.json["visitor_token"]

    return identify


@pytest.fixture
def make_visitor_api(app, make_share_link, identify_visitor):
    """make_visitor_api(gallery, email, role="client", name=None) -> (share token, Visitor, ApiClient): a visitor
    identified through the real routes on a fresh share link, sending its visitor token as a bearer token."""
    from sqlalchemy import select

    from gallery.sharing.models import Visitor

    def make(gallery, email, role="client", name=None):
        link = make_share_link(gallery, role=role)
        visitor_token = identify_visitor(link, email, name=name)
        visitor = db.session.scalar(select(Visitor).where(Visitor.share_link_id == link.id))
        return link.token, visitor, ApiClient(app.test_client(), visitor_token)

    return make
