"""Seeing the app run: JSON logs with a request id, an access log, Prometheus metrics, error reporting
(Sentry, when a DSN is set), liveness and readiness checks, and the client address behind proxies.

Imports only `gallery.core` and the extensions; domains call `metrics` and `logs.current_request_id()`.
"""
from __future__ import annotations

import os
import tempfile

from flask import Flask

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def use_multiprocess_metrics() -> str:
    """Set PROMETHEUS_MULTIPROC_DIR (before prometheus_client is imported) unless the operator did: web
    workers, RQ work horses and the scheduler of one machine sum their samples through that directory."""
    os.environ.setdefault(MULTIPROC_ENV, os.path.join(tempfile.gettempdir(), f"gallery-metrics-{os.getuid()}"))
    os.makedirs(os.environ[MULTIPROC_ENV], exist_ok=True)
    return os.environ[MULTIPROC_ENV]


def init_app(app: Flask, settings) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from gallery.observability import errors, logs, metrics

    logs.configure(settings)
    logs.init_app(app, settings)
    metrics.init_app(app)
    errors.init_sentry(settings)
    if settings.trusted_proxies:
        # The client's address, scheme and host as the proxies in front saw them: exactly that many hops of
        # X-Forwarded-* are believed, anything a client put before them is ignored. Rate limits, the access
        # log and the loopback check of /metrics all read request.remote_addr after this.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=0, x_prefix=0)  # type: ignore[method-assign]
