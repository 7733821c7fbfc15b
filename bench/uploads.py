#!/usr/bin/env python3
"""The photographer's uploader against curl, on 100 camera-size photos, on local storage and on the S3 test server.

Side by side in one run, against the real app under gunicorn (SQLite in a temp dir; jobs queued to Redis and
not run, so the figure is the upload path, not the rendition work):
- `gallery-upload FOLDER -j 4` as a photographer runs it (its own process): hash every file, ask the gallery
  what it has, plan, send, complete, order the photos in one call;
- curl, 4 at once (`xargs -P 4`), sending the same files: on local storage a form POST each to
  `/api/v1/galleries/{id}/photos` (the server hashes and stores them); on S3 the same protocol in shell
  (`sha256sum`, curl the plan, curl -T to the presigned URL, curl the completion): `curl_parallel`; and, for
  information, the raw transfer alone (plans made before the clock starts, completed after): `curl_put_only`.
Each repeat uses a fresh gallery and empties the storage afterwards. Throughput is MB (10^6 bytes) per second of
wall time; the best (min time) and the median over the repeats are printed, with the CPU model and load.

The photos: make_pro_photos.py builds 24-megapixel camera-like JPEGs (cached under bench/out/pro_photos);
the 100 are copies of the first --unique of them with a distinct trailer after the JPEG end marker (distinct
files and hashes, identical size and decode cost; building 100 distinct ones takes half an hour).

A second part (skip with --skip-pipeline) measures what the upload path and the rendition job add to the
image pipeline, one core (see pipeline_bench).

usage: .venv/bin/python bench/uploads.py [--count 100] [--unique 6] [--repeats 3] [--jobs 4] [--storage both|local|s3]
                                         [--skip-pipeline]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from lib.serve import VENV_BIN, Gunicorn, bench_line, free_port  # noqa: E402
from renditions import build_photo_set, pin_to_one_core  # noqa: E402

from bench.lib.report import Runs, load_footer, machine_header  # noqa: E402

OUT = REPO / "bench" / "out" / "upload_photos"
REDIS_URL = os.environ.get("GALLERY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")


def cpu_line() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"cpu: {model}, {os.cpu_count()} cores, load {' '.join(f'{v:.2f}' for v in os.getloadavg())}"


def upload_set(count: int, unique: int) -> list[Path]:
    """`count` camera-size JPEGs: the first `unique` from make_pro_photos.py, the rest copies with a trailer."""
    sources = build_photo_set(unique)
    OUT.mkdir(parents=True, exist_ok=True)
    photos = []
    for i in range(count):
        target = OUT / f"IMG_{i:04d}.jpg"
        source = sources[i % len(sources)]
        if not target.exists() or target.stat().st_size != source.stat().st_size + 16:
            target.write_bytes(source.read_bytes() + f"bench-copy-{i:05d}".encode())
        photos.append(target)
    for photo in photos:  # into the page cache: neither side pays the first read
        photo.read_bytes()
    return photos


class Platform:
    """A photographer, a token and fresh galleries on the app served by gunicorn."""

    def __init__(self, settings: dict):
        from gallery import create_app
        from gallery.accounts import services as accounts
        from gallery.extensions import db

        self.settings = settings
        self.app = create_app(settings)
        with self.app.app_context():
            db.create_all()
            photographer = accounts.create_photographer(email=f"bench{time.time_ns()}@example.com",
                                                        password="bench password 1", studio_name="Bench")
            _, self.token = accounts.issue_token(photographer, "bench")
            db.session.commit()

    def new_gallery(self, base: str) -> str:
        import httpx

        answer = httpx.post(f"{base}/api/v1/galleries", json={"title": "Bench"},
                            headers={"Authorization": f"Bearer {self.token}"})
        answer.raise_for_status()
        return answer.json()["id"]


def run_uploader(base: str, token: str, gallery_id: str, folder: Path, jobs: int) -> float:
    env = {**os.environ, "GALLERY_TOKEN": token, "GALLERY_UPLOAD_CACHE": "off"}  # hash every time, as a first run
    started = time.perf_counter()
    done = subprocess.run([str(VENV_BIN / "gallery-upload"), str(folder), "--gallery", gallery_id, "--url", base,
                           "-q", "-j", str(jobs)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or f"uploaded {len(list(folder.iterdir()))}," not in done.stdout:
        raise SystemExit(f"gallery-upload failed: {done.stdout}{done.stderr}")
    return elapsed


def xargs_curl(lines: list[str], command: str, jobs: int) -> float:
    """Run `command` (a shell snippet reading $1 and $2) for each line of two words, `jobs` at once."""
    started = time.perf_counter()
    done = subprocess.run(["xargs", "-P", str(jobs), "-L", "1", "sh", "-c", "set -e\n" + command, "curl"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"curl failed: {done.stderr[-2000:]}")
    return elapsed


def curl_form(base: str, token: str, gallery_id: str, photos: list[Path], jobs: int) -> float:
    url = f"{base}/api/v1/galleries/{gallery_id}/photos"
    return xargs_curl([f"{p} {url}" for p in photos],
                      f'curl -sS -f -o /dev/null -H "Authorization: Bearer {token}" -F "file=@$1;type=image/jpeg" "$2"',
                      jobs)


CURL_DIRECT = r"""
f="$1"; base="$2"; gallery="$3"; token="$4"
sha=$(sha256sum "$f" | cut -d' ' -f1); size=$(stat -c %s "$f")
plan=$(curl -sS -f -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d "{\"filename\":\"$(basename "$f")\",\"bytes\":$size,\"sha256\":\"$sha\",\"content_type\":\"image/jpeg\"}" \
  "$base/api/v1/galleries/$gallery/uploads")
url=$(printf '%s' "$plan" | sed -n 's/.*"url": *"\([^"]*\)".*/\1/p')
complete=$(printf '%s' "$plan" | sed -n 's/.*"complete_url": *"\([^"]*\)".*/\1/p')
curl -sS -f -o /dev/null -T "$f" -H "Content-Type: image/jpeg" "$url"
curl -sS -f -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d '{}' "$base$complete"
"""


def curl_direct(base: str, token: str, gallery_id: str, photos: list[Path], jobs: int) -> float:
    """The whole direct-upload protocol in shell, 4 files at once: sha256sum, plan, PUT to the bucket, complete."""
    return xargs_curl([f"{p} {base} {gallery_id} {token}" for p in photos], CURL_DIRECT, jobs)


def curl_put_only(base: str, token: str, gallery_id: str, photos: list[Path], jobs: int) -> float:
    """Only the transfer: plans made before the clock starts, uploads completed after it stops."""
    import hashlib

    import httpx

    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    plans = []
    for photo in photos:
        data = photo.read_bytes()
        answer = api.post(f"/api/v1/galleries/{gallery_id}/uploads", json={
            "filename": photo.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": "image/jpeg"}).json()
        assert answer["plan"]["strategy"] == "put", answer
        plans.append(answer["plan"])
    elapsed = xargs_curl([f"{p} {plan['url']}" for p, plan in zip(photos, plans)],
                         'curl -sS -f -o /dev/null -T "$1" -H "Content-Type: image/jpeg" "$2"', jobs)
    for plan in plans:
        api.post(plan["complete_url"], json={}).raise_for_status()
    api.close()
    return elapsed


def measure(label: str, base: str, platform: Platform, photos: list[Path], folder: Path, repeats: int, jobs: int,
            references: dict, cleanup) -> None:
    """Alternate the uploader and each reference (so all see the same machine); print best and median."""
    total = sum(p.stat().st_size for p in photos) / 1e6
    times: dict[str, list[float]] = {"uploader": [], **{name: [] for name in references}}
    for _ in range(repeats):
        times["uploader"].append(run_uploader(base, platform.token, platform.new_gallery(base), folder, jobs))
        cleanup()
        for name, reference in references.items():
            times[name].append(reference(base, platform.token, platform.new_gallery(base), photos, jobs))
            cleanup()
    for name in references:
        for pick_name, pick in (("best", min), ("median", statistics.median)):
            bench_line(f"uploader_{label}_{pick_name}", total / pick(times["uploader"]), "MB/s",
                       f"{name}_{label}_{pick_name}", total / pick(times[name]), "MB/s")
    print("  " + "; ".join(f"{name} {' '.join(f'{t:.2f}' for t in values)} s" for name, values in times.items()),
          flush=True)


def uploader_bench(args) -> None:
    from redis import Redis

    photos = upload_set(args.count, args.unique)
    total = sum(p.stat().st_size for p in photos)
    print(cpu_line())
    print(f"photos: {len(photos)} x {total / len(photos) / 1e6:.1f} MB (24 MP JPEG), {total / 1e6:.0f} MB in all; "
          f"{args.repeats} repeats, {args.jobs} at once", flush=True)
    redis = Redis.from_url(REDIS_URL)
    with tempfile.TemporaryDirectory(prefix="bench-uploader-") as tmp:
        tmp = Path(tmp)
        common = {"env": "testing", "redis_url": REDIS_URL, "secret_key": "bench-" * 8,
                  "storage_dir": str(tmp / "storage"), "mail_dir": str(tmp / "mail")}
        gunicorn_args = ["-k", "gthread", "--threads", "8", "--timeout", "300"]

        def empty_local():
            shutil.rmtree(tmp / "storage", ignore_errors=True)
            redis.flushdb()

        if args.storage in ("both", "local"):
            local = {**common, "database_url": f"sqlite:///{tmp}/local.db"}
            platform = Platform(local)
            with Gunicorn(local, workers=2, extra_args=gunicorn_args) as server:
                measure("local", server.base, platform, photos, OUT, args.repeats, args.jobs,
                        {"curl_parallel": curl_form}, empty_local)
        if args.storage in ("both", "s3"):
            s3_bench(args, photos, tmp, common, gunicorn_args, redis)
    redis.flushdb()


def s3_bench(args, photos, tmp: Path, common: dict, gunicorn_args: list[str], redis) -> None:
    port = free_port()
    moto = subprocess.Popen([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import boto3

        endpoint = f"http://127.0.0.1:{port}"
        _wait_for(endpoint)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                          aws_secret_access_key="bench")
        s3.create_bucket(Bucket="bench")

        def empty_bucket():
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="bench"):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    s3.delete_objects(Bucket="bench", Delete={"Objects": keys})
            redis.flushdb()

        remote = {**common, "database_url": f"sqlite:///{tmp}/s3.db", "storage_backend": "s3",
                  "s3_bucket": "bench", "s3_endpoint_url": endpoint, "s3_access_key_id": "bench",
                  "s3_secret_access_key": "bench"}
        platform = Platform(remote)
        with Gunicorn(remote, workers=2, extra_args=gunicorn_args) as server:
            measure("s3", server.base, platform, photos, OUT, args.repeats, args.jobs,
                    {"curl_parallel": curl_direct, "curl_put_only": curl_put_only}, empty_bucket)
    finally:
        moto.terminate()
        moto.wait(10)


def _wait_for(url: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer")
            time.sleep(0.2)


def pipeline_bench(count: int, rounds: int) -> None:
    """What the upload path and the rendition job add to the pipeline, on 24-megapixel JPEGs, one core:
    the pipeline alone (gallery.imaging.process_image) against ingest + the rendition job, inline, on
    local storage and SQLite in a temp dir. Best of the rounds per side."""
    import resource

    core = pin_to_one_core()
    machine_header("uploads", pinned_to_CPU=core)
    photos = build_photo_set(count)

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
            for _ in range(rounds):
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
    print(f"# photos: {len(photos)} x 24 MP, rounds: {rounds}, one core")
    whole.report("upload_and_job", "s/photo", alone, "pipeline_alone", digits=3)
    print(f"BENCH upload_and_job_peak_rss {peak_mb:.0f} MB")
    load_footer()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--unique", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--storage", choices=["both", "local", "s3"], default="both")
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--pipeline-count", type=int, default=3)
    parser.add_argument("--pipeline-rounds", type=int, default=3)
    args = parser.parse_args()
    uploader_bench(args)
    if not args.skip_pipeline:
        pipeline_bench(args.pipeline_count, args.pipeline_rounds)  # pins this process to one core: last


if __name__ == "__main__":
    main()
