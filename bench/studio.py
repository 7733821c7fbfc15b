"""The photographer's studio in headless Chromium: first load, a 3,000-photo gallery, and browser uploads.

Served for real by the app (werkzeug, threaded) on SQLite and local storage in a temp dir.

1. First load, logged in, cold cache, over Lighthouse's "Slow 4G" (150 ms RTT, 1.6384 Mbit/s down): bytes
   transferred (Resource Timing transfer sizes, document included) and time to interactive, taken as the
   moment the gallery list is on screen with every cover loaded (the app has fetched its modules, its
   catalog, the account and the list). Laptop viewport 1280x800. Median of RUNS after a warm-up.
2. A 3,000-photo gallery (real renditions, the corpus over and over): time from opening the gallery to the
   grid's first screen with its thumbnails loaded, and the page's DOM node count, against the same for a
   30-photo gallery measured in the same run (the virtualised grid should make them close).
3. Upload throughput of 100 camera-size photos (the six 24 MP JPEGs of ../shared/bench/make_pro_photos.py,
   cached under bench/out/pro_photos, made into 100 distinct files under bench/out/studio_uploads): the studio in the browser (hash with Web Crypto, check, send 4 at a time
   through the app) against the CLI uploader (`gallery-upload`, 4 jobs) on the same files, each into a fresh
   gallery of the same server. Jobs go to Redis (db GALLERY_BENCH_REDIS_URL, default 4) with no worker, so
   both sides measure the upload itself, not the rendition work. Target ratio (browser / CLI MB/s) >= 0.8.

Run alone: .venv/bin/python bench/studio.py   (BENCH_UPLOADS=N for fewer photos)
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from gallery import create_app  # noqa: E402
from gallery.extensions import db  # noqa: E402

RUNS = 3
UPLOADS = int(os.environ.get("BENCH_UPLOADS", "100"))
REDIS_URL = os.environ.get("GALLERY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6384e6 / 8, "uploadThroughput": 675e3 / 8}
TARGET_BYTES = 300 * 1024
TARGET_TTI_MS = 3000
EMAIL, PASSWORD = "bench@example.com", "bench-password-123"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

READY_PROBE = """
window.__ready = null;
(function watch() {
  const covers = [...document.querySelectorAll('%s img')].filter((img) => {
    const r = img.getBoundingClientRect();  // lazy images below the fold do not load until scrolled to
    return r.bottom > 0 && r.top < innerHeight;
  });
  const list = document.querySelector('%s');
  if (list && covers.length && covers.every((img) => img.complete)) {
    const at = performance.now();
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    window.__ready = { at, bytes: entries.filter((e) => e.responseEnd <= at).reduce((s, e) => s + e.transferSize, 0),
                       nodes: document.querySelectorAll('*').length, requests: entries.length };
  } else requestAnimationFrame(watch);
})();
"""


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"# CPU {model} x{os.cpu_count()}, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"


def build(app) -> dict:
    from gallery.accounts.services import create_photographer, issue_token
    from gallery.clients.services import create_client
    from gallery.galleries import services as galleries
    from tests.pages.builders import add_photo, corpus_files, encode_renditions

    with app.app_context():
        db.drop_all()
        db.create_all()
        photographer = create_photographer(email=EMAIL, password=PASSWORD, studio_name="Northlight Studio")
        _, token = issue_token(photographer, "bench")
        sources = [path.read_bytes() for path in corpus_files()]
        encoded = [encode_renditions(data) for data in sources]
        shared = [{} for _ in sources]
        made = {}
        for count, title in [(3000, "Big wedding"), (30, "Small portrait session"),
                             *[(12, f"Gallery {n}") for n in range(18)]]:
            client = create_client(photographer.id, {"name": f"Client of {title}"})
            gallery = galleries.create_gallery(photographer.id, {"title": title, "client_id": client.id})
            for index in range(count):
                which = index % len(sources)
                add_photo(gallery, sources[which], filename=f"IMG_{index + 1:04d}.jpg", position=index,
                          encoded=encoded[which], shared_keys=shared[which])
            galleries.publish_gallery(photographer.id, gallery.id)
            made[title] = gallery.id
        db.session.commit()
        return {"token": token, "big": made["Big wedding"], "small": made["Small portrait session"],
                "photographer": photographer.id}


def logged_in_context(browser, base: str, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    answer = context.request.post(f"{base}/api/v1/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert answer.ok, answer.text()
    return context


def first_load(browser, base: str) -> dict:
    context = logged_in_context(browser, base)
    context.add_init_script(READY_PROBE % (".cards .cover", ".cards"))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    page.goto(f"{base}/studio#/galleries", wait_until="commit")
    page.wait_for_function("() => window.__ready !== null", timeout=180_000)
    result = page.evaluate("() => window.__ready")
    context.close()
    return result


def open_gallery(context, base: str, gallery_id: str) -> dict:
    page = context.new_page()
    page.goto(f"{base}/studio#/galleries")
    page.wait_for_selector(".card")
    started = page.evaluate("() => performance.now()")
    page.evaluate(f"() => {{ location.hash = '#/g/{gallery_id}/photos'; }}")
    page.wait_for_function("""() => {
      const imgs = [...document.querySelectorAll('.grid .cell img')].filter((img) => {
        const r = img.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      });
      return imgs.length > 0 && imgs.every((img) => img.complete);
    }""", timeout=120_000)
    result = page.evaluate("() => ({ at: performance.now(), nodes: document.querySelectorAll('*').length, "
                           "cells: document.querySelectorAll('.cell').length })")
    page.close()
    return {**result, "ms": result["at"] - started}


def browser_upload(browser, base: str, gallery_id: str, files: list[Path]) -> float:
    context = logged_in_context(browser, base)
    page = context.new_page()
    page.goto(f"{base}/studio#/g/{gallery_id}/photos")
    page.wait_for_selector(".empty")
    started = time.perf_counter()
    page.set_input_files("input[type=file][accept]", [str(f) for f in files])
    page.wait_for_function(f"() => document.querySelectorAll('.upload-row.processing, .upload-row.ready').length === {len(files)}",
                           timeout=1_800_000, polling=200)
    elapsed = time.perf_counter() - started
    failed = page.locator(".upload-row.failed").count()
    context.close()
    assert failed == 0, f"{failed} browser uploads failed"
    return elapsed


def cli_upload(base: str, token: str, gallery_id: str, folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "gallery-upload"), str(folder), "--gallery", gallery_id,
                    "--url", base, "--token", token, "--jobs", "4", "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def upload_set(sources: list[Path], count: int) -> list[Path]:
    """`count` distinct camera-size files: the 24 MP photos over and over, each with bytes of its own after the
    JPEG's end marker (decoders ignore them), so no two share a sha256 and none is skipped as a duplicate."""
    out = REPO / "bench" / "out" / "studio_uploads"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(count):
        path = out / f"DSC_{index + 1:04d}.jpg"
        if not path.exists():
            path.write_bytes(sources[index % len(sources)].read_bytes() + f"studio-bench-{index}".encode())
        path.read_bytes()  # into the page cache, so neither side pays the first read
        files.append(path)
    return files


def new_gallery(app, photographer_id: str, title: str) -> str:
    from gallery.galleries import services as galleries

    with app.app_context():
        gallery = galleries.create_gallery(photographer_id, {"title": title})
        db.session.commit()
        return gallery.id


def main() -> None:
    from playwright.sync_api import sync_playwright
    from redis import Redis
    from renditions import build_photo_set
    from werkzeug.serving import make_server

    from tests.conftest import free_port

    print(machine())
    photos = upload_set(build_photo_set(6), UPLOADS)
    total_mb = sum(p.stat().st_size for p in photos) / 1e6
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    with tempfile.TemporaryDirectory(prefix="bench-studio-") as tmp:
        folder = Path(tmp) / "card"
        folder.mkdir()
        for photo in photos:  # the CLI takes a folder: the same files, linked
            try:
                os.link(photo, folder / photo.name)
            except OSError:
                (folder / photo.name).write_bytes(photo.read_bytes())
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        app = create_app({"env": "testing", "database_url": f"sqlite:///{tmp}/bench.db",
                          "secret_key": "bench-secret-key-0123456789abcdef-xyz", "storage_dir": f"{tmp}/storage",
                          "mail_dir": f"{tmp}/mail", "redis_url": REDIS_URL, "public_base_url": base,
                          "login_rate_limit_ip": "1000 per minute", "login_rate_limit_account": "1000 per minute"})
        made = build(app)
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                first_load(browser, base)  # warm-up: a running server has its templates compiled
                loads = [first_load(browser, base) for _ in range(RUNS)]
                context = logged_in_context(browser, base)
                open_gallery(context, base, made["small"])  # warm-up
                big = [open_gallery(context, base, made["big"]) for _ in range(RUNS)]
                small = [open_gallery(context, base, made["small"]) for _ in range(RUNS)]
                context.close()
                cli = cli_upload(base, made["token"], new_gallery(app, made["photographer"], "CLI"), folder)
                web = browser_upload(browser, base, new_gallery(app, made["photographer"], "Browser"), photos)
                browser.close()
        finally:
            server.shutdown()
            redis.flushdb()
    load_bytes = statistics.median(r["bytes"] for r in loads)
    tti = statistics.median(r["at"] for r in loads)
    big_ms, small_ms = statistics.median(r["ms"] for r in big), statistics.median(r["ms"] for r in small)
    big_nodes, small_nodes = big[-1]["nodes"], small[-1]["nodes"]
    web_rate, cli_rate = total_mb / web, total_mb / cli
    print(f"# first load: Slow 4G, 1280x800, logged in, cold cache, median of {RUNS} ({loads[-1]['requests']} requests)")
    print(f"BENCH studio_first_load_bytes {load_bytes:.0f} bytes vs target {TARGET_BYTES} bytes ratio {load_bytes / TARGET_BYTES:.2f}")
    print(f"BENCH studio_time_to_interactive {tti:.0f} ms vs target {TARGET_TTI_MS} ms ratio {tti / TARGET_TTI_MS:.2f}")
    print(f"# grid: {big[-1]['cells']} cells in the DOM for 3,000 photos, {small[-1]['cells']} for 30")
    print(f"BENCH studio_grid_3000_ms {big_ms:.0f} ms vs grid_30_ms {small_ms:.0f} ms ratio {big_ms / small_ms:.2f}")
    print(f"BENCH studio_grid_3000_nodes {big_nodes} nodes vs grid_30_nodes {small_nodes} nodes ratio {big_nodes / small_nodes:.2f}")
    print(f"# uploads: {len(photos)} photos, {total_mb:.0f} MB; browser {web:.1f} s, CLI {cli:.1f} s")
    print(f"BENCH studio_upload_mb_per_s {web_rate:.1f} MB/s vs cli_upload_mb_per_s {cli_rate:.1f} MB/s ratio {web_rate / cli_rate:.2f}")


if __name__ == "__main__":
    main()
