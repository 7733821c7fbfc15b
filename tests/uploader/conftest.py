"""Fixtures of the uploader's tests: the app over real HTTP, proxies in front of it (and of the S3 test
server), and the uploader run as the photographer runs it: its own process, its own console script."""
import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import free_port
from tests.plugins.uploads import PHOTOS, swapped_settings
from tests.uploader.proxy import Proxy

SCRIPT = Path(sys.executable).parent / "gallery-upload"
MiB = 1024 * 1024


@pytest.fixture
def served(app):
    """The app on a real HTTP port (threaded), for clients outside the test client."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def make_proxy():
    """make_proxy(upstream_url, fault=None, delay=0.0) -> a started Proxy (see tests/uploader/proxy.py)."""
    started = []

    def make(upstream, **options):
        proxy = Proxy(upstream, **options).__enter__()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.__exit__(None, None, None)


@pytest.fixture
def s3_behind(app, moto_server):
    """s3_behind(proxy) -> S3Storage of a fresh bucket whose endpoint (and so every presigned URL) is the proxy."""
    import boto3

    contexts = []

    def make(proxy):
        bucket = f"test-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1", aws_access_key_id="testing",
                     aws_secret_access_key="testing").create_bucket(Bucket=bucket)
        context = swapped_settings(app, storage_backend="s3", s3_bucket=bucket, s3_endpoint_url=proxy.url,
                                   s3_access_key_id="testing", s3_secret_access_key="testing")
        context.__enter__()
        contexts.append(context)
        from gallery.storage import get_storage

        return get_storage()

    yield make
    for context in reversed(contexts):
        context.__exit__(None, None, None)


@pytest.fixture
def small_parts(app):
    """Parts of 5 MiB (S3's minimum), and multipart from 5 MiB up, so test files have several parts."""
    with swapped_settings(app, direct_upload_multipart_threshold=5 * MiB, direct_upload_part_size=5 * MiB):
        yield 5 * MiB


@pytest.fixture
def uploader_script():
    """The `gallery-upload` console script of the venv (installed from uploader/)."""
    return SCRIPT


@pytest.fixture(autouse=True)
def hash_cache(tmp_path, monkeypatch):
    """The uploader remembers hashes in this test's own cache file, never in the home folder."""
    location = tmp_path / "hash-cache.sqlite3"
    monkeypatch.setenv("GALLERY_UPLOAD_CACHE", str(location))
    return location


@pytest.fixture
def start_uploader():
    """start_uploader(url, token, gallery_id, folder, *args) -> Popen of the console script (own session)."""
    processes = []

    def start(url, token, gallery_id, folder, *args, env=None):
        environment = {**os.environ, "GALLERY_TOKEN": token, "PYTHONUNBUFFERED": "1", **(env or {})}
        process = subprocess.Popen([str(SCRIPT), str(folder), "--gallery", gallery_id, "--url", url, *args],
                                   env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


@pytest.fixture
def photo_rows(app):
    """photo_rows(gallery_id) -> the gallery's Photo rows (fresh from the database), in gallery order."""
    from gallery.extensions import db
    from gallery.galleries.models import Photo

    def rows(gallery_id):
        db.session.expire_all()
        return db.session.scalars(db.select(Photo).where(Photo.gallery_id == gallery_id)
                                  .order_by(Photo.position, Photo.id)).all()

    return rows


@pytest.fixture
def export_folder(tmp_path):
    """export_folder(big=0, small=4, pad=16 MiB) -> a folder of real JPEGs: `big` padded past several parts
    (named a_big*.jpg, so they sort first) and `small` corpus photos."""

    def make(big=0, small=4, pad=16 * MiB, name="export"):
        folder = tmp_path / name
        folder.mkdir()
        corpus = sorted(PHOTOS.glob("landscape_*.jpg")) + sorted(PHOTOS.glob("portrait_*.jpg"))
        for i in range(big):
            (folder / f"a_big{i + 1}.jpg").write_bytes(corpus[i].read_bytes() + bytes([i + 1]) * pad)
        for source in corpus[big:big + small]:
            shutil.copy(source, folder / source.name)
        return folder

    return make


@pytest.fixture
def photo_taken_at(tmp_path):
    """photo_taken_at(path, "2024:06:01 14:03:07", source=...) writes a real JPEG with that EXIF DateTimeOriginal."""
    from PIL import Image

    def make(path, taken: str | None, source=PHOTOS / "landscape_2.jpg"):
        with Image.open(source) as image:
            exif = Image.Exif()
            if taken:
                exif.get_ifd(0x8769)[0x9003] = taken  # Exif IFD: DateTimeOriginal
            image.convert("RGB").resize((320, 240)).save(path, "JPEG", exif=exif.tobytes())
        return path

    return make
