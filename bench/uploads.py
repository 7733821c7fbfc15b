#!/usr/bin/env python3
"""What the upload path and the rendition job add to the pipeline, on 24-megapixel JPEGs, one core.

For each photo of the benchmark set (built by ../shared/bench/make_pro_photos.py, shared with
bench/renditions.py), side by side in one process:
- the pipeline alone: gallery.imaging.process_image on the file (the default set, WebP included);
- the whole path a photo takes: ingest (hash while spooling, sniff, store the original, commit the
  row) and the rendition job (download the original to a temp file verifying its sha256, the same
  pipeline, store every rendition, upsert the rows), inline, on local storage and SQLite in a temp dir.
Min and median of the rounds per side (seconds per photo), the ratio of the medians, and the peak RSS.

usage: .venv/bin/python bench/uploads.py [--count N] [--rounds R]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from renditions import build_photo_set, pin_to_one_core  # noqa: E402

from bench.lib.report import Runs, load_footer, machine_header  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    core = pin_to_one_core()
    machine_header("uploads", pinned_to_CPU=core)
    photos = build_photo_set(args.count)

    from gallery import create_app
    from gallery.accounts import services as accounts
    from gallery.extensions import db
    from gallery.galleries import services as galleries
    from gallery.galleries import uploads
    from gallery.imaging import process_image

    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        app = create_app({"env": "testing", "database_url": f"sqlite:///{tmp}/bench.db", "redis_url": None,
                          "storage_dir": f"{tmp}/storage", "secret_key": "bench-" * 8})
        with app.app_context():
            db.create_all()
            photographer = accounts.create_photographer(email="bench@example.com", password="bench-password-1",
                                                        studio_name="Bench")
            db.session.commit()
            alone, whole = Runs(), Runs()
            for _ in range(args.rounds):
                gallery = galleries.create_gallery(photographer.id, {"title": "Bench"})
                db.session.commit()
                started = time.perf_counter()
                for photo in photos:
                    process_image(photo)
                alone.add((time.perf_counter() - started) / len(photos))
                started = time.perf_counter()
                for photo in photos:
                    result = uploads.ingest_file(photographer.id, gallery.id, photo)
                    assert result.photo.status == "ready", result.photo.failure_reason
                whole.add((time.perf_counter() - started) / len(photos))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# photos: {len(photos)} x 24 MP, rounds: {args.rounds}, one core")
    whole.report("upload_and_job", "s/photo", alone, "pipeline_alone", digits=3)
    print(f"BENCH upload_and_job_peak_rss {peak_mb:.0f} MB")
    load_footer()

if __name__ == "__main__":
    main()
