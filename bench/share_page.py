"""Share-page benchmark: list a 3,000-photo gallery 100 photos a page, with signed rendition URLs,
through the real app under gunicorn on PostgreSQL, loaded with wrk.

Reports p50/p99 latency and requests/s at full load and paced near 200 requests/s, and the SQL
queries per request (counted with a SQLAlchemy event hook, for the first, a middle and the last
page and for 10 vs 100 photos: the count must not change). Uses its own database (`bench_share`).
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

from bench.lib.serve import Gunicorn, bench_line, published_gallery  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_share")
PHOTOS = 3000
PAGE = 100
SECRET = "bench-share-secret-key-0123456789-0123456789"
OUT = Path(__file__).resolve().parent / "out" / "share_page"


def settings() -> dict:
    return {"env": "testing", "database_url": POSTGRES, "secret_key": SECRET, "storage_dir": str(OUT / "storage"),
            "mail_dir": str(OUT / "mail"), "redis_url": "", "public_base_url": "http://127.0.0.1"}


def setup(app) -> tuple[str, str]:
    """A published gallery of 3,000 ready photos with 5 renditions each; returns (share token, visitor token)."""
    from sqlalchemy import insert

    from gallery.core import clock
    from gallery.core.ids import new_id
    from gallery.extensions import db
    from gallery.sharing.access import issue_visitor_token
    from gallery.galleries.models import Photo, Rendition
    from gallery.sharing.models import Visitor

    _, gallery, link = published_gallery("Bench 3000")
    now = clock.now()
    photos, renditions = [], []
    for i in range(PHOTOS):
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
    db.session.execute(insert(Photo), photos)
    db.session.execute(insert(Rendition), renditions)
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
            # A fresh context per request, as in production (no identity map shared between requests).
            response = contextvars.Context().run(http.get, path, headers={"Authorization": f"Bearer {visitor_token}"})
            assert response.status_code == 200, response.get_data(as_text=True)
            result[label] = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result


def app_cpu_ms(app, paths: list[str], visitor_token: str) -> float:
    """CPU time of this process per page request (in-process, so it ignores other load on the machine)."""
    import time

    http = app.test_client()
    headers = {"Authorization": f"Bearer {visitor_token}"}
    started = time.process_time()
    for path in paths * 2:
        contextvars.Context().run(http.get, path, headers=headers)
    return (time.process_time() - started) / (2 * len(paths)) * 1000


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
            "p50": to_ms(latency["50"]), "p99": to_ms(latency["99"])}


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: make system-packages (Debian package wrk)")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import ensure_postgres_database

    from gallery import create_app

    ensure_postgres_database(POSTGRES)
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_app(settings())
    with app.app_context():
        token, visitor_token = setup(app)
        paths = page_paths(app, token, visitor_token)
        queries = queries_per_request(app, paths, visitor_token)
        cpu = app_cpu_ms(app, paths, visitor_token)
    print(f"# {PHOTOS} photos, {len(paths)} pages of {PAGE}; SQL queries per request: {queries}")
    if len(set(queries.values())) != 1:
        print("# WARNING: the number of queries depends on the page")
    bench_line("share_page_sql_queries_per_request", max(queries.values()), "queries")
    bench_line("share_page_app_cpu_per_request", cpu, "ms")
    print(f"# load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    # 3 sync workers on 2 cores: each request also waits on PostgreSQL, so a third keeps the CPUs busy
    # (2 leaves the 99th percentile above 50 ms at 200 req/s here, 4 adds switching); BENCH_WORKERS to compare.
    workers = int(os.environ.get("BENCH_WORKERS", 3))
    with Gunicorn(settings(), workers=workers) as server, tempfile.TemporaryDirectory() as tmp:
        quoted = ", ".join(f'"{p}"' for p in paths)
        full = Path(tmp) / "full.lua"
        full.write_text(LUA % (quoted, visitor_token, ""))
        # Paced: a constant 200 requests/s over 20 connections, whatever the latency.
        paced = Path(tmp) / "paced.lua"
        paced.write_text(LUA % (quoted, visitor_token, PACED % (1000 * 2 / PACED_RATE)))
        run_wrk(server.base, full, 4, 3)  # warm-up
        loaded = run_wrk(server.base, full, 8, 15)
        steady = run_wrk(server.base, paced, 20, 15)
    print(f"# gunicorn {workers} sync workers, PostgreSQL; wrk 2 threads, 8 connections at full load, "
          f"20 connections paced at {PACED_RATE} req/s")
    bench_line("share_page_full_load_rps", loaded["rps"], "req/s")
    bench_line("share_page_full_load_p50", loaded["p50"], "ms")
    bench_line("share_page_full_load_p99", loaded["p99"], "ms")
    bench_line("share_page_paced_rps", steady["rps"], "req/s")
    bench_line("share_page_paced_p50", steady["p50"], "ms")
    bench_line("share_page_paced_p99", steady["p99"], "ms", "target", 50.0, "ms")


if __name__ == "__main__":
    main()
