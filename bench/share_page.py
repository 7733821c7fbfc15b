"""Share-page benchmark: list a gallery of 3,000 and of 30,000 photos 100 photos a page, with signed rendition
URLs, through the real app under gunicorn on PostgreSQL, loaded with wrk.

For each gallery size, on one gunicorn server:
- app CPU per request: the gunicorn workers' CPU time (user + system, from /proc) over a wrk run, divided by the
  requests served, for the share pages and for `/healthz` (a bare request: routing, one `SELECT 1`, a small JSON
  answer) alternately in the same run; the ratio is the share page's cost in bare requests. The pages are asked
  by one identified visitor over and over, so after the first round they come from the response cache
  (gallery.sharing.page_cache); the uncached cost (the cache emptied before each request) and a revalidation
  (If-None-Match, answered 304) are measured in-process beside an in-process `/healthz`;
- requests/s and p50/p99 latency at full load (8 connections) and paced at 200 requests/s (20 connections);
- the SQL queries per request (first, middle and last page, and 10 vs 100 photos: the count must not change).
Every figure is repeated (ROUNDS) and reported as min and median. Uses its own database (`bench_share`).

usage: .venv/bin/python bench/share_page.py [--photos 3000,30000] [--rounds 3]
       (BENCH_SHARE_REDIS_URL=redis://127.0.0.1:6379/7: the response cache shared through Redis)
"""
from __future__ import annotations

import contextvars
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.report import Runs, load_footer, machine_header, process_cpu_seconds  # noqa: E402
from bench.lib.serve import Gunicorn, bench_line, published_gallery  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_share")
# With a Redis URL the workers share one response cache through it (else each keeps its own).
REDIS = os.environ.get("BENCH_SHARE_REDIS_URL", "")
PAGE = 100
ROUNDS = 3
SECRET = "bench-share-secret-key-0123456789-0123456789"
OUT = Path(__file__).resolve().parent / "out" / "share_page"


def settings() -> dict:
    return {"env": "testing", "database_url": POSTGRES, "secret_key": SECRET, "storage_dir": str(OUT / "storage"),
            "mail_dir": str(OUT / "mail"), "redis_url": REDIS, "public_base_url": "http://127.0.0.1"}


def setup(app, count: int) -> tuple[str, str]:
    """A published gallery of `count` ready photos with 5 renditions each; returns (share token, visitor token)."""
    from sqlalchemy import insert

    from gallery.core import clock
    from gallery.core.ids import new_id
    from gallery.extensions import db
    from gallery.sharing.access import issue_visitor_token
    from gallery.galleries.models import Photo, Rendition
    from gallery.sharing.models import Visitor

    _, gallery, link = published_gallery(f"Bench {count}")
    now = clock.now()
    photos, renditions = [], []
    for i in range(count):
        photo_id = new_id()
        photos.append({"id": photo_id, "gallery_id": gallery.id, "original_filename": f"DSC_{i:04d}.JPG",
                       "storage_key": f"originals/{gallery.id}/{photo_id}", "sha256": f"{i:064d}", "bytes": 24_000_000,
                       "width": 6000, "height": 4000, "status": "ready", "position": i, "placeholder_color": "#808080",
                       "hidden_from_guests": False, "created_at": now, "updated_at": now})
        for name, fmt, edge in (("thumb", "jpeg", 400), ("thumb", "webp", 400), ("preview", "jpeg", 1200),
                                ("preview", "webp", 1200), ("large", "jpeg", 2048)):
            renditions.append({"id": new_id(), "photo_id": photo_id, "name": name, "format": fmt,
                               "storage_key": f"renditions/{gallery.id}/{photo_id}/{name}.{fmt}", "width": edge,
                               "height": edge * 2 // 3, "bytes": edge * 100})
    for start in range(0, len(photos), 5000):
        db.session.execute(insert(Photo), photos[start:start + 5000])
    for start in range(0, len(renditions), 5000):
        db.session.execute(insert(Rendition), renditions[start:start + 5000])
    visitor = Visitor(gallery_id=gallery.id, share_link_id=link.id, email="client@example.com", verified_at=now)
    db.session.add(visitor)
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    return link.token, issue_visitor_token(link, visitor)


def page_paths(app, token: str, visitor_token: str) -> list[str]:
    http = app.test_client()
    paths, cursor = [], None
    while True:
        path = f"/api/v1/share/{token}/photos?limit={PAGE}" + (f"&cursor={cursor}" if cursor else "")
        paths.append(path)
        cursor = http.get(path, headers={"Authorization": f"Bearer {visitor_token}"}).json["next_cursor"]
        if not cursor:
            return paths


def queries_per_request(app, paths: list[str], visitor_token: str) -> dict[str, int]:
    from sqlalchemy import event

    from gallery.extensions import db

    counted = []
    http = app.test_client()

    def count(*_args):
        counted.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    result = {}
    try:
        for label, path in (("first page", paths[0]), ("middle page", paths[len(paths) // 2]),
                            ("last page", paths[-1]), ("10 photos", paths[0].replace(f"limit={PAGE}", "limit=10"))):
            counted.clear()
            if app.extensions.get("response_cache") is not None:  # count what building the page asks
                app.extensions["response_cache"].clear()
            # A fresh context per request, as in production (no identity map shared between requests).
            response = contextvars.Context().run(http.get, path, headers={"Authorization": f"Bearer {visitor_token}"})
            assert response.status_code == 200, response.get_data(as_text=True)
            result[label] = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result


def in_process_cpu_ms(app, paths: list[str], headers: dict, *, empty_cache: bool = False) -> float:
    """CPU time of this process per request (in-process: no HTTP server, no client)."""
    import time

    http = app.test_client()
    cache = app.extensions.get("response_cache")
    started = time.process_time()
    for path in paths * 2:
        if empty_cache and cache is not None:
            cache.clear()
        response = contextvars.Context().run(http.get, path, headers=headers)
        assert response.status_code in (200, 304), response.status_code
    return (time.process_time() - started) / (2 * len(paths)) * 1000


def etags(app, paths: list[str], headers: dict) -> dict[str, str]:
    http = app.test_client()
    return {path: contextvars.Context().run(http.get, path, headers=headers).headers.get("ETag", "")
            for path in paths}


def workers_cpu_seconds(server) -> float:
    """User + system CPU seconds of every gunicorn worker so far."""
    return sum(process_cpu_seconds(pid) for pid in server.worker_pids())


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Authorization"] = "Bearer %s"})
end
%s
"""


PACED_RATE = 200  # requests/s in all, from wrk's 2 threads
# Each wrk thread (its own Lua state) hands out send slots `interval` ms apart to whichever of its
# connections is free: an open-loop rate (LuaJIT's FFI reads the monotonic clock), not a fixed pause.
PACED = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local now_spec = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_spec)
  return tonumber(now_spec.tv_sec) * 1000 + tonumber(now_spec.tv_nsec) / 1e6
end
local interval = %f
local slot = 0
delay = function()
  local now = now_ms()
  slot = math.max(slot + interval, now)
  return math.floor(slot - now)
end
"""


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base: str, script: Path, connections: int, seconds: int) -> dict:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                            check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)\.?0*%\s+(\S+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} failed responses:\n{output}")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "p50": to_ms(latency["50"]), "p99": to_ms(latency["99"])}


def cpu_per_request(server, script: Path, seconds: int = 5) -> tuple[float, float]:
    """(milliseconds of worker CPU per request, requests/s) while wrk drives `script` at full load."""
    before = workers_cpu_seconds(server)
    result = run_wrk(server.base, script, 4, seconds)
    return (workers_cpu_seconds(server) - before) / result["requests"] * 1000, result["rps"]


def measure(count: int, rounds: int) -> None:
    from gallery import create_app

    app = create_app(settings())
    with app.app_context():
        token, visitor_token = setup(app, count)
        headers = {"Authorization": f"Bearer {visitor_token}"}
        paths = page_paths(app, token, visitor_token)
        queries = queries_per_request(app, paths, visitor_token)
        cold, warm, revalidated, bare = Runs(), Runs(), Runs(), Runs()
        tags = etags(app, paths, headers)
        for _ in range(rounds):
            cold.add(in_process_cpu_ms(app, paths, headers, empty_cache=True))
            warm.add(in_process_cpu_ms(app, paths, headers))
            revalidated.add(sum(in_process_cpu_ms(app, [p], {**headers, "If-None-Match": tags[p]}) for p in paths)
                            / len(paths))
            bare.add(in_process_cpu_ms(app, ["/healthz"] * 10, {}))
    label = f"{count // 1000}k"
    print(f"# {count} photos, {len(paths)} pages of {PAGE}; SQL queries per request: {queries}", flush=True)
    if len(set(queries.values())) != 1:
        print("# WARNING: the number of queries depends on the page")
    bench_line(f"share_page_{label}_sql_queries_per_request", max(queries.values()), "queries")
    cold.report(f"share_page_{label}_in_process_cpu_uncached", "ms", bare, "healthz_in_process")
    warm.report(f"share_page_{label}_in_process_cpu_cached", "ms", bare, "healthz_in_process")
    revalidated.report(f"share_page_{label}_in_process_cpu_304", "ms", bare, "healthz_in_process")

    # 3 sync workers on 2 cores: each request also waits on PostgreSQL, so a third keeps the CPUs busy
    # (2 leaves the 99th percentile above 50 ms at 200 req/s here, 4 adds switching); BENCH_WORKERS to compare.
    workers = int(os.environ.get("BENCH_WORKERS", 3))
    share_cpu, bare_cpu, bare_rps = Runs(), Runs(), Runs()
    rps, p50, p99, paced_rps, paced_p50, paced_p99 = Runs(), Runs(), Runs(), Runs(), Runs(), Runs()
    with Gunicorn(settings(), workers=workers) as server, tempfile.TemporaryDirectory() as tmp:
        quoted = ", ".join(f'"{p}"' for p in paths)
        full = Path(tmp) / "full.lua"
        full.write_text(LUA % (quoted, visitor_token, ""))
        health = Path(tmp) / "health.lua"
        health.write_text(LUA % ('"/healthz"', visitor_token, ""))
        # Paced: a constant 200 requests/s over 20 connections, whatever the latency.
        paced = Path(tmp) / "paced.lua"
        paced.write_text(LUA % (quoted, visitor_token, PACED % (1000 * 2 / PACED_RATE)))
        run_wrk(server.base, full, 4, 3)  # warm-up: every worker has its statements built and pages cached
        run_wrk(server.base, health, 4, 1)
        for _ in range(rounds):
            share_cpu.add(cpu_per_request(server, full)[0])
            cpu, health_rps = cpu_per_request(server, health)
            bare_cpu.add(cpu)
            bare_rps.add(health_rps)
            loaded = run_wrk(server.base, full, 8, 10)
            rps.add(loaded["rps"]), p50.add(loaded["p50"]), p99.add(loaded["p99"])
            steady = run_wrk(server.base, paced, 20, 10)
            paced_rps.add(steady["rps"]), paced_p50.add(steady["p50"]), paced_p99.add(steady["p99"])
    print(f"# gunicorn {workers} sync workers, PostgreSQL; wrk 2 threads, 4 connections for CPU per request, "
          f"8 at full load, 20 paced at {PACED_RATE} req/s; {rounds} rounds, load average {os.getloadavg()[0]:.1f}",
          flush=True)
    share_cpu.report(f"share_page_{label}_app_cpu_per_request", "ms", bare_cpu, "healthz_same_server")
    rps.report(f"share_page_{label}_full_load_rps", "req/s", bare_rps, "healthz_same_server_4_connections")
    p50.report(f"share_page_{label}_full_load_p50", "ms")
    p99.report(f"share_page_{label}_full_load_p99", "ms")
    paced_rps.report(f"share_page_{label}_paced_rps", "req/s")
    paced_p50.report(f"share_page_{label}_paced_p50", "ms")
    paced_p99.report(f"share_page_{label}_paced_p99", "ms", Runs([50.0]), "target")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", default="3000,30000", help="gallery sizes, comma-separated (default 3000,30000)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: make system-packages (Debian package wrk)")
    import gallery  # noqa: F401  (first: tests/ holds a `packaging` test package that would shadow PyPI's)

    sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import ensure_postgres_database

    machine_header("share_page")
    ensure_postgres_database(POSTGRES)
    OUT.mkdir(parents=True, exist_ok=True)
    for count in (int(value) for value in args.photos.split(",")):
        measure(count, args.rounds)
    load_footer()


if __name__ == "__main__":
    main()
