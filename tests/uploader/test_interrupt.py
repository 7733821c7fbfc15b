"""Ctrl-C: the uploader stops at once (requests in flight cancelled), says what arrived and what did not,
exits 130; the next run sends only what had not arrived, inside multipart files too. Bytes are counted
by a proxy in front of the storage: what the app (local storage) or the S3 server answered 2xx to."""
import os
import signal
import time
from collections import Counter

import pytest

from tests.plugins.uploads import wait_for


def _uploads(proxy, s3: bool):
    """Bodies that arrived: (target, part) of each PUT answered 2xx (the uploader's, not the app's own)."""
    return [seen for seen in proxy.arrived("PUT")
            if (("X-Amz-Signature" in seen.query) if s3 else "/parts/" in seen.path)]


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_ctrl_c_then_resume_sends_no_arrived_byte_twice(storage, app, served, moto_server, make_proxy, s3_behind, small_parts,
                                                        make_photographer, make_gallery, export_folder,
                                                        start_uploader, photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = export_folder(big=2, small=4)  # 2 files of 4 parts (5 MiB), 4 camera photos
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    if storage == "s3":
        # The app's S3 client and the uploader's presigned PUTs reach the bucket through the counting proxy.
        proxy = make_proxy(moto_server, delay=0.02)
        s3_behind(proxy)
        url = served
    else:
        proxy = make_proxy(served, delay=0.02)  # a slow uplink: about 12 MB/s
        url = proxy.url
    first = start_uploader(url, api.token, gallery.id, folder, "--jobs", "2", "--order", "name")
    wait_for(lambda: len(_uploads(proxy, storage == "s3")) >= 3, timeout=120, interval=0.01)
    os.killpg(first.pid, signal.SIGINT)  # Ctrl-C in the photographer's terminal
    interrupted_at = time.monotonic()
    out, err = first.communicate(timeout=30)
    stopped_in = time.monotonic() - interrupted_at
    assert first.returncode == 130, err
    assert "interrupted" in out and "not arrived" in err and "run the same command again" in err
    assert stopped_in < 10, f"took {stopped_in:.1f} s to stop"  # at once: not after the files in flight
    before = _uploads(proxy, storage == "s3")
    complete = [p for p in photo_rows(gallery.id) if p.status in {"processing", "ready"}]
    assert len(complete) < len(sizes), "interrupted too late to test anything"

    proxy.delay = 0
    second = start_uploader(url, api.token, gallery.id, folder, "--jobs", "2", "--order", "name")
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "resumed:" in err  # some multipart file continued inside

    arrived = _uploads(proxy, storage == "s3")
    sent_twice = [target for target, n in Counter(s.target for s in arrived).items() if n > 1]
    assert sent_twice == [], f"sent again after they had arrived: {sent_twice}"
    resent = {s.target for s in arrived[len(before):]} & {s.target for s in before}
    assert not resent
    rows = photo_rows(gallery.id)
    assert sorted((p.original_filename, p.bytes, p.status) for p in rows) == sorted(
        (name, size, "ready") for name, size in sizes.items())
    # Every byte of every photo arrived exactly once (parts and single PUTs, both runs together).
    assert sum(s.body_bytes for s in arrived) == sum(sizes.values())
    # The gallery order is the file names' order.
    assert [p.original_filename for p in rows] == sorted(sizes)

