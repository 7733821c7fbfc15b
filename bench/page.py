"""The client gallery page on a phone over slow 4G: bytes before the first screen is complete, and LCP.

A 500-photo gallery (the 24 corpus photos over and over, renditions made as the pipeline makes them: JPEG
thumb/preview/large, WebP thumb/preview), served for real by the app (werkzeug, threaded), opened in Debian's
headless Chromium as a Pixel 7 (412x915 CSS px, DPR 2.625, touch) with a cold cache, the network throttled
through the DevTools protocol to Lighthouse's "Slow 4G" preset: 150 ms RTT, 1.6384 Mbit/s down, 675 kbit/s up.

"First screen complete": every image inside the first viewport has loaded (hero cover and the first grid row)
and the first page of the grid is rendered. Bytes are the Resource Timing transfer sizes (headers + body as
sent) of the document and every resource that finished by then. LCP is the last largest-contentful-paint entry.
Targets: under 300 KB and under 1.5 s. Median of RUNS cold-cache loads after one warm-up load (a running
server has its templates compiled and catalogues loaded). The figures move with the machine's load.

Run alone: .venv/bin/python bench/page.py
"""
from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.report import Runs, load_footer, machine_header  # noqa: E402
from gallery import create_app  # noqa: E402
from gallery.extensions import db  # noqa: E402

PHOTOS = 500
RUNS = 3
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6384e6 / 8, "uploadThroughput": 675e3 / 8}
TARGET_BYTES = 300 * 1024
TARGET_LCP_MS = 1500
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# Runs in the page before any of its scripts (injected by DevTools, so the page's CSP does not apply to it).
PROBE = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.renderTime || entry.loadTime || entry.startTime;
}).observe({ type: "largest-contentful-paint", buffered: true });
window.__firstScreen = null;
(function watch() {
  const inView = [...document.images].filter((img) => {
    const r = img.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  });
  const ready = document.querySelector("#grid .tile") && inView.length
    && inView.every((img) => img.complete && img.naturalWidth > 0);
  if (ready) {
    const at = performance.now();
    const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    window.__firstScreen = {
      at, images: inView.length,
      bytes: entries.filter((e) => e.responseEnd <= at).reduce((sum, e) => sum + e.transferSize, 0),
      requests: entries.filter((e) => e.responseEnd <= at)
        .map((e) => [e.name.split("?")[0], e.transferSize, e.startTime, e.responseEnd]),
    };
  } else requestAnimationFrame(watch);
})();
"""


def build_gallery(app) -> str:
    from gallery.accounts.services import create_photographer
    from gallery.galleries import services as galleries
    from tests.pages.builders import add_photo, add_share_link, corpus_files, encode_renditions

    with app.app_context():
        db.drop_all()
        db.create_all()
        photographer = create_photographer(email="bench@example.com", password="bench-password-123",
                                           studio_name="Northlight Studio")
        gallery = galleries.create_gallery(photographer.id, {
            "title": "Ingrid & Jonas - Wedding", "description": "A summer wedding at the fjord.",
            "selection_limit": 40})
        set_ids = [galleries.add_set(photographer.id, gallery.id, {"name": name}).id
                   for name in ("Getting ready", "Ceremony", "Reception")]
        sources = [(path.name, path.read_bytes()) for path in corpus_files()]
        encoded = [encode_renditions(data) for _, data in sources]
        shared_keys = [{} for _ in sources]
        cover = None
        for index in range(PHOTOS):
            which = index % len(sources)
            name, data = sources[which]
            photo = add_photo(gallery, data, filename=f"IMG_{index + 1:04d}.jpg", position=index,
                              set_id=set_ids[index * len(set_ids) // PHOTOS], encoded=encoded[which],
                              shared_keys=shared_keys[which])
            if name == "iphone_hdr_NO.jpg" and cover is None:
                cover = photo  # a real 8-megapixel phone photo: its 1200 px preview is a typical cover
        db.session.flush()
        gallery.cover_photo_id = cover.id
        galleries.publish_gallery(photographer.id, gallery.id)
        link = add_share_link(gallery)
        db.session.commit()
        return link.token


def measure(browser, playwright, url: str) -> dict:
    context = browser.new_context(**playwright.devices["Pixel 7"])
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__firstScreen !== null", timeout=120_000)
    page.wait_for_timeout(1500)  # let a later, larger paint register as LCP if there is one
    result = page.evaluate("() => ({ first: window.__firstScreen, lcp: window.__lcp })")
    context.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.conftest import free_port

    machine_header("page")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        app = create_app({"env": "testing", "database_url": f"sqlite:///{tmp}/bench.db",
                          "secret_key": "bench-secret-key-0123456789abcdef-xyz", "storage_dir": f"{tmp}/storage",
                          "mail_dir": f"{tmp}/mail", "redis_url": None,
                          "public_base_url": f"http://127.0.0.1:{port}"})
        token = build_gallery(app)
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                url = f"http://127.0.0.1:{port}/g/{token}"
                measure(browser, playwright, url)  # warm-up, not counted: a production server is warm
                runs = [measure(browser, playwright, url) for _ in range(RUNS)]
                browser.close()
        finally:
            server.shutdown()
    page_bytes = Runs([run["first"]["bytes"] for run in runs])
    lcp = Runs([run["lcp"] for run in runs])
    first = Runs([run["first"]["at"] for run in runs])
    print(f"# {PHOTOS} photos, Pixel 7, Slow 4G (150 ms, 1.6384 Mbit/s down), median of {RUNS} cold loads")
    print("#   bytes      start    end (ms)  resource (last run)")
    for name, size, start, end in runs[-1]["first"]["requests"]:
        print(f"#   {size:>8} {start:>7.0f} {end:>7.0f}  {name.split('/', 3)[-1][:80]}")
    page_bytes.report("page_bytes", "bytes", Runs([TARGET_BYTES]), "target", digits=0)
    lcp.report("page_lcp", "ms", Runs([TARGET_LCP_MS]), "target", digits=0)
    first.report("page_first_screen", "ms", digits=0)
    load_footer()

if __name__ == "__main__":
    main()
