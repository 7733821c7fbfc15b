"""The photographer's uploader against the app served over real HTTP."""
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.uploader.cli import upload_command
from tests.conftest import free_port
from tests.plugins.uploads import PHOTOS, swapped_settings, wait_for

SCRIPT = Path(sys.executable).parent / "gallery-upload"


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


def _count(gallery_id, status=None):
    db.session.expire_all()
    stmt = db.select(db.func.count(Photo.id)).where(Photo.gallery_id == gallery_id)
    if status:
        stmt = stmt.where(Photo.status == status)
    return db.session.scalar(stmt)


def _run(url, token, gallery_id, folder, *args):
    return upload_command.main([str(folder), "--gallery", gallery_id, "--url", url, "--token", token, "--quiet",
                                *args], standalone_mode=False)


def test_an_interrupted_run_resumes_without_duplicates(app, served, make_photographer, make_gallery, tmp_path):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = tmp_path / "export"
    shutil.copytree(PHOTOS, folder)
    (folder / "README.txt").write_text("not a photo")
    (folder / ".DS_Store").write_bytes(b"\0\0")
    env = {**os.environ, "GALLERY_API_TOKEN": api.token}
    first = subprocess.Popen([str(SCRIPT), str(folder), "--gallery", gallery.id, "--url", served, "--jobs", "1"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: _count(gallery.id, "ready") >= 3, timeout=120, interval=0.02)
    os.killpg(first.pid, signal.SIGKILL)  # the laptop's lid closes
    first.wait(10)
    interrupted_at = _count(gallery.id)
    assert 3 <= interrupted_at < 24

    result = subprocess.run([str(SCRIPT), str(folder), "--gallery", gallery.id, "--url", served, "--jobs", "3"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    assert _count(gallery.id) == 24 and _count(gallery.id, "ready") == 24
    summary = result.stdout.strip().splitlines()[-1]
    uploaded, skipped = (int(summary.split(", ")[i].split()[-1]) for i in (0, 1))
    assert skipped >= 3 and uploaded + skipped == 24 and "not images 1" in summary
    assert "README.txt" in result.stderr  # reported, not uploaded

    again = subprocess.run([str(SCRIPT), str(folder), "--gallery", gallery.id, "--url", served, "-q"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert "uploaded 0, already there 24" in again.stdout


def test_direct_upload_to_s3_single_and_multipart(app, s3, served, make_photographer, make_gallery, tmp_path):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = tmp_path / "shoot"
    folder.mkdir()
    shutil.copy(PHOTOS / "landscape_5.jpg", folder)
    (folder / "big.jpg").write_bytes((PHOTOS / "portrait_2.jpg").read_bytes() + b"\0" * (6 * 1024 * 1024))
    five_mib = 5 * 1024 * 1024
    with swapped_settings(app, direct_upload_multipart_threshold=five_mib, direct_upload_part_size=five_mib):
        _run(served, api.token, gallery.id, folder, "--jobs", "2")
    photos = db.session.scalars(db.select(Photo).where(Photo.gallery_id == gallery.id)).all()
    assert sorted((p.original_filename, p.status) for p in photos) == [("big.jpg", "ready"), ("landscape_5.jpg", "ready")]
    assert s3.size(next(p for p in photos if p.original_filename == "big.jpg").storage_key) > five_mib


def test_bad_token_and_unknown_gallery_fail_clearly(app, served, make_photographer, make_gallery, tmp_path):
    import click

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    shutil.copy(PHOTOS / "landscape_5.jpg", tmp_path)
    with pytest.raises(click.ClickException, match="401"):
        _run(served, "wrong-token", gallery.id, tmp_path)
    with pytest.raises(click.ClickException, match="404"):
        _run(served, api.token, "0" * 26, tmp_path)


def test_uploads_through_the_app_stream_in_constant_memory(app, make_photographer, make_gallery, tmp_path):
    """A 40 MB upload never sits in the app's memory: the parser spools it to disk, hashing as it goes."""
    import json
    import tracemalloc

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    big = tmp_path / "big.jpg"
    with big.open("wb") as out:
        out.write((PHOTOS / "landscape_1.jpg").read_bytes())
        for _ in range(40):
            out.write(b"\0" * (1024 * 1024))
    peaks = []

    def measured(environ, start_response):
        # Only the app's own work on the request (not the dev server's socket draining around it).
        start = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()
        body = b"".join(app(environ, start_response))
        if tracemalloc.is_tracing():
            peaks.append(tracemalloc.get_traced_memory()[1] - start)
        return [body]

    port = free_port()
    server = make_server("127.0.0.1", port, measured, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def post(path):
        # The client is another process (the photographer's laptop).
        code = ("import httpx, sys; f = open(sys.argv[3], 'rb'); r = httpx.post(sys.argv[1], timeout=120, "
                "headers={'Authorization': 'Bearer ' + sys.argv[2]}, files={'file': ('big.jpg', f, 'image/jpeg')}); "
                "print(r.text)")
        result = subprocess.run([sys.executable, "-c", code, f"http://127.0.0.1:{port}/api/v1/galleries/{gallery.id}/photos",
                                 api.token, str(path)], capture_output=True, text=True, timeout=120, check=True)
        return json.loads(result.stdout)

    try:
        assert post(PHOTOS / "landscape_2.jpg")["photo"]["status"] == "ready"  # warm up: imports, caches
        tracemalloc.start()
        try:
            response = post(big)
        finally:
            tracemalloc.stop()
    finally:
        server.shutdown()
    assert response["photo"]["status"] == "ready" and response["photo"]["bytes"] == big.stat().st_size
    assert len(peaks) == 1 and peaks[0] < 4 * 1024 * 1024, f"peak {peaks} bytes for a {big.stat().st_size} byte upload"
