"""The demo studio `make run` serves: a photographer, a client and a gallery."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from gallery.accounts import services as accounts
from gallery.accounts.models import Photographer
from gallery.clients import services as clients
from gallery.extensions import db
from gallery.galleries import services as galleries
from gallery.galleries import uploads
from gallery.galleries.models import Gallery, Photo
from gallery.sharing import links as share_links

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-123"


@dataclass
class DemoResult:
    photographer: Photographer
    gallery: Gallery
    token: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        base = current_app.config["GALLERY"].public_base_url
        lines = [
            f"studio:            {base}/studio  (log in as the demo photographer)",
            f"demo photographer: {DEMO_EMAIL} / {DEMO_PASSWORD}",
            f"demo gallery:      {self.gallery.title} (id {self.gallery.id})",
        ]
        if self.token:
            lines.append(f"demo API token:    {self.token}")
        lines += [f"API:               {base}/api/v1/me", f"OpenAPI:           {base}/api/v1/openapi.json",
                  f"health:            {base}/healthz", *self.notes]
        return lines


def seed() -> DemoResult:
    photographer = db.session.scalar(select(Photographer).where(Photographer.email == DEMO_EMAIL))
    token = None
    if photographer is None:
        photographer = accounts.create_photographer(email=DEMO_EMAIL, password=DEMO_PASSWORD,
                                                    studio_name="Northlight Studio", timezone="Europe/Oslo")
        _, token = accounts.issue_token(photographer, "demo")
    gallery = db.session.scalar(select(Gallery).where(Gallery.photographer_id == photographer.id))
    if gallery is None:
        client = clients.create_client(photographer.id, {
            "name": "Ingrid & Jonas", "email": "ingrid@example.com", "locale": "nb", "timezone": "Europe/Oslo",
            "marketing_consent": True, "consent_source": "contract, clause 7",
            "important_dates": [{"kind": "wedding", "date": date(2026, 6, 20), "label": "Wedding day"}],
            "tags": ["wedding", "2026"],
        })
        gallery = galleries.create_gallery(photographer.id, {
            "title": "Ingrid & Jonas - Wedding", "client_id": client.id, "event_type": "wedding",
            "shoot_date": date(2026, 6, 20), "selection_limit": 40,
            "description": "A summer wedding at the fjord.",
        })
        galleries.add_set(photographer.id, gallery.id, {"name": "Ceremony"})
        galleries.add_set(photographer.id, gallery.id, {"name": "Reception"})
        galleries.publish_gallery(photographer.id, gallery.id)
    result = DemoResult(photographer, gallery, token)
    seed_photos(photographer, gallery, result)
    seed_share_link(photographer, gallery, result)
    return result


def seed_share_link(photographer: Photographer, gallery: Gallery, result: DemoResult) -> None:
    """The client's share link, so `make run` prints a page to open on a phone."""
    link = next(iter(share_links.list_links(photographer.id, gallery.id)), None)
    if link is None:
        link = share_links.create_link(photographer.id, gallery.id, {"role": "client", "label": "Demo client link"})
    base = current_app.config["GALLERY"].public_base_url.rstrip("/")
    result.notes.append(f"client page:       {base}/g/{link.token}")


DEMO_PHOTOS = Path(__file__).resolve().parent / "demo_photos"


def seed_photos(photographer: Photographer, gallery: Gallery, result: DemoResult) -> None:
    """Real photos through the real pipeline (inline without Redis), split over the gallery's sets."""
    if db.session.scalar(select(Photo.id).where(Photo.gallery_id == gallery.id).limit(1)):
        return
    files = sorted(DEMO_PHOTOS.glob("*.jpg"))
    sets = [s.id for s in gallery.sets] or [None]
    db.session.commit()  # the gallery and its sets exist before photos are committed one by one
    photos = []
    for index, path in enumerate(files):
        set_id = sets[index * len(sets) // len(files)]
        photos.append(uploads.ingest_file(photographer.id, gallery.id, path, set_id=set_id).photo)
    if photos and gallery.cover_photo_id is None:
        gallery.cover_photo_id = photos[0].id
    ready = sum(1 for photo in photos if photo.status == "ready")
    result.notes.append(f"demo photos:       {ready} of {len(files)} ready (from gallery/demo_photos, CC BY-SA 4.0)")
