"""--watch: a Lightroom export writes files slowly, in chunks; each is uploaded once, complete."""
import hashlib
import os
import signal
import threading
import time

from tests.uploads_support import PHOTOS, wait_for


def _write_slowly(path, data: bytes, chunk=64 * 1024, pause=0.03, stall_at=0.5, stall=0.6):
    """Write `data` in chunks, with one longer stall half-way (still shorter than the settle period)."""
    with path.open("wb") as out:
        for start in range(0, len(data), chunk):
            out.write(data[start:start + chunk])
            out.flush()
            time.sleep(stall if start <= len(data) * stall_at < start + chunk else pause)


def test_watched_folder_uploads_each_slowly_written_file_once_complete(app, served, make_proxy, make_photographer,
                                                                       make_gallery, tmp_path, start_uploader,
                                                                       photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = tmp_path / "export"
    folder.mkdir()
    proxy = make_proxy(served)
    watcher = start_uploader(proxy.url, api.token, gallery.id, folder, "--watch", "--settle", "1.5",
                             "--interval", "0.2", "--sets-from-folders")
    sources = [PHOTOS / "landscape_1.jpg", PHOTOS / "portrait_3.jpg", PHOTOS / "landscape_6.jpg"]
    # Each photo padded to a few MB so writing it takes a few seconds.
    payloads = {f"IMG_{i:04d}.jpg": src.read_bytes() + b"\0" * (2 * 1024 * 1024) for i, src in enumerate(sources, 1)}
    (folder / "Ceremony").mkdir()
    targets = [folder / "IMG_0001.jpg", folder / "Ceremony" / "IMG_0002.jpg", folder / "IMG_0003.jpg"]
    writers = [threading.Thread(target=_write_slowly, args=(target, payloads[target.name])) for target in targets[:2]]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    _write_slowly(targets[2], payloads["IMG_0003.jpg"])  # a second export, later

    wait_for(lambda: len([p for p in photo_rows(gallery.id) if p.status == "ready"]) == 3, timeout=120)
    time.sleep(2)  # a few more looks at the folder: nothing is sent again
    os.killpg(watcher.pid, signal.SIGINT)
    out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 130, err

    rows = photo_rows(gallery.id)
    assert sorted((p.original_filename, p.bytes, p.sha256) for p in rows) == sorted(
        (name, len(data), hashlib.sha256(data).hexdigest()) for name, data in payloads.items())
    assert all(p.status == "ready" for p in rows)
    plans = [s for s in proxy.seen if s.method == "POST" and s.path.endswith("/uploads") and s.status == 201]
    assert len(plans) == 3  # each file planned (and sent) once
    ceremony = [s for s in api.get(f"/api/v1/galleries/{gallery.id}").json["sets"] if s["name"] == "Ceremony"]
    assert len(ceremony) == 1 and [p.original_filename for p in rows if p.set_id == ceremony[0]["id"]] == ["IMG_0002.jpg"]
