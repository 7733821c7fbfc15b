"""Logs as JSON lines, each carrying the id of the request (or job) it belongs to, and an access log.

The id comes from the `X-Request-ID` header a proxy set (kept if it is a sane token) or is made here;
it is echoed in the response, handed to every job the request enqueues (RQ job meta) and set again
while that job runs, so one id finds the request, its jobs and the mails they send.
"""
from __future__ import annotations

import logging
import re
import sys
import time

from flask import Flask, g, request

from gallery.core.request_ids import current_request_id, new_request_id, reset_request_id, set_request_id

__all__ = ["current_request_id", "new_request_id", "reset_request_id", "set_request_id", "configure", "init_app"]

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
access_log = logging.getLogger("gallery.access")


def incoming_request_id(header: str | None) -> str:
    """The proxy's id when it is a sane token (no spaces, quotes or control characters), else a new one."""
    return header if header and _VALID.match(header) else new_request_id()


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id, unless the line names its own (`extra=`): a mail
    delivered by a job logs under the request that queued it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


def _formatter(kind: str) -> logging.Formatter:
    if kind == "text":
        return logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                         datefmt="%Y-%m-%dT%H:%M:%S%z")


_handler: logging.Handler | None = None


def configure(settings) -> None:
    """One handler on the root logger, to stderr (where containers and systemd collect logs); idempotent."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(sys.stderr)
    _handler.addFilter(RequestIdFilter())
    _handler.setFormatter(_formatter(settings.log_format))
    root.addHandler(_handler)
    root.setLevel(logging.WARNING if settings.env == "testing" else logging.INFO)
    access_log.disabled = not settings.access_log


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = incoming_request_id(request.headers.get(HEADER))
    g.request_id_token = set_request_id(g.request_id)


def _finish(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    started = g.get("request_started")
    if started is not None and not access_log.disabled:
        access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "method": request.method, "path": request.path, "route": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "bytes": response.content_length, "remote_addr": request.remote_addr,
            "user_agent": request.user_agent.string[:200] or None})
    return response


def _teardown(_error=None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        try:
            reset_request_id(token)
        except ValueError:  # reset from another context (a streamed body finished elsewhere): just clear it
            set_request_id(None)


def init_app(app: Flask, settings) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_teardown)
