#!/usr/bin/env python3
"""Rendition pipeline vs vipsthumbnail on 24-megapixel camera JPEGs, one core, side by side.

Builds (and caches under bench/out/) the benchmark set with ../shared/bench/make_pro_photos.py,
pins itself and every child to one CPU, then alternates rounds of
- our pipeline (gallery.imaging.process_image, the default JPEG set: large 2048, preview
  1200, thumb 400, progressive q85) in a fresh Python process, timed around the calls only;
- vipsthumbnail, one call per size (--size 2048, 1200, 400, Q=85, metadata stripped),
  timed around the three calls, process start-up included (that is how it is used).
The best round of each counts (the machine is shared; the minimum is the least disturbed).
Wall time is the headline; CPU time (user + system, process start-up of vipsthumbnail
included, of the long-lived pipeline process not) is printed too: on a busy machine it is
the steadier of the two.
Peak RSS is the largest resident set of the pipeline process (which imports the `gallery`
package, Flask and SQLAlchemy included, as a worker does) / of any vipsthumbnail call.
One more pipeline run makes the production set (WebP beside preview and thumb), for information.

usage: .venv/bin/python bench/renditions.py [--count N] [--rounds R]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MAKE_PRO_PHOTOS = SHARED / "bench" / "make_pro_photos.py"
OUT = REPO / "bench" / "out" / "pro_photos"
SIZES = (2048, 1200, 400)


def build_photo_set(count: int) -> list[Path]:
    if not MAKE_PRO_PHOTOS.exists():
        sys.exit(f"FATAL: {MAKE_PRO_PHOTOS} not found (the shared directory sits beside the repository)")
    subprocess.run([sys.executable, str(MAKE_PRO_PHOTOS), str(OUT), str(count)], check=True,
                   stdout=subprocess.DEVNULL)
    photos = [OUT / f"pro_{i:03d}.jpg" for i in range(count)]
    for photo in photos:  # into the page cache, so that neither side pays the first read
        photo.read_bytes()
    return photos


def pin_to_one_core() -> int:
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})  # inherited by every child
    return core


def run_child(mode: str, photos: list[Path]) -> dict:
    """One measured round in a fresh process, so each side's peak RSS is its own."""
    done = subprocess.run([sys.executable, __file__, "--child", mode, *map(str, photos)],
                          check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_pipeline(photos: list[str], with_webp: bool = False) -> dict:
    sys.path.insert(0, str(REPO))
    from dataclasses import replace

    from gallery.imaging import DEFAULT_SPECS, process_image

    specs = DEFAULT_SPECS if with_webp else [replace(spec, formats=("jpeg",)) for spec in DEFAULT_SPECS]
    sizes = []
    start, cpu_start = time.perf_counter(), time.process_time()
    for photo in photos:
        result = process_image(photo, specs)
        sizes.append([(r.width, r.height) for r in result.renditions])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"wall": wall, "cpu": cpu, "rss_mb": rss_kib / 1024, "sizes": sizes[0]}


def child_vips(photos: list[str]) -> dict:
    vipsthumbnail = shutil.which("vipsthumbnail")
    if not vipsthumbnail:
        sys.exit("FATAL: vipsthumbnail not found (Debian package libvips-tools: make system-packages)")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        for photo in photos:
            for size in SIZES:
                subprocess.run([vipsthumbnail, photo, "--size", str(size),
                                "-o", f"{out}/%s_{size}.jpg[Q=85,strip]"], check=True)
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="photos in the set (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per side (default 3)")
    parser.add_argument("--child", choices=["pipeline", "pipeline-webp", "vips"], help=argparse.SUPPRESS)
    parser.add_argument("photos", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "vips":
            print(json.dumps(child_vips(args.photos)))
        else:
            print(json.dumps(child_pipeline(args.photos, with_webp=args.child == "pipeline-webp")))
        return

    photos = build_photo_set(args.count)
    core = pin_to_one_core()
    import PIL
    print(f"# {len(photos)} photos of 24 MP from {MAKE_PRO_PHOTOS.name}, pinned to CPU {core}, "
          f"{args.rounds} rounds, Pillow {PIL.__version__}")
    ours, vips = [], []
    for _ in range(args.rounds):
        ours.append(run_child("pipeline", photos))
        vips.append(run_child("vips", photos))
    count = len(photos)
    best_ours, best_vips = min(r["wall"] for r in ours) / count, min(r["wall"] for r in vips) / count
    cpu_ours, cpu_vips = min(r["cpu"] for r in ours) / count, min(r["cpu"] for r in vips) / count
    rss_ours, rss_vips = max(r["rss_mb"] for r in ours), max(r["rss_mb"] for r in vips)
    print(f"# renditions of the first photo: {ours[0]['sizes']}")
    print(f"BENCH renditions {best_ours:.3f} s/photo vs vipsthumbnail {best_vips:.3f} s/photo "
          f"ratio {best_ours / best_vips:.2f}")
    print(f"BENCH renditions_cpu {cpu_ours:.3f} s/photo vs vipsthumbnail {cpu_vips:.3f} s/photo "
          f"ratio {cpu_ours / cpu_vips:.2f}")
    webp = run_child("pipeline-webp", photos)  # the production set, for information: no reference
    print(f"BENCH renditions_with_webp {webp['wall'] / count:.3f} s/photo")
    print(f"BENCH renditions_peak_rss {rss_ours:.0f} MB vs vipsthumbnail {rss_vips:.0f} MB "
          f"ratio {rss_ours / rss_vips:.2f}")


if __name__ == "__main__":
    main()
