"""Periodic jobs the `gallery worker` command enqueues. Adding one is one line.

Every worker process runs the schedule; a Redis lock per job and period makes
sure one enqueue happens per period however many workers run.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str  # dotted path of a job function (see workers.jobs)
    every: int  # seconds
    queue: str = "default"


PERIODIC_JOBS: list[Periodic] = [
    Periodic("reconcile-photos", "workers.jobs.reconcile_photos", every=60),
    Periodic("backfill-crc32", "workers.jobs.backfill_crc32", every=600),
    # Hourly is enough: messages are sent only in each client's local morning window.
    Periodic("retention-sweep", "workers.retention.run_sweep", every=3600),
    # Retries of mail the server did not take (backoff from 15 s); new mail is delivered at once.
    Periodic("mail-outbox", "workers.mail.deliver_outbox", every=15, queue="mail"),
    Periodic("mail-purge", "workers.mail.purge_outbox", every=86400, queue="mail"),
]


def _resolve(path: str):
    import importlib

    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def enqueue_due(connection, jobs: list[Periodic] | None = None, now: float | None = None) -> list[str]:
    """Enqueue each job whose period has no enqueue yet (across all workers); names of those enqueued."""
    from rq import Queue

    now = time.time() if now is None else now
    enqueued = []
    for job in PERIODIC_JOBS if jobs is None else jobs:
        slot = int(now // job.every)
        if connection.set(f"gallery:periodic:{job.name}:{slot}", "1", nx=True, ex=job.every * 2):
            Queue(job.queue, connection=connection).enqueue(job.func, job_timeout=max(job.every * 5, 300),
                                                            meta={"request_id": uuid.uuid4().hex})
            enqueued.append(job.name)
    return enqueued


def start_thread(redis_url: str, stop: threading.Event, tick: float = 5.0) -> threading.Thread:
    """Enqueue due periodic jobs every `tick` seconds until `stop` is set (own Redis connection, no DB)."""
    from redis import Redis

    connection = Redis.from_url(redis_url)

    def loop():
        while not stop.is_set():
            try:
                enqueue_due(connection)
            except Exception:  # noqa: BLE001 - Redis hiccup: try again next tick, keep the worker alive
                log.exception("periodic schedule tick failed")
            stop.wait(tick)

    thread = threading.Thread(target=loop, name="gallery-periodic", daemon=True)
    thread.start()
    return thread


def run_inline_forever(tick: float = 5.0) -> None:
    """No Redis: run the periodic jobs in this process (embedded mode)."""
    last: dict[str, float] = {}
    while True:
        now = time.time()
        for job in PERIODIC_JOBS:
            if now - last.get(job.name, 0) >= job.every:
                last[job.name] = now
                try:
                    _resolve(job.func)()
                except Exception:  # noqa: BLE001 - a failing periodic job must not stop the others
                    log.exception("periodic job %s failed", job.name)
        time.sleep(tick)
