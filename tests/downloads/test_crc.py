"""The CRC-32 a zip needs is recorded when a file is stored, so no zip reads originals before its first
byte: streamed uploads, direct-to-S3 uploads (by the rendition job), renditions; older rows by the backfill."""
import zlib

import httpx
from sqlalchemy import select

from gallery.extensions import db
from gallery.galleries.models import Rendition
from gallery.storage import get_storage
from tests.plugins.uploads import PHOTOS, refresh_photo, run_worker_burst, sha256_of, upload

PHOTO = PHOTOS / "landscape_3.jpg"


def _stored_crc(key: str) -> int:
    value = 0
    for chunk in get_storage().iter_range(key):
        value = zlib.crc32(chunk, value)
    return value


def test_an_upload_through_the_app_records_the_crc_of_the_original_and_renditions(app, make_photographer,
                                                                                   make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = PHOTO.read_bytes()
    response = upload(api, gallery.id, data)
    assert response.status_code == 201, response.json
    photo = refresh_photo(response.json["photo"]["id"])
    assert photo.status == "ready" and photo.crc32 == zlib.crc32(data)
    renditions = list(db.session.scalars(select(Rendition).where(Rendition.photo_id == photo.id)))
    assert renditions and all(r.crc32 == _stored_crc(r.storage_key) for r in renditions)


def test_a_direct_upload_gets_its_crc_from_the_rendition_job(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = PHOTO.read_bytes()
    plan = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
        "filename": "a.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
    assert httpx.put(plan["plan"]["url"], content=data, headers=plan["plan"]["headers"]).status_code == 200
    assert api.post(plan["plan"]["complete_url"], json={}).status_code == 200
    assert refresh_photo(plan["photo"]["id"]).crc32 is None  # the app never saw the bytes
    run_worker_burst(rq_redis)
    photo = refresh_photo(plan["photo"]["id"])
    assert photo.status == "ready" and photo.crc32 == zlib.crc32(data)


def test_rows_stored_before_are_backfilled_in_batches(app, make_photographer, make_gallery, make_photo):
    from workers import jobs

    photographer, _ = make_photographer()
    gallery = make_gallery(photographer)
    photos = [make_photo(gallery) for _ in range(3)]  # stored without CRCs, like rows from before
    assert all(photo.crc32 is None for photo in photos)
    first = jobs.backfill_crc32(limit=2)
    assert first["photos"] == 2
    assert jobs.backfill_crc32(limit=2)["photos"] == 1
    assert jobs.backfill_crc32(limit=2)["photos"] == 0
    assert jobs.backfill_crc32(limit=100)["renditions"] == 15 - 3 * 2  # 5 renditions a photo, 2 a batch so far
    for photo in photos:
        refreshed = refresh_photo(photo.id)
        assert refreshed.crc32 == _stored_crc(refreshed.storage_key)
    assert db.session.scalar(select(Rendition.id).where(Rendition.crc32.is_(None))) is None
