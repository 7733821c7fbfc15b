"""CRC-32 of stored files, which a zip needs before its first byte.

New originals get theirs while the upload streams in (or, uploaded straight to S3, when the rendition
job reads them); renditions when they are made. Rows stored before that are filled in lazily: by the
periodic backfill job, a batch at a time, and by a zip that meets one still missing.
"""
from __future__ import annotations

from sqlalchemy import select

from gallery.downloads.zipstream import crc32_of
from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.storage import ObjectNotFound, get_storage


def fill_missing(rows) -> int:
    """Compute and keep the CRC-32 of the given photos or renditions that lack it (flushes, no commit)."""
    storage = get_storage()
    filled = 0
    for row in rows:
        if row.crc32 is None:
            row.crc32 = crc32_of(storage.iter_range(row.storage_key))
            filled += 1
    if filled:
        db.session.flush()
    return filled


def backfill(limit: int = 200) -> dict:
    """One batch of ready photos and their renditions stored without a CRC-32; the periodic job repeats it."""
    photos = list(db.session.scalars(select(Photo).where(Photo.crc32.is_(None), Photo.status == "ready")
                                      .order_by(Photo.id).limit(limit)))
    renditions = list(db.session.scalars(select(Rendition).where(Rendition.crc32.is_(None))
                                         .order_by(Rendition.id).limit(limit)))
    done = {"photos": 0, "renditions": 0, "missing": 0}
    for kind, rows in (("photos", photos), ("renditions", renditions)):
        for row in rows:
            try:
                done[kind] += fill_missing([row])
            except ObjectNotFound:
                done["missing"] += 1  # the file is gone: nothing to zip, the download says so
    return done
