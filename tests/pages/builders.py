"""Galleries with real photos for the page tests and the page benchmark: renditions made with Pillow from
real camera files, stored in the app's storage, as the imaging pipeline would leave them."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageOps

from gallery.core import clock
from gallery.core.ids import new_id
from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.sharing.models import ShareLink
from gallery.storage import get_storage
from gallery.storage.keys import original_key, rendition_key

SIZES = {"thumb": 400, "preview": 1200, "large": 2048}
WEBP_SIZES = ("thumb", "preview")
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "photos"


@dataclass
class EncodedRendition:
    name: str
    format: str
    width: int
    height: int
    data: bytes


def corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.glob("*.jpg"))
    assert files, f"no corpus photos in {CORPUS}"
    return files


def encode_renditions(source: bytes) -> tuple[list[EncodedRendition], int, int, str]:
    """(renditions, width, height, dominant colour) of one photo, cascading down, never upscaling."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(source))).convert("RGB")
    width, height = image.size
    result = []
    current = image
    for name, edge in sorted(SIZES.items(), key=lambda item: -item[1]):
        if max(current.size) > edge:
            current = current.copy()
            current.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        for fmt in ("jpeg", "webp") if name in WEBP_SIZES else ("jpeg",):
            buffer = io.BytesIO()
            if fmt == "jpeg":
                current.save(buffer, "JPEG", quality=85, progressive=True, optimize=True)
            else:
                current.save(buffer, "WEBP", quality=80, method=4)
            result.append(EncodedRendition(name, fmt, *current.size, buffer.getvalue()))
    dominant = current.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return result, width, height, "#{:02x}{:02x}{:02x}".format(*dominant)


def add_photo(gallery, source: bytes, *, filename: str, position: int, set_id=None, encoded=None,
              shared_keys: dict | None = None) -> Photo:
    """A ready photo with its renditions. `encoded` reuses renditions already made (and, with `shared_keys`,
    their stored objects too: the benchmark's 500 photos are 24 real ones over and over)."""
    renditions, width, height, colour = encoded or encode_renditions(source)
    storage = get_storage()
    photo = Photo(id=new_id(), gallery_id=gallery.id, set_id=set_id, original_filename=filename,
                  sha256=hashlib.sha256(source + filename.encode()).hexdigest(), bytes=len(source), width=width,
                  height=height, status="ready", position=position, placeholder_color=colour,
                  content_type="image/jpeg", storage_key="")
    photo.storage_key = original_key(gallery.id, photo.id)
    if shared_keys is None or "original" not in shared_keys:
        storage.save_bytes(photo.storage_key, source, content_type="image/jpeg")
        if shared_keys is not None:
            shared_keys["original"] = photo.storage_key
    else:
        photo.storage_key = shared_keys["original"]
    db.session.add(photo)
    for rendition in renditions:
        slot = f"{rendition.name}.{rendition.format}"
        if shared_keys is not None and slot in shared_keys:
            key = shared_keys[slot]
        else:
            key = rendition_key(gallery.id, photo.id, rendition.name, rendition.format)
            storage.save_bytes(key, rendition.data, content_type=f"image/{rendition.format}")
            if shared_keys is not None:
                shared_keys[slot] = key
        db.session.add(Rendition(id=new_id(), photo_id=photo.id, name=rendition.name, format=rendition.format,
                                 storage_key=key, width=rendition.width, height=rendition.height,
                                 bytes=len(rendition.data)))
    return photo


def add_share_link(gallery, *, role="client", password=None, expires_in_days=None, revoked=False) -> ShareLink:
    from gallery.sharing.links import create_link

    data = {"role": role, "password": password}
    if expires_in_days:
        data["expires_at"] = clock.now() + timedelta(days=expires_in_days)
    link = create_link(gallery.photographer_id, gallery.id, data)
    link.revoked_at = clock.now() if revoked else None
    return link
