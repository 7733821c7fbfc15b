"""Thin RQ jobs: each one opens an app context and calls a domain service.

Job functions are imported by name in the worker, so they live here, not in
the domains. A forked work horse drops the database connections it inherited.
"""
from __future__ import annotations

import functools
import logging
import os

from flask import has_app_context

from gallery.core import transaction
from gallery.extensions import db
from gallery.galleries import processing, rendition_jobs
from gallery.storage import get_storage

log = logging.getLogger(__name__)

_app = None
_pid = os.getpid()



def _worker_app():
    global _app
    if _app is None:
        from gallery import create_app

        _app = create_app()
    return _app


def app_job(func):
    """Run the job inside the caller's app context (inline, tests) or the worker's own app, and commit once
    when it returns (then run what it queued for after the commit): services only flush."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _pid
        if has_app_context():
            if os.getpid() != _pid:  # a forked work horse: never reuse the parent's connections
                db.engine.dispose(close=False)
                _pid = os.getpid()
            result = func(*args, **kwargs)
            transaction.commit()
            return result
        with _worker_app().app_context():
            try:
                result = func(*args, **kwargs)
                transaction.commit()
                return result
            finally:
                db.session.remove()

    return wrapper


@app_job
def process_photo(photo_id: str) -> str | None:
    photo = processing.process_photo(photo_id)
    return photo.status if photo is not None else None


@app_job
def reconcile_photos() -> dict:
    """Periodic: re-enqueue photos stuck in `processing` (their worker died)."""
    result = processing.reconcile(rendition_jobs.enqueue_process_photo, rendition_jobs.is_queued)
    if result["requeued"] or result["failed"]:
        log.info("reconciler: requeued %d, failed %d", len(result["requeued"]), len(result["failed"]))
    return result


@app_job
def delete_objects(object_keys: list[str], prefixes: list[str], multipart: tuple | list | None = None) -> None:
    """Remove objects of deleted photos or galleries (and an unfinished multipart upload)."""
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
    from gallery.downloads import crc

    return crc.backfill(limit)
