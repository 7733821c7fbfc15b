"""Settings from GALLERY_* environment variables, validated once at start.

A bad or missing value stops the app with one line naming the variable, so an
operator never has to read a traceback to learn that a URL was mistyped.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Embedded defaults (SQLite file, objects, mail, the development key) live under var/: the checkout's when
# running from one, else the working directory's (an installed package has no project folder).
VAR_DIR = PROJECT_ROOT / "var" if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd() / "var"


class ConfigError(RuntimeError):
    """One configuration value is wrong; the message names the variable."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"GALLERY_{name}: expected true or false, got {raw!r}")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"GALLERY_{name}: expected a whole number, got {raw!r}") from None


def _url(name: str, raw: str, schemes: set[str]) -> str:
    parsed = urlparse(raw)
    scheme = parsed.scheme.split("+", 1)[0]
    if scheme not in schemes or (scheme != "sqlite" and not parsed.netloc):
        raise ConfigError(
            f"GALLERY_{name}: expected a URL with scheme {' or '.join(sorted(schemes))}, got {raw!r}"
        )
    return raw


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    env: str = "development"  # development | production | testing
    secret_key: str = ""
    database_url: str = f"sqlite:///{VAR_DIR / 'gallery.db'}"
    redis_url: str | None = None  # None: jobs run inline, rate limits in memory
    public_base_url: str = "http://127.0.0.1:5000"
    storage_backend: str = "local"  # local | s3
    storage_dir: str = str(VAR_DIR / "storage")
    storage_send_header: str | None = None  # None | X-Accel-Redirect | X-Sendfile
    storage_accel_prefix: str = "/protected/"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    cdn_base_url: str | None = None
    signed_url_ttl: int = 3600
    max_upload_bytes: int = 200 * 1024 * 1024
    max_json_bytes: int = 256 * 1024  # every route but uploads; see gallery.core.request_guard
    # PostgreSQL: give up connecting after this many seconds, cancel a statement after this many
    # milliseconds (0: never), so a database that hangs answers 503 instead of holding workers.
    database_connect_timeout: int = 5
    database_statement_timeout: int = 30_000
    max_image_pixels: int = 120_000_000
    # Direct uploads to S3: one presigned PUT up to this size, multipart parts of part_size above it.
    direct_upload_multipart_threshold: int = 64 * 1024 * 1024
    direct_upload_part_size: int = 16 * 1024 * 1024
    photo_job_timeout: int = 300  # seconds a rendition job may run before RQ kills it
    marketing_mails_per_day: int = 1  # per client, the most relevant first (0: no cap)
    mail_backend: str = "file"  # file | smtp
    mail_dir: str = str(VAR_DIR / "mail")
    mail_from: str = "Gallery <no-reply@localhost>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    cors_origins: list[str] = field(default_factory=list)
    login_rate_limit_ip: str = "20 per minute"
    login_rate_limit_account: str = "5 per minute"
    session_cookie_secure: bool = False
    # Store payments: the hosted checkout (Stripe-shaped) is offered when both secrets are set.
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str = "https://api.stripe.com"
    payment_webhook_tolerance: int = 300  # seconds a signed webhook stays acceptable
    # Key rotation: old keys still accepted by every signer (newest first); new signatures use secret_key.
    secret_key_fallbacks: list[str] = field(default_factory=list)
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none, trust nothing).
    trusted_proxies: int = 0
    log_format: str = "json"  # json (one object per line) | text
    access_log: bool = True
    # /metrics: with a token, `Authorization: Bearer <token>` from anywhere; without, loopback callers only.
    metrics_token: str | None = None
    sentry_dsn: str | None = None
    sentry_traces_sample_rate: float = 0.0


    @property
    def cookies_secure(self) -> bool:
        """Session and visitor cookies carry Secure when asked or whenever clients reach us over https."""
        return self.session_cookie_secure or self.public_base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        environ = dict(os.environ if environ is None else environ)
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(f"GALLERY_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _parse(f.name.upper(), f.type, raw)
        values.update(overrides)
        settings = replace(cls(), **values)
        return settings.validated()

    def validated(self) -> "Settings":
        if self.env not in {"development", "production", "testing"}:
            raise ConfigError(f"GALLERY_ENV: expected development, production or testing, got {self.env!r}")
        _url("DATABASE_URL", self.database_url, {"sqlite", "postgresql", "postgres"})
        if self.redis_url:
            _url("REDIS_URL", self.redis_url, {"redis", "rediss", "unix"})
        _url("PUBLIC_BASE_URL", self.public_base_url, {"http", "https"})
        if self.storage_backend not in {"local", "s3"}:
            raise ConfigError(f"GALLERY_STORAGE_BACKEND: expected local or s3, got {self.storage_backend!r}")
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise ConfigError("GALLERY_S3_BUCKET: required when GALLERY_STORAGE_BACKEND=s3")
        if self.s3_endpoint_url:
            _url("S3_ENDPOINT_URL", self.s3_endpoint_url, {"http", "https"})
        if self.cdn_base_url:
            _url("CDN_BASE_URL", self.cdn_base_url, {"http", "https"})
        if self.storage_send_header not in {None, "X-Accel-Redirect", "X-Sendfile"}:
            raise ConfigError(
                f"GALLERY_STORAGE_SEND_HEADER: expected X-Accel-Redirect or X-Sendfile, got {self.storage_send_header!r}"
            )
        if self.mail_backend not in {"file", "smtp"}:
            raise ConfigError(f"GALLERY_MAIL_BACKEND: expected file or smtp, got {self.mail_backend!r}")
        _url("STRIPE_API_BASE", self.stripe_api_base, {"http", "https"})
        if bool(self.stripe_secret_key) != bool(self.stripe_webhook_secret):
            raise ConfigError("GALLERY_STRIPE_SECRET_KEY and GALLERY_STRIPE_WEBHOOK_SECRET: set both or neither")
        if not 0 < self.payment_webhook_tolerance <= 3600:
            raise ConfigError("GALLERY_PAYMENT_WEBHOOK_TOLERANCE: expected 1 to 3600 seconds")
        if self.direct_upload_part_size < 5 * 1024 * 1024:
            raise ConfigError("GALLERY_DIRECT_UPLOAD_PART_SIZE: S3 needs parts of at least 5 MiB (5242880)")
        if self.direct_upload_multipart_threshold < self.direct_upload_part_size:
            raise ConfigError("GALLERY_DIRECT_UPLOAD_MULTIPART_THRESHOLD: must be at least the part size")
        if self.photo_job_timeout < 10:
            raise ConfigError("GALLERY_PHOTO_JOB_TIMEOUT: at least 10 seconds")
        if not 1 <= self.database_connect_timeout <= 120:
            raise ConfigError("GALLERY_DATABASE_CONNECT_TIMEOUT: expected 1 to 120 seconds")
        if self.database_statement_timeout < 0:
            raise ConfigError("GALLERY_DATABASE_STATEMENT_TIMEOUT: milliseconds, 0 for none")
        if not 1024 <= self.max_json_bytes <= 16 * 1024 * 1024:
            raise ConfigError("GALLERY_MAX_JSON_BYTES: expected 1024 to 16777216 bytes")
        if self.signed_url_ttl <= 0:
            raise ConfigError("GALLERY_SIGNED_URL_TTL: must be a positive number of seconds")
        if not 0 <= self.marketing_mails_per_day <= 10:
            raise ConfigError("GALLERY_MARKETING_MAILS_PER_DAY: expected 0 (no cap) to 10")
        if not 0 <= self.trusted_proxies <= 5:
            raise ConfigError("GALLERY_TRUSTED_PROXIES: expected 0 to 5 (the number of proxies in front of the app)")
        if self.log_format not in {"json", "text"}:
            raise ConfigError(f"GALLERY_LOG_FORMAT: expected json or text, got {self.log_format!r}")
        if not 0.0 <= self.sentry_traces_sample_rate <= 1.0:
            raise ConfigError("GALLERY_SENTRY_TRACES_SAMPLE_RATE: expected a number from 0 to 1")
        if self.sentry_dsn:
            _url("SENTRY_DSN", self.sentry_dsn, {"http", "https"})
        if any(len(key) < 16 for key in self.secret_key_fallbacks):
            raise ConfigError("GALLERY_SECRET_KEY_FALLBACKS: each old key must be at least 16 characters")
        if self.env == "production":
            if len(self.secret_key) < 32:
                raise ConfigError("GALLERY_SECRET_KEY: required in production, at least 32 characters")
            if self.public_base_url.startswith("http://127.0.0.1"):
                raise ConfigError("GALLERY_PUBLIC_BASE_URL: required in production (the URL clients open)")
        if not self.secret_key:
            return replace(self, secret_key=_development_secret())
        return self


def _float(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"GALLERY_{name}: expected a number, got {raw!r}") from None


def _parse(name: str, annotation, raw: str):
    kind = str(annotation)
    if "float" in kind:
        return _float(name, raw)
    if "bool" in kind:
        return _bool(name, raw)
    if "int" in kind:
        return _int(name, raw)
    if "list" in kind:
        return _list(raw)
    if "None" in kind and raw.strip() == "":
        return None
    return raw.strip()


def load_dotenv(path: str | os.PathLike | None = None) -> str | None:
    """Read `.env` into the environment, the same way for every entry point (flask, gunicorn, the
    `gallery` command, RQ workers): variables already set win over the file.

    The file is `GALLERY_ENV_FILE` when set, else the nearest `.env` from the working directory upwards
    (where `flask` finds it too). Returns the path read, or None."""
    from dotenv import find_dotenv, load_dotenv as _load

    explicit = path or os.environ.get("GALLERY_ENV_FILE")
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError(f"GALLERY_ENV_FILE: no such file {str(explicit)!r}")
        candidate = str(explicit)
    else:
        candidate = find_dotenv(usecwd=True)
        if not candidate:
            return None
    _load(candidate, override=False)
    return candidate


def _development_secret() -> str:
    """Outside production a missing key is generated once and kept under var/,
    so sessions and signed URLs survive restarts of `make run`."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        return key
