"""Nothing stays stuck in `processing`: a killed worker, a lost job, the periodic schedule."""
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker

from gallery.core import clock
from gallery.extensions import db
from gallery.galleries import processing
from gallery.galleries.models import Photo
from tests.conftest import SHARED
from tests.plugins.uploads import (refresh_photo, run_worker_burst, swapped_settings, upload, wait_for,
                                   worker_process)
from workers import jobs, schedule


@pytest.fixture(scope="session")
def pro_photo(tmp_path_factory) -> Path:
    """One 24-megapixel camera-like JPEG (~11 MB): slow enough to kill a worker in the middle of it."""
    out = tmp_path_factory.mktemp("pro")
    subprocess.run([sys.executable, str(SHARED / "bench" / "make_pro_photos.py"), str(out), "1"], check=True,
                   capture_output=True)
    return next(out.glob("*.jpg"))


def _stale(app):
    return clock.now() + timedelta(seconds=app.config["GALLERY"].photo_job_timeout + 61)


def test_a_worker_killed_mid_job_leaves_no_photo_stuck(app, rq_redis, pro_photo, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo_id = upload(api, gallery.id, pro_photo).json["photo"]["id"]
    with worker_process(app, "--no-schedule") as worker:
        wait_for(lambda: refresh_photo(photo_id).processing_started_at is not None, timeout=60, interval=0.01)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse, mid-job
        worker.wait(10)
    photo = refresh_photo(photo_id)
    assert photo.status == "processing" and photo.processing_attempts == 1 and not photo.renditions

    # While the attempt could still be running, the reconciler leaves it alone.
    assert jobs.reconcile_photos() == {"requeued": [], "failed": [], "abandoned": []}
    with clock.frozen(_stale(app)):
        assert jobs.reconcile_photos() == {"requeued": [photo_id], "failed": [], "abandoned": []}
    with worker_process(app, "--burst", "--no-schedule") as worker:
        output = worker.communicate(timeout=120)[0].decode()
    photo = refresh_photo(photo_id)
    assert photo.status == "ready", output
    assert photo.processing_attempts == 2 and photo.width == 6000 and photo.height == 4000
    assert {(r.name, r.width) for r in photo.renditions if r.format == "jpeg"} == {
        ("large", 2048), ("preview", 1200), ("thumb", 400)}


def test_a_lost_job_is_enqueued_again_once(app, rq_redis, make_photographer, make_gallery):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer)
    photo = Photo(gallery_id=gallery.id, original_filename="a.jpg", storage_key="originals/x/y", sha256="c" * 64,
                  status="processing")
    db.session.add(photo)
    db.session.commit()  # processing, but no job anywhere (Redis lost it)
    assert jobs.reconcile_photos()["requeued"] == [photo.id]
    assert jobs.reconcile_photos()["requeued"] == []  # now queued: not twice
    assert Queue("renditions", connection=rq_redis).count == 1
    run_worker_burst(rq_redis)
    photo = refresh_photo(photo.id)
    assert photo.status == "failed" and "missing" in photo.failure_reason


def test_the_reconciler_gives_up_after_repeated_interruptions(app, rq_redis, make_photographer, make_gallery):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer)
    photo = Photo(gallery_id=gallery.id, original_filename="a.jpg", storage_key="originals/x/z", sha256="d" * 64,
                  status="processing", processing_started_at=clock.now(),
                  processing_attempts=processing.MAX_ATTEMPTS)
    db.session.add(photo)
    db.session.commit()
    with clock.frozen(_stale(app)):
        assert jobs.reconcile_photos() == {"requeued": [], "failed": [photo.id], "abandoned": []}
    photo = refresh_photo(photo.id)
    assert photo.status == "failed" and "interrupted" in photo.failure_reason


def test_periodic_jobs_are_enqueued_once_per_period_across_workers(app, rq_redis):
    assert any(job.func == "workers.jobs.reconcile_photos" and job.every == 60 for job in schedule.PERIODIC_JOBS)
    assert any(job.func == "workers.retention.run_sweep" and job.every == 3600 for job in schedule.PERIODIC_JOBS)
    assert any(job.func == "workers.mail.deliver_outbox" and job.queue == "mail" for job in schedule.PERIODIC_JOBS)
    jobs = [job for job in schedule.PERIODIC_JOBS if job.queue == "default"]
    assert schedule.enqueue_due(rq_redis, jobs, now=1_000_020) == ["reconcile-photos", "backfill-crc32", "retention-sweep"]
    assert schedule.enqueue_due(rq_redis, jobs, now=1_000_030) == []  # another worker, same minute
    assert schedule.enqueue_due(rq_redis, jobs, now=1_000_080) == ["reconcile-photos"]  # next minute, same hour
    queue = Queue("default", connection=rq_redis)
    assert queue.count == 4
    SimpleWorker([queue], connection=rq_redis).work(burst=True)
    assert queue.count == 0 and queue.failed_job_registry.count == 0


def test_the_worker_command_refuses_unknown_queues(app):
    result = app.test_cli_runner().invoke(args=["gallery", "worker", "--queues", "nope", "--burst"])
    assert result.exit_code != 0 and "unknown queue" in result.output


def test_direct_uploads_never_completed_expire(app, s3, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    with swapped_settings(app, direct_upload_multipart_threshold=5 * 1024 * 1024):
        answer = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
            "filename": "huge.tif", "bytes": 50 * 1024 * 1024, "sha256": "e" * 64}).json
        assert answer["plan"]["strategy"] == "multipart"
        photo_id = answer["photo"]["id"]
        assert jobs.reconcile_photos()["abandoned"] == []
        with clock.frozen(clock.now() + processing.ABANDONED_AFTER + timedelta(minutes=1)):
            assert jobs.reconcile_photos()["abandoned"] == [photo_id]
        uploads = s3.client.list_multipart_uploads(Bucket=s3.bucket).get("Uploads", [])
    photo = refresh_photo(photo_id)
    assert photo.status == "failed" and "never completed" in photo.failure_reason and photo.upload_id is None
    assert uploads == []
