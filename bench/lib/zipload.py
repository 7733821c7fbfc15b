"""Zip downloads under load: time to the first byte of a 2 GB zip (local storage and S3), and the share
page's latency while ten zips stream, for the worker classes the shipped gunicorn configuration offers.
Run by bench/zip.py after its throughput figures."""
from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from bench.lib.serve import Gunicorn, bench_line

ZIPS_IN_FLIGHT = int(os.environ.get("BENCH_ZIPS_IN_FLIGHT", 10))
PHONE_RATE = os.environ.get("BENCH_ZIP_RATE", "4M")  # each zip client's bandwidth (curl --limit-rate)
PACE = float(os.environ.get("BENCH_SHARE_RATE", 20))  # share page requests per second while measuring
SECONDS = float(os.environ.get("BENCH_SHARE_SECONDS", 15))


def ttfb(url: str) -> float:
    """Seconds from sending the request to the first byte of the body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
    response = connection.getresponse()
    assert response.status == 200, response.status
    response.read(1)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def crc_table(paths: list[Path], cache: Path) -> dict[str, int]:
    """CRC-32 of each file (cached beside the files: computing 2 GB of them is not what is measured)."""
    import json

    known = json.loads(cache.read_text()) if cache.exists() else {}
    for path in paths:
        key = f"{path.name}:{path.stat().st_size}:{int(path.stat().st_mtime)}"
        if key not in known:
            value = 0
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    value = zlib.crc32(block, value)
            known[key] = value
    cache.write_text(json.dumps(known))
    return {path.name: known[f"{path.name}:{path.stat().st_size}:{int(path.stat().st_mtime)}"] for path in paths}


def set_crcs(settings: dict, crcs: dict[str, int] | None) -> None:
    """Record (or, with None, forget) the CRC-32 of every bench photo, as an upload (or an old row) would have."""
    from sqlalchemy import update

    from gallery import create_app
    from gallery.extensions import db
    from gallery.galleries.models import Photo

    app = create_app(settings)
    with app.app_context():
        if crcs is None:
            db.session.execute(update(Photo).values(crc32=None))
        else:
            for photo in db.session.scalars(db.select(Photo)):
                photo.crc32 = crcs[photo.storage_key.rsplit("/", 1)[1]]
        db.session.commit()
        db.engine.dispose()


def paced_latencies(url: str, rate: float, seconds: float) -> list[float]:
    """Requests at a fixed rate (open loop: a slow answer does not delay the next request); their latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")

    def one():
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            connection.close()
            ok = response.status == 200
        except OSError:
            ok = False
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed if ok else 60.0)

    threads = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=one, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(70)
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else values[0]


class ZipsInFlight:
    """N curl clients downloading the zip at a phone's pace, for the duration of the with-block."""

    def __init__(self, url: str, count: int = ZIPS_IN_FLIGHT, rate: str = PHONE_RATE):
        self.processes = [subprocess.Popen(["curl", "-sS", "-o", "/dev/null", "--limit-rate", rate, url])
                          for _ in range(count)]

    def __enter__(self):
        time.sleep(2)  # every download under way
        return self

    def __exit__(self, *exc):
        alive = sum(1 for process in self.processes if process.poll() is None)
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(10)
        self.alive = alive


def share_page_under_zips(label: str, settings: dict, web_settings: dict, workers: int, page_url_path: str,
                          zip_url_path: str, zip_pool: int = 0) -> None:
    """The share page's p50/p99 alone and with ten zips streaming, under one worker configuration; with
    `zip_pool`, the zips go to a second gunicorn of that many processes (what nginx's zip location can do)."""
    args = ["-c", "python:gallery.gunicorn_conf", "--timeout", "600"]
    with Gunicorn({**settings, **web_settings}, workers=workers, extra_args=args) as server:
        zip_server = Gunicorn({**settings, **web_settings}, workers=zip_pool, extra_args=args) if zip_pool else server
        try:
            page = server.base + page_url_path
            paced_latencies(page, PACE, 2)  # warm up every worker
            alone = paced_latencies(page, PACE, SECONDS)
            with ZipsInFlight(zip_server.base + zip_url_path) as zips:
                loaded = paced_latencies(page, PACE, SECONDS)
        finally:
            if zip_server is not server:
                zip_server.stop()
    print(f"# {label}: {len(alone)} and {len(loaded)} share page requests at {PACE:g}/s; "
          f"{zips.alive} of {ZIPS_IN_FLIGHT} zips still streaming at the end (each at {PHONE_RATE}B/s)")
    bench_line(f"share_page_p99_ten_zips_{label}", p99(loaded) * 1000, "ms", f"share_page_p99_alone_{label}",
               p99(alone) * 1000, "ms")
    bench_line(f"share_page_p50_ten_zips_{label}", statistics.median(loaded) * 1000, "ms",
               f"share_page_p50_alone_{label}", statistics.median(alone) * 1000, "ms")
    bench_line(f"share_page_max_ten_zips_{label}", max(loaded) * 1000, "ms", f"share_page_max_alone_{label}",
               max(alone) * 1000, "ms")


class MotoServer:
    """moto's S3 server in its own process (the bench's own threads do not share its GIL)."""

    def __init__(self):
        import shutil
        import sys

        from bench.lib.serve import free_port

        self.port = free_port()
        binary = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
        self.process = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).request("GET", "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("moto_server did not start") from None
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def run(settings: dict, paths: list[Path], token: str, out: Path) -> None:
    import boto3

    total_mib = sum(p.stat().st_size for p in paths) / (1024 * 1024)
    zip_path = f"/api/v1/share/{token}/download.zip?size=original"
    page_path = f"/api/v1/share/{token}/photos?limit=100"
    crcs = crc_table(paths, out / "crc32.json")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(out / "metrics")
    (out / "metrics").mkdir(exist_ok=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    print(f"# {cpu}, {os.cpu_count()} cores, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    web = {"web_worker_class": "gthread", "web_threads": 8}
    print(f"# time to the first byte of the {total_mib:.0f} MiB zip: CRC-32 recorded at upload (now) vs "
          "computed inside the first zip request (before)")
    with Gunicorn({**settings, **web}, workers=1, extra_args=["-c", "python:gallery.gunicorn_conf"]) as server:
        set_crcs(settings, None)
        local_before = ttfb(server.base + zip_path)  # computes and stores every CRC, then starts
        set_crcs(settings, crcs)
        local_after = min(ttfb(server.base + zip_path) for _ in range(5))
    bench_line("zip_ttfb_local", local_after * 1000, "ms", "zip_ttfb_local_crc_in_request", local_before * 1000, "ms")

    moto = MotoServer()
    try:
        s3 = boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1", aws_access_key_id="bench",
                          aws_secret_access_key="bench")
        s3.create_bucket(Bucket="bench-zip")
        for path in paths:
            s3.upload_file(str(path), "bench-zip", f"bench-originals/{path.name}")
        s3_settings = {**settings, "storage_backend": "s3", "s3_bucket": "bench-zip", "s3_endpoint_url": moto.url,
                       "s3_access_key_id": "bench", "s3_secret_access_key": "bench"}
        with Gunicorn({**s3_settings, **web}, workers=1,
                      extra_args=["-c", "python:gallery.gunicorn_conf", "--timeout", "600"]) as server:
            set_crcs(settings, None)
            s3_before = ttfb(server.base + zip_path)
            set_crcs(settings, crcs)
            s3_after = min(ttfb(server.base + zip_path) for _ in range(5))
        bench_line("zip_ttfb_s3", s3_after * 1000, "ms", "zip_ttfb_s3_crc_in_request", s3_before * 1000, "ms")

        print(f"# the share page's photo list while {ZIPS_IN_FLIGHT} zips stream from S3, 3 worker processes: "
              "gthread (shipped: 8 threads each) vs sync (one request per process) vs gthread with the zips "
              "sent to a second pool of 2 processes (nginx's zip location pointed at it)")
        share_page_under_zips("gthread", s3_settings, {"web_worker_class": "gthread", "web_threads": 8}, 3,
                              page_path, zip_path)
        share_page_under_zips("sync", s3_settings, {"web_worker_class": "sync"}, 3, page_path, zip_path)
        share_page_under_zips("gthread_zip_pool", s3_settings, {"web_worker_class": "gthread", "web_threads": 8}, 3,
                              page_path, zip_path, zip_pool=2)
    finally:
        moto.stop()
