"""The rendition job, queued by name: one job id per attempt, retries with backoff, and whether it is queued."""
from __future__ import annotations

from flask import current_app
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from gallery.core.queues import enqueue, is_inline, redis_connection
from gallery.extensions import db
from gallery.galleries.models import Photo

PROCESS_PHOTO_JOB = "workers.jobs.process_photo"
# Backoff between attempts on transient storage errors (seconds).
RETRY_INTERVALS = [10, 60, 300]


def photo_job_id(photo_id: str, attempts: int) -> str:
    # One id per attempt: a job left in RQ's registries by a killed worker never collides with its successor.
    return f"photo-{photo_id}-{attempts}"


def _attempts(photo_id: str) -> int:
    return db.session.scalar(db.select(Photo.processing_attempts).where(Photo.id == photo_id)) or 0


def enqueue_process_photo(photo_id: str):
    """Queue the rendition job, retried with backoff on transient storage errors, with a timeout."""
    retry = None if is_inline() else Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
    job_id = photo_job_id(photo_id, _attempts(photo_id))
    return enqueue(PROCESS_PHOTO_JOB, photo_id, queue="renditions", job_id=job_id, retry=retry,
                   job_timeout=current_app.config["GALLERY"].photo_job_timeout)


def is_queued(photo_id: str) -> bool:
    if is_inline():
        return False
    try:
        job = Job.fetch(photo_job_id(photo_id, _attempts(photo_id)), connection=redis_connection())
        status = job.get_status()
    except NoSuchJobError:
        return False
    return status in {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED}
