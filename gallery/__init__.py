"""The client-gallery platform: create_app() builds the Flask application."""
from __future__ import annotations


from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from gallery.config import ConfigError, Settings, load_dotenv
from gallery.core import parsing

# Before any blueprint module is imported: `@blp.arguments` binds the parser when it decorates.
parsing.install()

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
    elif config is None:
        load_dotenv()  # every entry point reads .env the same way (variables already set win)
        settings = Settings.from_env()
    else:
        settings = Settings.from_env(**(config or {}))

    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.update(
        GALLERY=settings,
        SECRET_KEY=settings.secret_key,
        # Key rotation: Flask's sessions honour the fallbacks; CSRF tokens take the keys itsdangerous' way
        # (oldest first, the signing key last); every other signer asks gallery.core.keyring.
        SECRET_KEY_FALLBACKS=list(settings.secret_key_fallbacks),
        WTF_CSRF_SECRET_KEY=[*reversed(settings.secret_key_fallbacks), settings.secret_key],
        TESTING=settings.env == "testing",
        SQLALCHEMY_DATABASE_URI=_sqlalchemy_url(settings.database_url),
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        # Per route (gallery.core.request_guard); this is the floor for anything outside a route.
        MAX_CONTENT_LENGTH=settings.max_json_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX="gallery-limits",
        # Redis down: limits keep working per process in memory (logged), and come back to Redis by themselves.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1} if settings.redis_url else {},
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
    from gallery import extensions, observability, web

    from gallery.core import column_guard  # noqa: F401 - registers its flush check

    observability.init_app(app, settings)
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
    from gallery import mail

    mail.init_app(app)
    from gallery.api import install_spec_rules

    install_spec_rules()
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


def _engine_options(settings: Settings) -> dict:
    options = {"pool_pre_ping": True}
    if _sqlalchemy_url(settings.database_url).startswith("postgresql"):
        # PostgreSQL's JIT compiles the sweep's large joins for longer than they run (seconds at a million
        # clients: an expiry plan went from 2.8 s to 0.5 s without it); the app's queries never gain from it.
        server_options = "-c jit=off"
        if settings.database_statement_timeout:
            server_options += f" -c statement_timeout={settings.database_statement_timeout}"
        # A database that refuses or never answers costs a request seconds, not a worker: connect_timeout
        # bounds the connection (handshake included), pool_timeout the wait for a pooled one.
        options["connect_args"] = {"options": server_options, "connect_timeout": settings.database_connect_timeout}
        options["pool_timeout"] = settings.database_connect_timeout
    return options


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"
