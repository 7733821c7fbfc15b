"""A watermarked gallery seen as a guest shows no unwatermarked image larger than the thumbnail the photographer
allows, anywhere on the page: grid, viewer, srcset candidates, cover, Open Graph image, app icons. Every image
URL the page references is fetched in Chromium and compared, byte for byte, with the clean files in storage."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from gallery.core.ids import new_id
from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.storage import get_storage
from gallery.storage.keys import rendition_key
from tests.pages.conftest import VIEWPORTS

pytestmark = pytest.mark.browser

ALLOWED_CLEAN_EDGE = 400  # the thumbnail: the largest clean image a watermarked gallery may show

# Everything the page references: <img> and <source> candidates, preloads, Open Graph and Twitter images, icons.
REFERENCED = """() => {
  const urls = new Set();
  const add = (value) => { if (value) urls.add(new URL(value, location.href).href); };
  const candidates = (value) => (value || "").split(",").map((part) => part.trim().split(/\\s+/)[0]).filter(Boolean);
  for (const img of document.querySelectorAll("img")) { add(img.getAttribute("src")); add(img.currentSrc);
    candidates(img.getAttribute("srcset")).forEach(add); }
  for (const source of document.querySelectorAll("source")) candidates(source.getAttribute("srcset")).forEach(add);
  for (const link of document.querySelectorAll("link[rel=preload][as=image]")) {
    add(link.getAttribute("href")); candidates(link.getAttribute("imagesrcset")).forEach(add); }
  for (const link of document.querySelectorAll("link[rel~=icon], link[rel=apple-touch-icon]")) add(link.getAttribute("href"));
  for (const meta of document.querySelectorAll("meta[property='og:image'], meta[name='twitter:image']")) add(meta.content);
  return [...urls].filter((url) => !url.startsWith("data:"));
}"""

# What is on screen: each visible image's current source, where it is and its size. The grid may show the clean
# thumbnail at tile size (CSS px); in the large views a watermark protects (cover, viewer) no clean image may be
# drawn larger than the thumbnail in device pixels (a stretched thumbnail is the leak the browser's WebP choice
# caused).
SHOWN = """() => [...document.images].filter((img) => img.currentSrc && img.getClientRects().length
    && getComputedStyle(img).visibility !== "hidden").map((img) => {
  const box = img.getBoundingClientRect();
  const width = Math.min(box.width, innerWidth), height = Math.min(box.height, innerHeight);
  return { url: img.currentSrc, large_view: Boolean(img.closest("#viewer, .hero")),
           width: Math.round(width), height: Math.round(height),
           device: Math.round(Math.max(width, height) * devicePixelRatio) };
}).filter((shown) => shown.width > 0 && shown.height > 0)"""


def _watermarked(preview: bytes) -> bytes:
    image = Image.open(io.BytesIO(preview)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for y in range(0, image.height, 120):
        draw.rectangle((0, y, image.width, y + 30), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _add_watermarked_renditions(gallery) -> None:
    storage = get_storage()
    for photo in db.session.scalars(select(Photo).where(Photo.gallery_id == gallery.id)):
        preview = db.session.scalar(select(Rendition).where(Rendition.photo_id == photo.id,
                                                            Rendition.name == "preview", Rendition.format == "jpeg"))
        data = _watermarked(b"".join(storage.iter_range(preview.storage_key)))
        key = rendition_key(gallery.id, photo.id, "watermarked", "jpeg")
        storage.save_bytes(key, data, content_type="image/jpeg")
        db.session.add(Rendition(id=new_id(), photo_id=photo.id, name="watermarked", format="jpeg", storage_key=key,
                                 width=preview.width, height=preview.height, bytes=len(data)))
    db.session.commit()


def _clean_files(gallery) -> dict[str, tuple[str, int]]:
    """sha256 -> (what, long edge) of every clean image of the gallery: originals and unwatermarked renditions."""
    storage = get_storage()
    clean = {}
    for photo in db.session.scalars(select(Photo).where(Photo.gallery_id == gallery.id)):
        data = b"".join(storage.iter_range(photo.storage_key))
        clean[hashlib.sha256(data).hexdigest()] = (f"original {photo.original_filename}", max(photo.width, photo.height))
    for rendition in db.session.scalars(select(Rendition).join(Photo, Photo.id == Rendition.photo_id)
                                        .where(Photo.gallery_id == gallery.id, Rendition.name != "watermarked")):
        data = b"".join(storage.iter_range(rendition.storage_key))
        clean[hashlib.sha256(data).hexdigest()] = (f"{rendition.name}.{rendition.format}",
                                                   max(rendition.width, rendition.height))
    return clean


def _fetch(page, url: str) -> bytes:
    # Absolute URLs (Open Graph) name the public address; the same path is served here.
    public = page.context.app_public_base.rstrip("/")
    if url.startswith(public):
        url = page.context.live_server + url[len(public):]
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    return response.body()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_guest_sees_no_clean_image_larger_than_the_thumbnail(app, live_server, chromium, make_shared_gallery,
                                                               size):
    shared = make_shared_gallery(photos=6, role="guest", sets=("Ceremony", "Party"), watermark=True)
    _add_watermarked_renditions(shared.gallery)
    clean = _clean_files(shared.gallery)
    _, browser = chromium
    context = browser.new_context(**VIEWPORTS[size], locale="en-GB")
    context.app_public_base, context.live_server = app.config["GALLERY"].public_base_url, live_server
    page = context.new_page()
    try:
        page.goto(live_server + shared.path)
        page.wait_for_selector(".tile img.loaded")
        page.wait_for_selector("#toolbar:not([hidden])")
        referenced, shown = set(page.evaluate(REFERENCED)), list(page.evaluate(SHOWN))
        # The viewer, on every photo in turn.
        page.locator(".tile button.open").first.click()
        page.wait_for_selector("#viewer[open]")
        for _ in range(6):
            page.wait_for_function("() => document.querySelector('#viewer-img').complete")
            referenced |= set(page.evaluate(REFERENCED))
            shown += page.evaluate(SHOWN)
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
        manifest = page.request.get(f"{live_server}{shared.path}/manifest.webmanifest").json()
        referenced |= {live_server + icon["src"] for icon in manifest["icons"]}

        leaks = []
        identity = {}
        for url in sorted(referenced):
            digest = hashlib.sha256(_fetch(page, url)).hexdigest()
            identity[url] = digest
            if digest in clean and clean[digest][1] > ALLOWED_CLEAN_EDGE:
                leaks.append(f"{clean[digest][0]} ({clean[digest][1]} px) at {url}")
        for item in shown:
            digest = identity.get(item["url"]) or hashlib.sha256(_fetch(page, item["url"])).hexdigest()
            size = item["device"] if item["large_view"] else max(item["width"], item["height"])
            if digest in clean and size > ALLOWED_CLEAN_EDGE * 1.02:
                where = "as the cover or in the viewer" if item["large_view"] else "on the page"
                leaks.append(f"{clean[digest][0]} shown {where} at {item['width']}x{item['height']} CSS px")
        assert referenced and not [url for url in referenced if re.search(r"/files/originals/", url)]
        assert leaks == [], "\n".join(sorted(set(leaks)))
    finally:
        context.close()
