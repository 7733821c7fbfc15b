"""The client-gallery platform: create_app() builds the Flask application."""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from gallery.config import ConfigError, Settings

__all__ = ["create_app", "ConfigError", "Settings"]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # SQLite ignores foreign keys unless asked; WAL lets the worker and the app share the file.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL is crash-safe for the app and skips an fsync per commit (the sweep commits often).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def create_app(config: Settings | dict | None = None) -> Flask:
    """Build the app from GALLERY_* environment variables; `config` overrides them (tests)."""
    if isinstance(config, Settings):
        settings = config.validated()
    else:
        settings = Settings.from_env(**(config or {}))

    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.update(
        GALLERY=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.env == "testing",
        SQLALCHEMY_DATABASE_URI=_sqlalchemy_url(settings.database_url),
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.database_url),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX="gallery-limits",
        API_TITLE="Gallery API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        JSON_SORT_KEYS=False,
        # Text responses to browsers (the gallery page, its script and style, API JSON) go out compressed: a
        # phone on a slow network loads a third of the bytes. Streams (zips, CSV exports) are left alone.
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/javascript", "application/javascript",
                            "application/json", "application/problem+json", "image/svg+xml"],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_STREAMS=False,
        COMPRESS_MIN_SIZE=1024,
    )
    logging.basicConfig(level=logging.INFO if settings.env != "testing" else logging.WARNING)

    from gallery import extensions, web
    from gallery.api import api

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(_migrations_dir()))
    extensions.login_manager.init_app(app)
    extensions.limiter.init_app(app)
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app)
    extensions.compress.init_app(app)

    from gallery.core import response_cache
    from gallery.sharing import versions  # noqa: F401  (its session hooks keep the share state versions)

    response_cache.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})

    from gallery.errors import register_error_handlers

    register_error_handlers(app)
    web.register(app, api)

    from gallery import cli

    cli.register(app)
    return app


def _sqlalchemy_url(url: str) -> str:
    # psycopg 3 is the driver we ship; accept the plain postgresql:// spelling operators use.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _engine_options(url: str) -> dict:
    options = {"pool_pre_ping": True}
    if _sqlalchemy_url(url).startswith("postgresql"):
        # PostgreSQL's JIT compiles the sweep's large joins for longer than they run (seconds at a million
        # clients: an expiry plan went from 2.8 s to 0.5 s without it); the app's queries never gain from it.
        options["connect_args"] = {"options": "-c jit=off"}
    return options


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"
