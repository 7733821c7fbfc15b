"""Turning a stored original into renditions, and finding photos whose job died.

`process_photo` is idempotent: rendition keys are derived from the photo id,
objects are overwritten and rows upserted, so running it twice (a retry, the
reconciler after a killed worker) yields the same renditions and rows.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import tempfile
import zlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from gallery.core import clock
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.observability import metrics
from gallery.imaging import DEFAULT_SPECS, ImageRejected, Watermark, process_image
from gallery.storage import ObjectNotFound, get_storage, keys

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
TIMEOUT_ATTEMPTS = 2  # a photo whose job runs out of time this often fails with that reason
ABANDONED_AFTER = timedelta(days=2)
INTERNAL_FAILURE = "We could not process this photo because of an error on our side; it has been logged."


class TransientStorageError(RuntimeError):
    """Storage was unreachable or answered 5xx: worth retrying later."""


def _is_timeout(error: BaseException) -> bool:
    """The job ran out of its time (RQ raises this inside whatever the job was doing, decoding included)."""
    from rq.timeouts import BaseTimeoutException

    return isinstance(error, BaseTimeoutException)


def _timed_out(photo_id: str, error: BaseException) -> Photo | None:
    """Retry (re-raise, so the queue's retry runs it again), or after TIMEOUT_ATTEMPTS fail with the reason."""
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        return None
    if (photo.processing_attempts or 0) >= TIMEOUT_ATTEMPTS:
        seconds = current_app.config["GALLERY"].photo_job_timeout
        log.warning("photo %s timed out %d times; failing it", photo_id, photo.processing_attempts)
        return _fail(photo, f"Processing this photo took longer than {seconds} seconds, {photo.processing_attempts} "
                            "times; the file may be too large or complex. Try a smaller export.")
    photo.processing_started_at = None  # waiting for the retry, not running
    commit()  # before re-raising: the job wrapper rolls a failed job back, and the retry must see this
    log.warning("photo %s timed out (attempt %d); retrying", photo_id, photo.processing_attempts)
    raise error


def _is_transient(error: BaseException) -> bool:
    from gallery.storage.s3 import is_transient

    return is_transient(error)


def _fail(photo: Photo, reason: str) -> Photo:
    photo.status = "failed"
    photo.failure_reason = reason[:500]
    photo.processing_started_at = None
    commit()  # each photo's failure stands alone (the reconciler fails several in one run)
    metrics.PHOTOS.labels("failed").inc()
    return photo


def _download(storage, key: str, into) -> tuple[str, int]:
    """Copy the original into a local temp file, returning its sha256 and CRC-32 (one pass, constant memory)."""
    digest = hashlib.sha256()
    crc = 0
    with storage.open(key) as source:
        while block := source.read(1024 * 1024):
            digest.update(block)
            crc = zlib.crc32(block, crc)
            into.write(block)
    into.flush()
    into.seek(0)
    return digest.hexdigest(), crc


def _watermark_for(gallery: Gallery) -> Watermark | None:
    if not gallery.watermark:
        return None
    photographer = gallery.photographer
    return Watermark(text=(photographer.studio_name if photographer else None) or "Proof")


def process_photo(photo_id: str) -> Photo | None:
    """Make the renditions of one photo; ImageRejected ends it `failed` with the pipeline's reason."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.status in {"uploading", "failed"}:
        return photo  # deleted meanwhile, or nothing to do
    photo.status = "processing"
    photo.processing_started_at = clock.now()
    photo.processing_attempts = (photo.processing_attempts or 0) + 1
    commit()  # the claim: the reconciler knows when this attempt started
    storage = get_storage()
    settings = current_app.config["GALLERY"]
    try:
        with tempfile.NamedTemporaryFile(prefix="gallery-original-") as original:
            try:
                sha256, crc32 = _download(storage, photo.storage_key, original)
            except ObjectNotFound:
                return _fail(photo, "The original file is missing from storage; upload it again.")
            if not hmac.compare_digest(sha256, photo.sha256):
                return _fail(photo, "The uploaded file does not match the sha256 announced for it (damaged or "
                                    "incomplete); upload it again.")
            # Nothing is written until the renditions are stored: a write here would hold SQLite's write lock
            # through the decode and the storage uploads, and other requests would wait on it.
            gallery = db.session.get(Gallery, photo.gallery_id)
            try:
                result = process_image(original, DEFAULT_SPECS, watermark=_watermark_for(gallery),
                                       max_pixels=settings.max_image_pixels)
            except ImageRejected as rejected:
                return _fail(photo, rejected.reason)
        existing = {(r.name, r.format): r for r in photo.renditions}
        made = set()
        for rendition in result.renditions:
            key = keys.rendition_key(photo.gallery_id, photo.id, rendition.name, rendition.format)
            storage.save_bytes(key, rendition.data, content_type=rendition.content_type)
            row = existing.get((rendition.name, rendition.format))
            if row is None:
                row = Rendition(photo_id=photo.id, name=rendition.name, format=rendition.format)
                photo.renditions.append(row)
            row.storage_key, row.width, row.height = key, rendition.width, rendition.height
            row.bytes = len(rendition.data)
            row.crc32 = zlib.crc32(rendition.data)
            made.add((rendition.name, rendition.format))
        for name_format, row in existing.items():
            if name_format not in made:  # e.g. WebP no longer pays, or the watermark was turned off
                storage.delete(row.storage_key)
                photo.renditions.remove(row)
        info = result.info
        photo.crc32 = crc32  # a direct upload's first read: kept for zips
        photo.width, photo.height = info.width, info.height
        photo.taken_at = info.taken_at
        photo.placeholder_color = info.placeholder_color
        photo.content_type = f"image/{info.source_format}"  # what it is, not what the client declared
        photo.status, photo.failure_reason, photo.processing_started_at = "ready", None, None
        commit()  # the renditions are stored: their rows stand before the next photo (or a later error)
        metrics.PHOTOS.labels("ready").inc()
        return photo
    except Exception as error:  # noqa: BLE001 - sorted into "retry later" and "tell the photographer"
        db.session.rollback()
        if _is_timeout(error):
            return _timed_out(photo_id, error)
        if _is_transient(error):
            log.warning("transient storage error processing photo %s: %s", photo_id, error)
            raise TransientStorageError(str(error)) from error
        log.exception("processing photo %s failed", photo_id)
        photo = db.session.get(Photo, photo_id)
        if photo is not None:
            _fail(photo, INTERNAL_FAILURE)
        return photo


def stale_processing_photos(now=None) -> list[Photo]:
    """Photos whose processing attempt started longer ago than a job may run (its worker died)."""
    timeout = current_app.config["GALLERY"].photo_job_timeout
    cutoff = (now or clock.now()) - timedelta(seconds=timeout + 60)
    return list(db.session.scalars(
        select(Photo).where(Photo.status == "processing", Photo.processing_started_at.is_not(None),
                            Photo.processing_started_at < cutoff).limit(500)))


def unqueued_processing_photos(is_queued) -> list[Photo]:
    """Photos waiting for processing whose job is in no queue (lost before a worker got it)."""
    waiting = db.session.scalars(
        select(Photo).where(Photo.status == "processing", Photo.processing_started_at.is_(None)).limit(2000))
    return [photo for photo in waiting if not is_queued(photo.id)]


def reconcile(enqueue_photo, is_queued) -> dict:
    """Re-enqueue photos stuck in `processing`; give up (failed, with a reason) after MAX_ATTEMPTS."""
    requeued, failed = [], []
    for photo in stale_processing_photos():
        if photo.processing_attempts >= MAX_ATTEMPTS:
            _fail(photo, f"Processing was interrupted {photo.processing_attempts} times; "
                         "the file may be too heavy to process. Try a smaller export.")
            failed.append(photo.id)
            continue
        photo.processing_started_at = None  # back to "waiting in the queue"
        commit()  # committed before it is queued again: the worker must see it waiting
        enqueue_photo(photo.id)
        requeued.append(photo.id)
    for photo in unqueued_processing_photos(is_queued):
        enqueue_photo(photo.id)
        requeued.append(photo.id)
    return {"requeued": requeued, "failed": failed, "abandoned": expire_abandoned_uploads()}


def expire_abandoned_uploads(now=None) -> list[str]:
    """Direct uploads never completed within ABANDONED_AFTER: failed (visible, with a reason), and the
    bucket's unfinished multipart upload aborted so its parts stop costing storage."""
    cutoff = (now or clock.now()) - ABANDONED_AFTER
    photos = list(db.session.scalars(select(Photo).where(Photo.status == "uploading", Photo.updated_at < cutoff)
                                      .limit(500)))
    storage = get_storage()
    for photo in photos:
        if photo.upload_id and hasattr(storage, "abort_multipart"):
            storage.abort_multipart(photo.storage_key, photo.upload_id)
        photo.upload_id = None
        _fail(photo, "The upload was started but never completed; upload the file again.")
    return [photo.id for photo in photos]
