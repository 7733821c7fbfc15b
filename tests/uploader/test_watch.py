"""--watch: a Lightroom export writes files slowly, in chunks; each is uploaded once, complete."""
import hashlib
import os
import signal
import threading
import time

from tests.plugins.uploads import PHOTOS, wait_for


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


def test_watching_through_a_lost_network_uploads_once_it_is_back(app, served, make_proxy, make_photographer,
                                                                 make_gallery, tmp_path, start_uploader, photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = tmp_path / "export"
    folder.mkdir()
    network = {"down": False}
    proxy = make_proxy(served, fault=lambda index, seen: "drop-early" if network["down"] else None)
    watcher = start_uploader(proxy.url, api.token, gallery.id, folder, "--watch", "--settle", "0.5",
                             "--interval", "0.2")
    wait_for(lambda: any(s.path.endswith(gallery.id) for s in proxy.seen), timeout=30)  # it has started
    network["down"] = True  # the café's Wi-Fi goes
    (folder / "IMG_0001.jpg").write_bytes((PHOTOS / "landscape_2.jpg").read_bytes())
    wait_for(lambda: len([s for s in proxy.seen if s.fault]) >= 3, timeout=60)  # it keeps trying
    network["down"] = False
    wait_for(lambda: [p.status for p in photo_rows(gallery.id)] == ["ready"], timeout=120)
    time.sleep(1)
    os.killpg(watcher.pid, signal.SIGINT)
    out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 130 and "retrying in" in " ".join(err.split())
    assert len(photo_rows(gallery.id)) == 1


def test_a_sleep_is_noticed_and_the_folder_looked_at_again(tmp_path, monkeypatch):
    from gallery_upload.watch import Watcher

    (tmp_path / "IMG_0001.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    said = []
    watcher = Watcher(tmp_path, settle=5.0, say=said.append)
    assert watcher.complete_files() == [] and len(watcher.seen) == 1
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)  # the wall clock ran on while suspended
    watcher.complete_files()
    assert any("woke up" in line for line in said)
