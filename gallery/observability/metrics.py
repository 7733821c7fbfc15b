"""Prometheus metrics, summed across processes (gunicorn workers, RQ work horses) in multiprocess mode.

Multiprocess mode is on when PROMETHEUS_MULTIPROC_DIR is set before this module is imported (the shipped
gunicorn configuration and the `gallery` command set it); every process writes its samples there and
`/metrics` sums them. Without it (tests, `flask run`) the samples of this one process are served.

`/metrics` answers a bearer `GALLERY_METRICS_TOKEN` from anywhere; without a token only callers on
loopback that came through no proxy.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re
import socket
import time
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import GaugeMetricFamily

from gallery.observability import MULTIPROC_ENV

log = logging.getLogger(__name__)

_identity: str | None = None

HOST = re.sub(r"[^A-Za-z0-9.]", ".", socket.gethostname())[:64] or "host"


def process_identity() -> str:
    """The name of this process's sample files: host and pid, so containers sharing one directory (web,
    worker) never collide. An RQ worker forks a work horse per job: the horses of one worker run one after
    another and share one name (see adopt_identity), so files do not pile up per job."""
    return _identity or f"{HOST}-{os.getpid()}"


if os.environ.get(MULTIPROC_ENV):
    values.ValueClass = values.MultiProcessValue(process_identity)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

REQUESTS = Counter("gallery_http_requests", "HTTP requests by route, method and status.",
                   ["route", "method", "status"])
REQUEST_SECONDS = Histogram("gallery_http_request_duration_seconds",
                            "Time to the response's headers, by route and method.", ["route", "method"],
                            buckets=LATENCY_BUCKETS)
JOBS = Counter("gallery_jobs", "Background jobs finished, by job function and outcome.", ["job", "status"])
JOB_SECONDS = Histogram("gallery_job_duration_seconds", "Background job run time, by job function.", ["job"],
                        buckets=JOB_BUCKETS)
PHOTOS = Counter("gallery_photos_processed", "Photos processed into renditions, by result (ready, failed).",
                 ["result"])
MAILS = Counter("gallery_mails", "Mails handed to the mail backend, by result (sent, failed).", ["result"])
SWEEP_SECONDS = Histogram("gallery_sweep_duration_seconds", "Retention sweep run time.", buckets=JOB_BUCKETS)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def adopt_identity(name: str) -> None:
    """Write this process's samples under `name` (the work horses of one RQ worker share one)."""
    global _identity
    _identity = name


def prepare_directory(path: str | os.PathLike) -> None:
    """Create the multiprocess directory and drop files of processes that are gone (a previous run's)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for file in folder.glob("*.db"):
        match = re.search(rf"_{re.escape(HOST)}-(\d+)\.db$", file.name)  # only this host's processes
        if match and not Path(f"/proc/{match.group(1)}").exists():
            file.unlink(missing_ok=True)


class QueueCollector:
    """Queue depth and failed jobs, read from Redis at scrape time (no process has to keep them); collected
    inside the /metrics request, so it reads the app's settings and Redis connection from there."""

    def collect(self):
        depth = GaugeMetricFamily("gallery_queue_depth", "Jobs waiting in each queue.", labels=["queue"])
        failed = GaugeMetricFamily("gallery_queue_failed_jobs", "Jobs in each queue's failed registry.",
                                   labels=["queue"])
        if current_app.config["GALLERY"].redis_url:
            from rq import Queue

            from gallery.core.queues import QUEUE_NAMES, redis_connection

            try:
                for name in QUEUE_NAMES:
                    queue = Queue(name, connection=redis_connection())
                    depth.add_metric([name], queue.count)
                    failed.add_metric([name], queue.failed_job_registry.count)
            except Exception as error:  # noqa: BLE001 - Redis down: no queue figures rather than a failed scrape
                log.warning("queue metrics unavailable: %s", type(error).__name__)
        yield depth
        yield failed


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def _before() -> None:
    g.metrics_started = time.perf_counter()


def _after(response):
    started = g.get("metrics_started")
    if started is not None:
        route, method = _route(), request.method
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(route, method).observe(time.perf_counter() - started)
    return response


def allowed(settings, remote_addr: str | None, headers) -> bool:
    """The one rule for who may read /metrics."""
    if settings.metrics_token:
        scheme, _, value = headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), settings.metrics_token.encode())
    if headers.get("X-Forwarded-For") or headers.get("Forwarded"):
        return False  # came through a proxy: loopback at our end says nothing about the caller
    try:
        return remote_addr is not None and ipaddress.ip_address(remote_addr).is_loopback
    except ValueError:
        return False


def exposition() -> bytes:
    registry = CollectorRegistry()
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry.register(_Proxy(REGISTRY))
    registry.register(QueueCollector())
    return generate_latest(registry)


class _Proxy:
    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def metrics_response() -> Response:
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)

