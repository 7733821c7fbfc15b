"""Order many photos at once (an uploader's run by capture time or file name): one call, not one per photo."""
from __future__ import annotations

from sqlalchemy import select

from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.galleries.services import get_gallery


def arrange_photos(photographer_id: str, gallery_id: str, photo_ids: list[str]) -> int:
    """Put the listed photos in the given order, in the positions they already occupy between them:
    photos not listed keep their places. Returns how many photos were placed."""
    gallery = get_gallery(photographer_id, gallery_id)
    wanted = list(dict.fromkeys(photo_ids))
    photos = {p.id: p for p in db.session.scalars(select(Photo).where(Photo.gallery_id == gallery.id,
                                                                      Photo.id.in_(wanted)))}
    unknown = [photo_id for photo_id in wanted if photo_id not in photos]
    if unknown:
        raise Problem(422, "Some ids are not photos of this gallery.",
                      errors={"photo_ids": [f"Not a photo of this gallery: {photo_id}" for photo_id in unknown[:20]]})
    slots = sorted(photo.position for photo in photos.values())
    for i in range(1, len(slots)):  # uploads planned at the same moment may share a position
        slots[i] = max(slots[i], slots[i - 1] + 1)
    for slot, photo_id in zip(slots, wanted):
        photos[photo_id].position = slot
    db.session.flush()
    return len(wanted)
