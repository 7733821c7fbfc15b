"""Fixtures for storage, uploads and workers: S3 over real HTTP (moto's server mode),
RQ on the real Redis, worker processes, and helpers to upload files through the API.

A pytest plugin registered in the root conftest: its fixtures serve every test; import its helpers from here.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REDIS_URL, free_port

PROJECT = Path(__file__).resolve().parents[2]
PHOTOS = CORPUS / "photos"


@contextmanager
def swapped_settings(app, **changes):
    """The app runs with these settings (and fresh storage / Redis clients) while inside."""
    original = app.config["GALLERY"]
    app.config["GALLERY"] = dataclasses.replace(original, **changes)
    saved = {name: app.extensions.pop(name, None) for name in ("gallery_storage", "gallery_redis")}
    try:
        yield app.config["GALLERY"]
    finally:
        app.config["GALLERY"] = original
        for name, value in saved.items():
            app.extensions.pop(name, None)
            if value is not None:
                app.extensions[name] = value


@pytest.fixture(scope="session")
def moto_server():
    """An S3-compatible server over real HTTP on loopback; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(app, moto_server):
    """The app stores objects in a fresh bucket of the moto server; yields the S3Storage."""
    import boto3

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    with swapped_settings(app, storage_backend="s3", s3_bucket=bucket, s3_endpoint_url=moto_server,
                          s3_access_key_id="testing", s3_secret_access_key="testing"):
        from gallery.storage import get_storage

        yield get_storage()


@pytest.fixture
def rq_redis(app):
    """Jobs go to RQ on the test Redis db (flushed before and after); yields the connection."""
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    with swapped_settings(app, redis_url=REDIS_URL):
        yield connection
    connection.flushdb()


def run_worker_burst(connection, queues=("renditions", "default")):
    """Process every queued job in this process (RQ SimpleWorker, burst)."""
    from rq import Queue, SimpleWorker

    SimpleWorker([Queue(name, connection=connection) for name in queues], connection=connection).work(burst=True)


def settings_env(app) -> dict:
    """Environment that makes another process (a worker) build the same app as `app`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
    for field in dataclasses.fields(app.config["GALLERY"]):
        value = getattr(app.config["GALLERY"], field.name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(value)
        env[f"GALLERY_{field.name.upper()}"] = str(value)
    return env


@contextmanager
def worker_process(app, *args):
    """A real `flask --app wsgi gallery worker` process (its own process group, so kill -9 takes the
    work horse too); yields the Popen."""
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "gallery", "worker", *args],
                               cwd=PROJECT, env=settings_env(app), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def wait_for(predicate, timeout=60.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")


def upload(api, gallery_id, data: bytes | Path, filename: str | None = None, **form):
    """POST one file through the app's multipart endpoint."""
    if isinstance(data, Path):
        filename = filename or data.name
        data = data.read_bytes()
    body = {"file": (io.BytesIO(data), filename or "photo.jpg"), **form}
    return api.post(f"/api/v1/galleries/{gallery_id}/photos", data=body, content_type="multipart/form-data")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def refresh_photo(photo_id):
    from gallery.extensions import db
    from gallery.galleries.models import Photo

    db.session.expire_all()
    return db.session.get(Photo, photo_id)


__all__ = ["moto_server", "s3", "rq_redis", "run_worker_burst", "settings_env", "worker_process", "wait_for",
           "upload", "sha256_of", "refresh_photo", "swapped_settings", "PHOTOS", "CORPUS", "REDIS_URL"]
