"""Where jobs go: RQ on Redis when GALLERY_REDIS_URL is set, inline otherwise.

Routes and services call `enqueue("workers.module.job", *args)`: jobs are named, so no domain imports
`workers/`; they never talk to RQ directly, so the embedded mode (`make run` with no Redis) behaves the same.
"""
from __future__ import annotations

import logging
from importlib import import_module
from typing import Callable

from flask import current_app

log = logging.getLogger(__name__)

QUEUE_NAMES = ("default", "renditions", "mail")


def redis_connection():
    from redis import Redis

    app = current_app._get_current_object()
    connection = app.extensions.get("gallery_redis")
    if connection is None:
        # Bounded waits: a Redis that is down or black-holed costs a request seconds, never a hung worker.
        connection = Redis.from_url(app.config["GALLERY"].redis_url, socket_connect_timeout=2, socket_timeout=5,
                                    health_check_interval=30)
        app.extensions["gallery_redis"] = connection
    return connection


def get_queue(name: str = "default"):
    from rq import Queue

    return Queue(name, connection=redis_connection())


def job_function(name: str) -> Callable:
    """The job function a dotted name ("workers.jobs.process_photo") names."""
    module, _, attribute = name.rpartition(".")
    return getattr(import_module(module), attribute)


def enqueue(func: str | Callable, *args, queue: str = "default", job_timeout: int = 600, job_id: str | None = None,
            retry=None, **kwargs):
    """Run the job `func` (its dotted name, or the function) with `*args, **kwargs` on a worker, or right now
    when no Redis is configured.

    `retry` is an `rq.Retry` (backoff between attempts); inline runs try once.
    """
    if not current_app.config["GALLERY"].redis_url:
        return (job_function(func) if isinstance(func, str) else func)(*args, **kwargs)
    return get_queue(queue).enqueue(func, *args, job_timeout=job_timeout, job_id=job_id, retry=retry,
                                    meta=job_meta(), **kwargs)


def job_meta() -> dict:
    """What a job carries from the request that caused it: the request id its logs (and mails) repeat."""
    from gallery.core.request_ids import current_request_id, new_request_id

    return {"request_id": current_request_id() or new_request_id()}


def is_inline() -> bool:
    return not current_app.config["GALLERY"].redis_url
