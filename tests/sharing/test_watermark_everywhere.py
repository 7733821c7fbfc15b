"""A watermarked gallery, driven through every way a visitor sees pixels: the grid, the viewer (its srcset and
WebP variants), the cover, the Open Graph image, a single download, the zip and the favourites mail.

The bytes are fetched and checked, not the URLs: for a guest, every image larger than a thumbnail must be the
watermarked rendition itself; for a client link allowed clean images, large images are clean (and never the
watermarked one).
"""
import hashlib
import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from gallery.core import clock
from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.retention.delivery import favourite_photos
from gallery.sharing.visibility import CLEAN_THUMB_EDGE
from gallery.storage import get_storage

DEMO = Path(__file__).resolve().parents[2] / "gallery" / "demo_photos"
BASE = "http://gallery.test"


def _big_photo() -> bytes:
    """A 3000 x 2000 JPEG with detail everywhere (so every rendition size exists)."""
    image = Image.effect_mandelbrot((3000, 2000), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Seen:
    """Every image a visitor was handed, by where it came from."""

    def __init__(self, client):
        self.client = client
        self.images: list[tuple[str, bytes]] = []

    def fetch(self, where: str, url: str | None) -> None:
        if not url:
            return
        response = self.client.get(url.removeprefix(BASE), follow_redirects=True)
        assert response.status_code == 200, (where, url, response.status_code)
        self.images.append((where, response.data))

    def add(self, where: str, data: bytes) -> None:
        self.images.append((where, data))

    def srcset(self, where: str, value: str) -> None:
        for candidate in filter(None, (part.strip() for part in unescape(value).split(","))):
            self.fetch(where, candidate.split()[0])


def _renditions(gallery_id: str, name: str | None = None, clean: bool | None = None) -> set[str]:
    storage = get_storage()
    stmt = db.select(Rendition).join(Photo, Photo.id == Rendition.photo_id).where(Photo.gallery_id == gallery_id)
    hashes = set()
    for rendition in db.session.scalars(stmt):
        if (name and rendition.name != name) or (clean is not None and (rendition.name == "watermarked") == clean):
            continue
        with storage.open(rendition.storage_key) as handle:
            hashes.add(_sha(handle.read()))
    return hashes


@pytest.mark.parametrize("role, permissions, sees_clean", [("guest", {}, False), ("client", {"watermark": False}, True)],
                         ids=["guest", "client-with-clean-images"])
def test_no_clean_pixels_beyond_a_thumbnail_unless_allowed(app, client, make_photographer, make_client, make_gallery,
                                                           make_share_link, identify_visitor, role, permissions,
                                                           sees_clean):
    photographer, api = make_photographer()
    buyer = make_client(photographer, email="ann@example.com", name="Ann")
    gallery = make_gallery(photographer, watermark=True, client_id=buyer.id,
                           download_policy={"client": "full", "guest": "full"})
    photo_ids = []
    for name, data in (("big.jpg", _big_photo()), ("jolla.jpg", (DEMO / "jolla.jpg").read_bytes())):
        uploaded = api.post(f"/api/v1/galleries/{gallery.id}/photos", content_type="multipart/form-data",
                            data={"file": (io.BytesIO(data), name)})
        assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
        photo_ids.append(uploaded.json["photo"]["id"])
    assert api.patch(f"/api/v1/galleries/{gallery.id}", json={"cover_photo_id": photo_ids[0]}).status_code == 200
    assert api.post(f"/api/v1/galleries/{gallery.id}/publish", json={}).status_code == 200
    link = make_share_link(gallery, role=role, permissions=permissions)
    token = identify_visitor(link, "ann@example.com")
    auth = {"Authorization": f"Bearer {token}"}
    seen = Seen(client)

    # The grid and the viewer: every size and its WebP variant the photo list hands out.
    items = client.get(f"/api/v1/share/{link.token}/photos", headers=auth).json["items"]
    assert len(items) == 2
    if not sees_clean:  # no WebP srcset holding only the clean thumbnail, which a browser would stretch
        assert all(size["webp"] is None for item in items for size in item["renditions"].values())
    for item in items:
        for size in item["renditions"].values():
            seen.fetch("grid/viewer", size["url"])
            seen.fetch("grid/viewer webp", size["webp"])
    # The cover, as the share API describes it.
    for size in (client.get(f"/api/v1/share/{link.token}", headers=auth).json["cover"] or {}).values():
        seen.fetch("cover", size["url"])
        seen.fetch("cover webp", size["webp"])
    # The page: hero srcsets (JPEG and WebP) and the Open Graph image, of the gallery and of one photo.
    for path in (f"/g/{link.token}", f"/g/{link.token}/p/{photo_ids[1]}"):
        html = client.get(path, headers=auth).get_data(as_text=True)
        for attribute in re.findall(r'(?:srcset|imagesrcset)="([^"]+)"', html):
            seen.srcset(f"page {path}", attribute)
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            seen.fetch(f"page {path} img", unescape(src))
        og = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert og, "the page has an Open Graph image"
        seen.fetch(f"og {path}", unescape(og.group(1)))
    # A single download (the default size for this link; the original only where allowed).
    for photo_id in photo_ids:
        seen.fetch("download", f"/api/v1/share/{link.token}/photos/{photo_id}/download")
        original = client.get(f"/api/v1/share/{link.token}/photos/{photo_id}/download?size=original",
                              headers=auth)
        if sees_clean:
            assert original.status_code == 200
            seen.add("original download", original.data)
        else:
            assert original.status_code == 403
    # The zip of everything and of the favourites.
    for photo_id in photo_ids:
        assert client.put(f"/api/v1/share/{link.token}/favourites/{photo_id}", headers=auth, json={}).status_code == 200
    for scope in ("all", "favourites"):
        response = client.get(f"/api/v1/share/{link.token}/download.zip?scope={scope}", headers=auth)
        assert response.status_code == 200, response.get_data(as_text=True)
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            for entry in archive.namelist():
                seen.add(f"zip {scope}", archive.read(entry))
    # The favourites mail: the photos it links to.
    favourites = favourite_photos(buyer.id, clock.now(), only=photo_ids)
    assert len(favourites) == 2
    for photo in favourites:
        seen.fetch("favourites mail", photo["url"])

    watermarked = _renditions(gallery.id, "watermarked")
    clean = _renditions(gallery.id, clean=True) | {_sha(get_storage().open(p.storage_key).read())
                                                   for p in db.session.scalars(db.select(Photo).where(
                                                       Photo.gallery_id == gallery.id))}
    assert watermarked and len(seen.images) > 20
    large_seen = 0
    for where, data in seen.images:
        width, height = Image.open(io.BytesIO(data)).size
        if max(width, height) <= CLEAN_THUMB_EDGE:
            continue
        large_seen += 1
        if sees_clean:
            assert _sha(data) in clean and _sha(data) not in watermarked, f"{where}: not a clean image"
        else:
            assert _sha(data) in watermarked, f"{where}: a clean {width}x{height} image reached a guest"
    assert large_seen >= 8  # every surface above showed something larger than a thumbnail
