"""Rendition jobs on RQ with the real Redis: the corpus end to end, bad files, idempotency, retries."""
import io

import struct
import zlib

from PIL import Image, ImageChops, ImageStat
from rq import Queue
from rq.job import Job

from gallery.extensions import db
from gallery.galleries.models import Rendition
from gallery.storage import get_storage
from tests.plugins.uploads import (PHOTOS, CORPUS, refresh_photo, run_worker_burst, sha256_of, swapped_settings,
                                   upload, worker_process)
from gallery.galleries import rendition_jobs
from workers import jobs

GPS_IFD = 0x8825


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def decompression_bomb(side=30000) -> bytes:
    """A few hundred bytes of PNG whose header claims side x side pixels."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\0" * (side + 1) * 16)) + _png_chunk(b"IEND", b""))


def _thumb(photo_id) -> Image.Image:
    rendition = db.session.scalar(db.select(Rendition).where(Rendition.photo_id == photo_id,
                                                             Rendition.name == "thumb", Rendition.format == "jpeg"))
    with get_storage().open(rendition.storage_key) as handle:
        return Image.open(io.BytesIO(handle.read())).convert("L")


def _difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 255.0
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def test_every_corpus_photo_ends_ready_upright_and_without_gps(app, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    files = sorted(PHOTOS.iterdir())
    assert len(files) == 24
    ids = {}
    for path in files:
        response = upload(api, gallery.id, path)
        assert response.status_code == 201, (path.name, response.json)
        ids[path.name] = response.json["photo"]["id"]
    assert len(rq_redis.lrange("rq:queue:renditions", 0, -1)) == 24
    run_worker_burst(rq_redis)
    photos = {name: refresh_photo(photo_id) for name, photo_id in ids.items()}
    assert {name: p.status for name, p in photos.items() if p.status != "ready"} == {}
    for name, photo in photos.items():
        names = {(r.name, r.format) for r in photo.renditions}
        assert {("large", "jpeg"), ("preview", "jpeg"), ("thumb", "jpeg")} <= names, name
        for rendition in photo.renditions:
            with get_storage().open(rendition.storage_key) as handle:
                image = Image.open(io.BytesIO(handle.read()))
            assert image.size == (rendition.width, rendition.height)
            exif = image.getexif()
            assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif, f"{name} {rendition.name} has GPS"
    # Orientation by pixels: every landscape_N / portrait_N looks like its orientation-1 original.
    for kind in ("landscape", "portrait"):
        reference = _thumb(ids[f"{kind}_1.jpg"])
        assert (reference.width > reference.height) == (kind == "landscape")
        for n in range(2, 9):
            thumb = _thumb(ids[f"{kind}_{n}.jpg"])
            assert _difference(thumb, reference) < 12, f"{kind}_{n} is not upright"
        assert _difference(reference.transpose(Image.Transpose.ROTATE_180), reference) > 20  # the check can fail


def test_bad_files_fail_with_a_reason_and_the_worker_goes_on(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    good = (PHOTOS / "DSCN0010.jpg").read_bytes()
    through_app = {
        "truncated.jpg": good[: len(good) // 3],
        "bomb.png": decompression_bomb(),
        "zero.jpg": b"",
    }
    direct = {  # the worker, not the upload, finds these out
        "not-an-image.jpg": b"%PDF-1.7\n" + b"0" * 5000,
        "mislabelled.jpg": b"GIF89a" + b"\x01" * 5000,
    }
    ids = {}
    for name, data in through_app.items():
        ids[name] = upload(api, gallery.id, data, filename=name).json["photo"]["id"]
    for name, data in direct.items():
        answer = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
            "filename": name, "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
        import httpx

        httpx.put(answer["plan"]["url"], content=data, headers=answer["plan"]["headers"])
        assert api.post(answer["plan"]["complete_url"], json={}).status_code == 200
        ids[name] = answer["photo"]["id"]
    ids["good"] = upload(api, gallery.id, good, filename="good.jpg").json["photo"]["id"]
    # Viewers reject this one (broken metadata); its pixels are fine, so it ends ready.
    ids["odd"] = upload(api, gallery.id, CORPUS / "bad" / "image01088.jpg").json["photo"]["id"]

    with worker_process(app, "--burst", "--no-schedule") as worker:
        output = worker.communicate(timeout=120)[0].decode()
    assert worker.returncode == 0, output
    photos = {name: refresh_photo(photo_id) for name, photo_id in ids.items()}
    assert photos["good"].status == "ready" and photos["odd"].status == "ready", output
    for name in [*through_app, *direct]:
        photo = photos[name]
        assert photo.status == "failed", (name, photo.status)
        assert photo.failure_reason and "Traceback" not in photo.failure_reason and len(photo.failure_reason) < 300
    assert "empty" in photos["zero.jpg"].failure_reason
    assert "pixels" in photos["bomb.png"].failure_reason.lower() or "large" in photos["bomb.png"].failure_reason
    assert "JPEG, PNG" in photos["mislabelled.jpg"].failure_reason


def test_processing_twice_gives_the_same_renditions_and_rows(app, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo_id = upload(api, gallery.id, PHOTOS / "jolla.jpg").json["photo"]["id"]

    def snapshot():
        photo = refresh_photo(photo_id)
        rows = sorted((r.id, r.name, r.format, r.storage_key, r.width, r.height, r.bytes) for r in photo.renditions)
        data = {r.storage_key: sha256_of(get_storage().open(r.storage_key).read()) for r in photo.renditions}
        return photo.status, photo.width, photo.height, rows, data

    before = snapshot()
    assert before[0] == "ready"
    jobs.process_photo(photo_id)
    assert snapshot() == before
    assert db.session.scalar(db.select(db.func.count(Rendition.id))) == len(before[3])


def test_transient_storage_errors_are_retried_with_backoff(app, s3, rq_redis, make_photographer, make_gallery):
    from tests.conftest import free_port

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo_id = upload(api, gallery.id, PHOTOS / "nikon-e950.jpg").json["photo"]["id"]
    with swapped_settings(app, s3_endpoint_url=f"http://127.0.0.1:{free_port()}"):  # storage is down
        run_worker_burst(rq_redis)
    job = Job.fetch(rendition_jobs.photo_job_id(photo_id, 0), connection=rq_redis)
    assert job.get_status() == "scheduled" and job.retries_left == len(rendition_jobs.RETRY_INTERVALS) - 1
    photo = refresh_photo(photo_id)
    assert photo.status == "processing" and photo.failure_reason is None


def test_rejected_images_are_not_retried(app, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo_id = upload(api, gallery.id, decompression_bomb(), filename="bomb.png").json["photo"]["id"]
    run_worker_burst(rq_redis)
    assert Job.fetch(rendition_jobs.photo_job_id(photo_id, 0), connection=rq_redis).get_status() == "finished"
    assert refresh_photo(photo_id).status == "failed"
    assert Queue("renditions", connection=rq_redis).count == 0


def test_a_watermarked_gallery_gets_a_watermarked_rendition(app, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, watermark=True)
    photo = upload(api, gallery.id, PHOTOS / "landscape_1.jpg").json["photo"]
    names = {(r["name"], r["format"]) for r in photo["renditions"]}
    assert ("watermarked", "jpeg") in names
    # Turned off later: reprocessing removes the watermarked rendition and its object.
    key = next(r.storage_key for r in refresh_photo(photo["id"]).renditions if r.name == "watermarked")
    api.patch(f"/api/v1/galleries/{gallery.id}", json={"watermark": False})
    jobs.process_photo(photo["id"])
    assert "watermarked" not in {r.name for r in refresh_photo(photo["id"]).renditions}
    assert not get_storage().exists(key)


def test_a_job_timeout_is_retried_then_fails_with_its_reason(app, rq_redis, make_photographer, make_gallery,
                                                             monkeypatch):
    """RQ's own job timeout (its SIGALRM death penalty) cuts the decoding short, every time: the decoder is
    made to outlast it by far, so no machine is fast enough to finish first (as a 10000 px PNG sometimes did)."""
    import time

    from rq import Queue

    from gallery.galleries import processing

    def endless_decode(*args, **kwargs):
        time.sleep(120)  # interrupted by the job's timeout
        raise AssertionError("the job timeout did not fire")

    monkeypatch.setattr(processing, "process_image", endless_decode)
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    with swapped_settings(app, photo_job_timeout=5):
        photo_id = upload(api, gallery.id, PHOTOS / "landscape_1.jpg").json["photo"]["id"]
        run_worker_burst(rq_redis)
        job = Job.fetch(rendition_jobs.photo_job_id(photo_id, 0), connection=rq_redis)
        assert job.get_status() == "scheduled"  # retried, not judged "damaged"
        photo = refresh_photo(photo_id)
        assert photo.status == "processing" and photo.failure_reason is None and photo.processing_attempts == 1
        queue = Queue("renditions", connection=rq_redis)
        queue.scheduled_job_registry.remove(job)
        queue.enqueue_job(job)  # the retry's time has come
        run_worker_burst(rq_redis)
    photo = refresh_photo(photo_id)
    assert photo.status == "failed" and photo.processing_attempts == 2
    assert "took longer than 5 seconds, 2 times" in photo.failure_reason


def test_junk_and_truncated_files_are_refused_in_seconds_with_their_reason(app, make_photographer, make_gallery):
    import time

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    picture = io.BytesIO()
    Image.effect_noise((1200, 900), 60).convert("RGB").save(picture, "JPEG")
    data = picture.getvalue()
    junk = data[:data.index(b"\xff\xda") + 14] + b"\0" * (50 * 1024 * 1024) + b"\xff\xd9"
    started = time.monotonic()
    junk_id = upload(api, gallery.id, junk, filename="junk.jpg").json["photo"]["id"]
    assert time.monotonic() - started < 20
    assert "empty data" in refresh_photo(junk_id).failure_reason
    cut_id = upload(api, gallery.id, data[:len(data) * 2 // 3], filename="cut.jpg").json["photo"]["id"]
    assert "ends before the picture is complete" in refresh_photo(cut_id).failure_reason
    wide = io.BytesIO()
    Image.new("L", (60000, 1)).save(wide, "PNG")
    wide_id = upload(api, gallery.id, wide.getvalue(), filename="wide.png").json["photo"]["id"]
    assert "50 times as long" in refresh_photo(wide_id).failure_reason



def test_processing_holds_no_write_lock_while_it_decodes_and_stores(app, make_photographer, make_gallery,
                                                                     monkeypatch):
    """Other requests write while a photo's renditions are stored. A direct upload's first processing records
    the file's CRC: were it written before the work, on SQLite it would hold the database's one write lock
    through the decode and every storage upload, and other requests would time out waiting."""
    from sqlalchemy import create_engine, text

    from gallery.galleries import processing
    from gallery.galleries.models import Gallery, Photo

    photographer, api = make_photographer()
    gallery = make_gallery(photographer, title="Before")
    response = upload(api, gallery.id, sorted(PHOTOS.iterdir())[0])
    assert response.status_code == 201, response.json
    photo_id = response.json["photo"]["id"]
    db.session.execute(db.update(Photo).where(Photo.id == photo_id).values(crc32=None))  # as a direct upload
    db.session.commit()

    storage_type = type(get_storage())
    original_save = storage_type.save_bytes
    writes = []

    def save_bytes(self, key, data, **kwargs):
        other = create_engine(db.engine.url, **({"connect_args": {"timeout": 0.5}}
                                                 if db.engine.dialect.name == "sqlite" else {}))
        with other.begin() as conn:  # another request's write, with little patience
            conn.execute(text("UPDATE galleries SET title = :t WHERE id = :id"),
                         {"t": f"Renamed {len(writes)}", "id": gallery.id})
        other.dispose()
        writes.append(key)
        return original_save(self, key, data, **kwargs)

    monkeypatch.setattr(storage_type, "save_bytes", save_bytes)
    db.session.get(Gallery, gallery.id)  # in the identity map, as in a job that has read it
    processing.process_photo(photo_id)
    assert len(writes) >= 3
    db.session.expire_all()
    photo = db.session.get(Photo, photo_id)
    assert photo.status == "ready" and photo.crc32 is not None
    assert db.session.get(Gallery, gallery.id).title == f"Renamed {len(writes) - 1}"
