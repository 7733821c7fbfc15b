"""Liveness (`/livez`: the process answers), readiness (`/readyz`: database, Redis, storage) and `/metrics`.

A load balancer takes an instance out of rotation while /readyz fails and an orchestrator restarts it
only when /livez does, so a database outage does not turn into a restart storm. `/healthz` (database
only) stays as it was.
"""
from __future__ import annotations

import os
import time

from flask import current_app, request
from flask_smorest import Blueprint
from sqlalchemy import text

from gallery.errors import Problem
from gallery.extensions import db
from gallery.observability import metrics

blp = Blueprint("probes", __name__, description="Liveness, readiness and metrics for operators")


@blp.get("/livez")
@blp.response(200, description="The process runs and answers.")
def livez():
    """200 whenever the process can answer; checks no dependency."""
    return {"status": "ok"}


def _check_database() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def _check_redis() -> str | None:
    settings = current_app.config["GALLERY"]
    if not settings.redis_url:
        return "not configured (jobs run inline)"
    from gallery.core.queues import redis_connection

    redis_connection().ping()
    return None


def _check_storage() -> None:
    from gallery.storage import get_storage

    storage = get_storage()
    if hasattr(storage, "client") and hasattr(storage, "bucket"):
        storage.client.head_bucket(Bucket=storage.bucket)
    else:
        root = getattr(storage, "root")  # noqa: B009 - the local backend's, not part of the Storage protocol
        if not os.access(root if root.exists() else root.parent, os.W_OK):
            raise OSError(f"storage directory {root} is not writable")


CHECKS = {"database": _check_database, "redis": _check_redis, "storage": _check_storage}


@blp.get("/readyz")
@blp.response(200, description="Database, Redis (when configured) and storage answer.")
@blp.alt_response(503, description="A dependency does not answer; `checks` says which.")
def readyz():
    """200 when every dependency answers, else 503 with each check's result."""
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            note = check()
            results[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
            if note:
                results[name]["note"] = note
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the type says which
            ready = False
            results[name] = {"status": "failing", "error": type(error).__name__}
    if not ready:
        failing = ", ".join(name for name, result in results.items() if result["status"] != "ok")
        raise Problem(503, f"Not ready: {failing} not answering.", checks=results)
    return {"status": "ok", "checks": results}


@blp.get("/metrics")
@blp.response(200, description="Prometheus text exposition format.")
@blp.alt_response(403, description="Neither the metrics token nor a direct loopback caller.")
def metrics_endpoint():
    """Prometheus metrics of every process: a bearer GALLERY_METRICS_TOKEN, or loopback callers without one."""
    if not metrics.allowed(current_app.config["GALLERY"], request.remote_addr, request.headers):
        raise Problem(403, "Metrics need the metrics token (Authorization: Bearer ...) or a direct loopback "
                           "connection.")
    return metrics.metrics_response()
