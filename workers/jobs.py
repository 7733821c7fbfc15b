"""Thin RQ jobs: each one opens an app context and calls a domain service.

Job functions are imported by name in the worker, so they live here, not in
the domains. A forked work horse drops the database connections it inherited.
"""
from __future__ import annotations

import functools
import logging
import os

from flask import has_app_context

log = logging.getLogger(__name__)

_app = None
_pid = os.getpid()

# Backoff between attempts on transient storage errors (seconds).
RETRY_INTERVALS = [10, 60, 300]


def _worker_app():
    global _app
    if _app is None:
        from gallery import create_app

        _app = create_app()
    return _app


def app_job(func):
    """Run the job inside the caller's app context (inline, tests) or the worker's own app."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _pid
        if has_app_context():
            if os.getpid() != _pid:  # a forked work horse: never reuse the parent's connections
                from gallery.extensions import db

                db.engine.dispose(close=False)
                _pid = os.getpid()
            return func(*args, **kwargs)
        with _worker_app().app_context():
            try:
                return func(*args, **kwargs)
            finally:
                from gallery.extensions import db

                db.session.remove()

    return wrapper


def photo_job_id(photo_id: str, attempts: int) -> str:
    # One id per attempt: a job left in RQ's registries by a killed worker never collides with its successor.
    return f"photo-{photo_id}-{attempts}"


def _attempts(photo_id: str) -> int:
    from gallery.extensions import db
    from gallery.galleries.models import Photo

    return db.session.scalar(db.select(Photo.processing_attempts).where(Photo.id == photo_id)) or 0


@app_job
def process_photo(photo_id: str) -> str | None:
    from gallery.galleries import processing

    photo = processing.process_photo(photo_id)
    return photo.status if photo is not None else None


def enqueue_process_photo(photo_id: str):
    """Queue the rendition job, retried with backoff on transient storage errors, with a timeout."""
    from flask import current_app
    from rq import Retry

    from workers.queues import enqueue, is_inline

    retry = None if is_inline() else Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
    job_id = photo_job_id(photo_id, _attempts(photo_id))
    return enqueue(process_photo, photo_id, queue="renditions", job_id=job_id, retry=retry,
                   job_timeout=current_app.config["GALLERY"].photo_job_timeout)


def _is_queued(photo_id: str) -> bool:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    from workers.queues import is_inline, redis_connection

    if is_inline():
        return False
    try:
        job = Job.fetch(photo_job_id(photo_id, _attempts(photo_id)), connection=redis_connection())
        status = job.get_status()
    except NoSuchJobError:
        return False
    return status in {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED}


@app_job
def reconcile_photos() -> dict:
    """Periodic: re-enqueue photos stuck in `processing` (their worker died)."""
    from gallery.galleries import processing

    result = processing.reconcile(enqueue_process_photo, _is_queued)
    if result["requeued"] or result["failed"]:
        log.info("reconciler: requeued %d, failed %d", len(result["requeued"]), len(result["failed"]))
    return result


@app_job
def delete_objects(object_keys: list[str], prefixes: list[str], multipart: tuple | list | None = None) -> None:
    """Remove objects of deleted photos or galleries (and an unfinished multipart upload)."""
    from gallery.storage import get_storage

    storage = get_storage()
    if multipart:
        storage.abort_multipart(*multipart)
    for key in object_keys:
        storage.delete(key)
    for prefix in prefixes:
        storage.delete_prefix(prefix)


@app_job
def backfill_crc32(limit: int = 200) -> dict:
    """Periodic: record the CRC-32 of files stored before it was kept (zips then start at once)."""
    from gallery.core.transaction import commit
    from gallery.downloads import crc

    result = crc.backfill(limit)
    commit()
    return result
