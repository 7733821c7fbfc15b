"""A bad network between the laptop and the platform: connections dropped (before the body, and after
the server answered), 503 and 429 with Retry-After. The upload still completes, every photo once."""
import os

import pytest


def _flaky(every: int = 4):
    """Every `every`-th request misbehaves, in turn: dropped early, 503, 429, dropped after the upstream answered."""
    kinds = ["drop-early", "503", "429", "drop-answer", "drop"]

    def fault(index, seen):
        if index % every == every - 1:
            return kinds[(index // every) % len(kinds)]
        return None

    return fault


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_upload_completes_through_a_flaky_proxy(storage, app, served, moto_server, make_proxy, s3_behind, small_parts,
                                                make_photographer, make_gallery, export_folder, start_uploader,
                                                photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = export_folder(big=1, small=8, pad=11 * 1024 * 1024)
    (folder / "Ceremony").mkdir()  # a set created through the flaky network too (a lost answer must not make two)
    for name in sorted(os.listdir(folder))[-3:]:
        if name.endswith(".jpg"):
            os.rename(folder / name, folder / "Ceremony" / name)
    sizes = {p.name: p.stat().st_size for p in folder.rglob("*.jpg")}
    front = make_proxy(served, fault=_flaky(), retry_after=1)
    if storage == "s3":
        # The uploader's presigned PUTs fail too; the app's own calls to the bucket do not.
        bucket = make_proxy(moto_server, fault=lambda i, seen: _flaky(3)(i, seen)
                            if "X-Amz-Signature" in seen.query else None)
        s3_behind(bucket)
    process = start_uploader(front.url, api.token, gallery.id, folder, "--jobs", "3", "--order", "name",
                             "--sets-from-folders")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    faults = [s.fault for s in front.seen if s.fault]
    if storage == "s3":
        faults += [s.fault for s in bucket.seen if s.fault]
    assert {"drop-early", "503", "429", "drop-answer"} <= set(faults)
    assert "retrying in" in " ".join(err.split())
    rows = photo_rows(gallery.id)
    assert sorted((p.original_filename, p.bytes, p.status) for p in rows) == sorted(
        (name, size, "ready") for name, size in sizes.items())
    assert [s["name"] for s in api.get(f"/api/v1/galleries/{gallery.id}").json["sets"]] == ["Ceremony"]
    assert sum(1 for p in rows if p.set_id) == 3


def test_a_refusal_is_not_retried(app, served, make_proxy, make_photographer, make_gallery, export_folder,
                                  start_uploader):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    front = make_proxy(served)
    process = start_uploader(front.url, "not-a-token", gallery.id, export_folder(small=1))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "401" in err
    assert len([s for s in front.seen if s.path.startswith("/api/v1/galleries")]) == 1  # asked once
