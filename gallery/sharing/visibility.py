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
SIZED_PURPOSES = frozenset({"grid", "viewer", "cover"})
# Sized purposes offer WebP variants. Where the watermark applies, only if every size offered has one: else a
# <picture>'s WebP srcset would hold just the clean thumbnail and the browser would show it, stretched, in the
# viewer instead of the watermarked JPEG (there is no WebP of the watermarked rendition).
_WEBP = {"grid": True, "viewer": True, "cover": True}


# --- who sees clean images -------------------------------------------------------------------------------------

def sees_clean(gallery: Gallery, link: ShareLink) -> bool:
    """May this link see clean (unwatermarked) images larger than a thumbnail?"""
    if not gallery.watermark:
        return True
    return link.role == "client" and (link.permissions or {}).get("watermark") is False


def rendition_names(clean: bool, purpose: str) -> tuple[str, ...]:
    """The rendition names a purpose may use, best first (for a query's IN list)."""
    return tuple(name for name, _label in _RENDITIONS[purpose][clean])


def pick_renditions(clean: bool, purpose: str, rows: Iterable) -> dict[str, dict]:
    """THE rendition rule: from one photo's renditions (rows with name, format, width, height and anything
    else), what this access may be shown for `purpose`, as {shown as: {"jpeg": row, "webp": row | None}}, best
    first. Sized purposes keep every size; others only the best. Rows may be tuples
    (name, format, key, width, height) or objects with those attributes."""
    by_name = {}
    for row in rows:
        name, fmt, width, height = _fields(row)
        if not clean and name != "watermarked" and max(width or 0, height or 0) > CLEAN_THUMB_EDGE:
            continue  # never a clean image larger than a thumbnail
        by_name.setdefault(name, {})[fmt] = row
    result: dict[str, dict] = {}
    webp = _WEBP.get(purpose, False)
    for name, label in _RENDITIONS[purpose][clean]:
        formats = by_name.get(name)
        if not formats or "jpeg" not in formats or label in result:
            continue
        result[label] = {"jpeg": formats["jpeg"], "webp": formats.get("webp") if webp else None}
        if purpose not in SIZED_PURPOSES:
            break
    if webp and not clean and any(choice["webp"] is None for choice in result.values()):
        for choice in result.values():
            choice["webp"] = None
    return result


def best_rendition(clean: bool, purpose: str, rows: Iterable):
    """The one rendition row for a single-image purpose (og, download, zip, mail), or None."""
    choice = next(iter(pick_renditions(clean, purpose, rows).values()), None)
    return choice["jpeg"] if choice else None


def _fields(row) -> tuple:
    if isinstance(row, tuple):  # (name, format, key, width, height)
        return row[0], row[1], row[3], row[4]
    return row.name, row.format, row.width, row.height


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
