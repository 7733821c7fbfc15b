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
SECONDS = float(os.environ.get("BENCH_SHARE_SECONDS", 10))
ROUNDS = int(os.environ.get("BENCH_SHARE_ROUNDS", 3))  # alone / with zips, alternating in the same servers
# moto stands in for S3, which costs the web host no CPU at all; on a two-core machine its Python server would
# take the processor from the share page, so it runs at the lowest priority (S3's cost is not the app's).
MOTO_NICE = 19


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
    """N curl clients downloading the zip at a phone's pace (at nice 19), for the duration of the with-block."""

    def __init__(self, url: str, count: int = ZIPS_IN_FLIGHT, rate: str = PHONE_RATE):
        # The phones are not on the server: their curl runs at the lowest priority, as moto does for S3.
        self.processes = [subprocess.Popen(["nice", "-n", str(MOTO_NICE), "curl", "-sS", "-o", "/dev/null",
                                            "--limit-rate", rate, url])
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
                          zip_url_path: str, zip_pool: int = 0, zip_nice: int = 0, rounds: int = ROUNDS) -> None:
    """The share page's p50/p99 alone and with ten zips streaming, under one worker configuration; with
    `zip_pool`, the zips go to a second gunicorn of that many processes (what nginx's zip location can do), at
    CPU priority `zip_nice` (GALLERY_WEB_NICE). Alone and loaded alternate, `rounds` times, in the same servers."""
    args = ["-c", "python:gallery.gunicorn_conf", "--timeout", "600"]
    alone_p99, loaded_p99, alone_p50, loaded_p50, streaming = [], [], [], [], []
    with Gunicorn({**settings, **web_settings}, workers=workers, extra_args=args) as server:
        zip_server = (Gunicorn({**settings, **web_settings, "web_nice": zip_nice}, workers=zip_pool, extra_args=args)
                      if zip_pool else server)
        try:
            page = server.base + page_url_path
            paced_latencies(page, PACE, 2)  # warm up every worker
            for _ in range(rounds):
                alone = paced_latencies(page, PACE, SECONDS)
                with ZipsInFlight(zip_server.base + zip_url_path) as zips:
                    loaded = paced_latencies(page, PACE, SECONDS)
                alone_p99.append(p99(alone) * 1000)
                loaded_p99.append(p99(loaded) * 1000)
                alone_p50.append(statistics.median(alone) * 1000)
                loaded_p50.append(statistics.median(loaded) * 1000)
                streaming.append(zips.alive)
        finally:
            if zip_server is not server:
                zip_server.stop()
    print(f"# {label}: {rounds} rounds of {SECONDS:g} s alone then {SECONDS:g} s with {ZIPS_IN_FLIGHT} zips, share page "
          f"at {PACE:g} req/s; zips still streaming at each round's end: {streaming} (each at {PHONE_RATE}B/s); "
          f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"#   p99 alone {_spread(alone_p99)}; with zips {_spread(loaded_p99)}")
    bench_line(f"share_page_p99_ten_zips_{label}", statistics.median(loaded_p99), "ms",
               f"share_page_p99_alone_{label}", statistics.median(alone_p99), "ms")
    bench_line(f"share_page_p50_ten_zips_{label}", statistics.median(loaded_p50), "ms",
               f"share_page_p50_alone_{label}", statistics.median(alone_p50), "ms")


def _spread(values: list[float]) -> str:
    return f"min {min(values):.0f} median {statistics.median(values):.0f} max {max(values):.0f} ms"


class MotoServer:
    """moto's S3 server in its own process (the bench's own threads do not share its GIL)."""

    def __init__(self):
        import shutil
        import sys

        from bench.lib.serve import free_port

        self.port = free_port()
        binary = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
        self.process = subprocess.Popen(["nice", "-n", str(MOTO_NICE), binary, "-H", "127.0.0.1", "-p", str(self.port)],
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
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:  # at nice 19 on a busy machine it may not get the CPU to exit
            self.process.kill()
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

        print(f"# the share page's photo list while {ZIPS_IN_FLIGHT} zips stream from S3 (moto and the zip clients at nice "
              f"{MOTO_NICE}), "
              "3 gthread worker processes (8 threads each): zips on the same pool, vs zips sent to a second pool of "
              "2 processes (nginx's zip location pointed at it), vs that pool at GALLERY_WEB_NICE=10 (as compose runs it)")
        web = {"web_worker_class": "gthread", "web_threads": 8}
        share_page_under_zips("one_pool", s3_settings, web, 3, page_path, zip_path)
        share_page_under_zips("zip_pool", s3_settings, web, 3, page_path, zip_path, zip_pool=2)
        share_page_under_zips("zip_pool_nice10", s3_settings, web, 3, page_path, zip_path, zip_pool=2, zip_nice=10)
    finally:
        moto.stop()
