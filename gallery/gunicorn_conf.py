"""The gunicorn configuration shipped with the package: `gunicorn -c python:gallery.gunicorn_conf
gallery.wsgi:app` (what `gallery serve` runs). Every value can be changed by a GALLERY_WEB_* variable
(from the environment or `.env`, read here exactly as the app reads it).

Workers are gthread: a long download (a zip of originals from S3 takes minutes) holds one thread, not a
whole process, so the share page keeps its workers while zips stream (bench/zip.py measures it).
"""
from __future__ import annotations

import os

from gallery.config import load_dotenv
from gallery.observability import use_multiprocess_metrics

load_dotenv()


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"configuration error: {name}: expected a whole number, got {raw!r}") from None


bind = os.environ.get("GALLERY_WEB_BIND", "127.0.0.1:8000")
# About 1.5 processes per core measured best for the share page (each request also waits on the database).
workers = _int("GALLERY_WEB_WORKERS", max(2, (os.cpu_count() or 1) * 3 // 2))
worker_class = os.environ.get("GALLERY_WEB_WORKER_CLASS", "gthread")
threads = _int("GALLERY_WEB_THREADS", 8)
# A gthread worker's heartbeat does not wait for a request to finish, so a long zip is not cut at `timeout`;
# with sync workers a zip of many GB needs a larger value.
timeout = _int("GALLERY_WEB_TIMEOUT", 120)
graceful_timeout = _int("GALLERY_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GALLERY_WEB_KEEPALIVE", 5)
max_requests = _int("GALLERY_WEB_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# The app writes its own access log (JSON, with the request id); gunicorn's would repeat every line.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GALLERY_WEB_LOG_LEVEL", "info")
# The proxy's X-Forwarded-* are interpreted once, by the app (GALLERY_TRUSTED_PROXIES), not also here.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
proc_name = "gallery-web"
# A pool that serves only long streams (nginx's zip location pointed at a second `gallery serve`) can run its
# workers at a lower CPU priority, 0 to 19 as nice(1): when the machine is busy the share page's pool gets the
# processor first and the zips take what is left, a little slower, instead of stretching every page's latency.
nice = _int("GALLERY_WEB_NICE", 0)
if not 0 <= nice <= 19:
    raise SystemExit(f"configuration error: GALLERY_WEB_NICE: expected 0 to 19, got {nice}")

# Metrics from every worker are summed through files in one directory (prometheus_client multiprocess).
use_multiprocess_metrics()


def on_starting(server):
    from gallery.observability.metrics import prepare_directory

    prepare_directory(os.environ["PROMETHEUS_MULTIPROC_DIR"])



def post_fork(server, worker):
    if nice:
        os.nice(nice)
