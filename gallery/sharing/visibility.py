"""What a share link may see, in one place: which photos and sets, what it may download, and which rendition
of a photo it may be shown for each purpose.

Every caller asks here (the share API, the client page's server side, downloads and zips, the store, the
retention mails); none decides on its own.

The watermark rule: in a watermarked gallery a link sees the watermarked rendition wherever a photo is shown
large (viewer, cover, Open Graph image, web-size download and zip). Clean pixels it may see are capped at the
thumbnail size (`CLEAN_THUMB_EDGE`): the grid's thumbnails and the photos in a mail. The cap is checked on the
rendition's own width and height, so a clean rendition larger than a thumbnail can never slip through under any
name. A client link the photographer marked `permissions.watermark = false` sees clean images; a guest link
never does (only a digital purchase gives a guest the clean original).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import or_, select

from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, GallerySet, Photo
from gallery.imaging.specs import DEFAULT_SPECS
from gallery.sharing.models import ShareLink

# The largest clean image (long edge, px) a link that must see the watermark may get: the thumbnail.
CLEAN_THUMB_EDGE = next(spec.long_edge for spec in DEFAULT_SPECS if spec.name == "thumb")

PURPOSES = ("grid", "viewer", "cover", "og", "download", "zip", "mail")

# purpose -> clean? -> ((rendition name, shown as), ...) best first. Sized purposes (grid, viewer, cover) hand out
# every listed size; single-image purposes the first that exists.
_RENDITIONS = {
    "grid": {True: (("thumb", "thumb"), ("preview", "preview"), ("large", "large")),
             False: (("thumb", "thumb"), ("watermarked", "preview"))},
    "og": {True: (("preview", "preview"), ("large", "large"), ("thumb", "thumb")),
           False: (("watermarked", "preview"), ("thumb", "thumb"))},
    "download": {True: (("large", "large"), ("preview", "preview")), False: (("watermarked", "preview"),)},
    "mail": {True: (("thumb", "thumb"),), False: (("thumb", "thumb"),)},
}
_RENDITIONS["viewer"] = _RENDITIONS["cover"] = _RENDITIONS["grid"]
_RENDITIONS["zip"] = _RENDITIONS["download"]
_LABELS = {(purpose, clean): dict(pairs) for purpose, by in _RENDITIONS.items() for clean, pairs in by.items()}
_ORDER = {(purpose, clean): tuple(label for _name, label in pairs)
          for purpose, by in _RENDITIONS.items() for clean, pairs in by.items()}
SIZED_PURPOSES = frozenset({"grid", "viewer", "cover"})
# Pictures offer WebP variants. Where the watermark applies, only if every size offered has one: else a
# <picture>'s WebP srcset would hold just the clean thumbnail and the browser would show it, stretched, in the
# viewer instead of the watermarked JPEG (there is no WebP of the watermarked rendition).



# --- who sees clean images -------------------------------------------------------------------------------------

def sees_clean(gallery: Gallery, link: ShareLink) -> bool:
    """May this link see clean (unwatermarked) images larger than a thumbnail?"""
    if not gallery.watermark:
        return True
    return link.role == "client" and (link.permissions or {}).get("watermark") is False


def rendition_names(clean: bool, purpose: str) -> tuple[str, ...]:
    """The rendition names a purpose may use, best first (for a query's IN list)."""
    return tuple(name for name, _label in _RENDITIONS[purpose][clean])


def _admitted(clean: bool, name: str, width: int, height: int) -> bool:
    """Never a clean image larger than a thumbnail to a link that must see the watermark."""
    return clean or name == "watermarked" or (width <= CLEAN_THUMB_EDGE and height <= CLEAN_THUMB_EDGE)


def sized_renditions(clean: bool, purpose: str, rows: Iterable[tuple], sign) -> dict[str, dict[str, dict]]:
    """THE rendition rule for pictures (grid, viewer, cover), for many photos in one pass (the share page's hot
    path): from rows (photo_id, name, format, key, width, height), each photo's JPEGs before its WebPs (ORDER BY
    format), the sizes this access may be shown, as {photo_id: {size: {width, height, url, webp}}}; `sign`
    turns a storage key into a URL."""
    if purpose not in SIZED_PURPOSES:
        raise ValueError(f"{purpose} is not a picture purpose")
    labels = _LABELS[purpose, clean]
    result: dict[str, dict[str, dict]] = {}
    for photo_id, name, fmt, key, width, height in rows:
        label = labels.get(name)
        if label is None or not (clean or _admitted(clean, name, width, height)):
            continue
        sizes = result.get(photo_id)
        if sizes is None:
            sizes = result[photo_id] = {}
        if fmt == "jpeg":
            sizes[label] = {"width": width, "height": height, "url": sign(key), "webp": None}
        elif fmt == "webp" and label in sizes:
            sizes[label]["webp"] = sign(key)
    if not clean:
        for sizes in result.values():
            if any(size["webp"] is None for size in sizes.values()):
                for size in sizes.values():
                    size["webp"] = None
    return result


def best_rendition(clean: bool, purpose: str, renditions: Iterable):
    """The one JPEG rendition (an object with name, format, width, height) of one photo for a single-image
    purpose (og, download, zip, mail), or None."""
    by_label = {}
    labels = _LABELS[purpose, clean]
    for rendition in renditions:
        label = labels.get(rendition.name)
        if label is not None and rendition.format == "jpeg" and _admitted(clean, rendition.name, rendition.width,
                                                                           rendition.height):
            by_label[label] = rendition
    return next((by_label[label] for label in _ORDER[purpose, clean] if label in by_label), None)


# --- which photos and sets -------------------------------------------------------------------------------------

def visible_in(gallery_id, is_client: bool, columns=(Photo,)):
    """Ready photos of a gallery (or those `columns` of them); for guests, without what the client or the
    photographer hid. `gallery_id`: a value, or a bind parameter for statements built once."""
    stmt = select(*columns).where(Photo.gallery_id == gallery_id, Photo.status == "ready")
    if not is_client:
        hidden_sets = select(GallerySet.id).where(GallerySet.gallery_id == gallery_id,
                                                  GallerySet.hidden_from_guests.is_(True))
        stmt = stmt.where(Photo.hidden_from_guests.is_(False),
                          or_(Photo.set_id.is_(None), Photo.set_id.not_in(hidden_sets)))
    return stmt


def visible_photos(access, *columns):
    """Ready photos of the link's gallery that this link may see."""
    return visible_in(access.gallery.id, access.is_client, columns or (Photo,))


def visible_photo_ids(gallery_id: str, is_client: bool, photo_ids: set[str]) -> set[str]:
    """Those of `photo_ids` a link of this role may see (ready, and for guests not hidden)."""
    return set(db.session.scalars(visible_in(gallery_id, is_client, (Photo.id,)).where(Photo.id.in_(photo_ids))))


def visible_sets(access) -> list[GallerySet]:
    stmt = select(GallerySet).where(GallerySet.gallery_id == access.gallery.id).order_by(GallerySet.position,
                                                                                         GallerySet.id)
    if not access.is_client:
        stmt = stmt.where(GallerySet.hidden_from_guests.is_(False))
    return list(db.session.scalars(stmt))


def get_visible_photo(access, photo_id: str) -> Photo:
    photo = db.session.scalar(visible_photos(access).where(Photo.id == photo_id))
    if photo is None:
        raise Problem(404, "No such photo in this gallery.")
    return photo


def find_visible_photo(access, photo_id: str | None) -> Photo | None:
    """As get_visible_photo, None instead of a 404 (and for ids that cannot be ours)."""
    if not photo_id or len(photo_id) > 26:
        return None
    return db.session.scalar(visible_photos(access).where(Photo.id == photo_id))


def get_visible_set(access, set_id: str) -> GallerySet:
    gallery_set = next((s for s in visible_sets(access) if s.id == set_id), None)
    if gallery_set is None:
        raise Problem(404, "No such set in this gallery.")
    return gallery_set


# --- what a link may do ----------------------------------------------------------------------------------------

def download_size(access) -> str:
    """none | web | full: the link's own permission, else the gallery's policy for its role. A guest of a
    watermarked gallery gets at most web size (the watermarked rendition); a digital purchase is checked by
    the download itself."""
    policy = access.gallery.download_policy or {}
    size = (access.link.permissions or {}).get("download") or policy.get(access.role, "none")
    if size == "full" and access.gallery.watermark and not access.is_client:
        return "web"
    return size


def permissions(access) -> dict:
    gallery = access.gallery
    return {"download": download_size(access), "download_pin_required": gallery.download_pin_hash is not None,
            "download_limit": gallery.download_limit, "favourites": True, "comments": True,
            "selection": access.is_client, "hide_photos": access.is_client}
