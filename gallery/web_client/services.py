"""What the gallery page shell shows: Open Graph preview, hero cover, language, security policy.

Everything a crawler or the first paint needs is rendered on the server (no JavaScript: link-preview crawlers
run none); everything else the page's script fetches from the public share API.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.extensions import db
from gallery.galleries.access import ShareAccess
from gallery.galleries.models import Gallery, GallerySet, Photo, Rendition
from gallery.storage.signing import signed_url

# Preview images must outlive a crawler's cache of the page (Facebook and WhatsApp re-fetch rarely).
OG_IMAGE_TTL = 30 * 24 * 3600
HERO_SIZES = "100vw"


@dataclass
class Picture:
    """A photo as <picture>: JPEG and WebP srcsets over its renditions, and a fallback src."""

    photo_id: str
    width: int | None
    height: int | None
    placeholder_color: str | None
    src: str | None = None
    srcset: str = ""
    webp_srcset: str = ""
    og_url: str | None = None  # absolute URL of the preview JPEG (or the largest under it)
    og_width: int | None = None
    og_height: int | None = None
    alt: str = ""


@dataclass
class PagePreview:
    title: str
    description: str
    url: str
    image: Picture | None = None
    extra: dict = field(default_factory=dict)


def photographer_of(gallery: Gallery) -> Photographer:
    return db.session.get(Photographer, gallery.photographer_id)


def visible_photo(access: ShareAccess, photo_id: str) -> Photo | None:
    """A ready photo of this gallery that this link may see (guests never see what the client hid)."""
    if not photo_id or len(photo_id) > 26:
        return None
    statement = select(Photo).where(Photo.id == photo_id, Photo.gallery_id == access.gallery.id,
                                    Photo.status == "ready")
    photo = db.session.scalar(statement)
    if photo is None or (not access.is_client and not _guest_may_see(photo)):
        return None
    return photo


def _guest_may_see(photo: Photo) -> bool:
    if photo.hidden_from_guests:
        return False
    if photo.set_id is None:
        return True
    return not db.session.scalar(select(GallerySet.hidden_from_guests).where(GallerySet.id == photo.set_id))


def cover_photo(access: ShareAccess) -> Photo | None:
    """The photographer's chosen cover, else the first photo this link may see."""
    gallery = access.gallery
    if gallery.cover_photo_id:
        photo = visible_photo(access, gallery.cover_photo_id)
        if photo is not None:
            return photo
    statement = select(Photo).where(Photo.gallery_id == gallery.id, Photo.status == "ready")
    if not access.is_client:
        hidden_sets = select(GallerySet.id).where(GallerySet.gallery_id == gallery.id,
                                                  GallerySet.hidden_from_guests.is_(True))
        statement = statement.where(Photo.hidden_from_guests.is_(False),
                                    (Photo.set_id.is_(None)) | (Photo.set_id.not_in(hidden_sets)))
    return db.session.scalar(statement.order_by(Photo.position, Photo.id).limit(1))


def picture(access: ShareAccess, photo: Photo, *, alt: str = "") -> Picture:
    renditions = db.session.scalars(
        select(Rendition).where(Rendition.photo_id == photo.id, Rendition.name.in_(("thumb", "preview", "large")))
        .order_by(Rendition.width)
    ).all()
    result = Picture(photo_id=photo.id, width=photo.width, height=photo.height,
                     placeholder_color=photo.placeholder_color, alt=alt)
    jpegs = [r for r in renditions if r.format == "jpeg"]
    webps = [r for r in renditions if r.format == "webp"]
    result.srcset = ", ".join(f"{access.signed_url(r.storage_key)} {r.width}w" for r in jpegs)
    result.webp_srcset = ", ".join(f"{access.signed_url(r.storage_key)} {r.width}w" for r in webps)
    if jpegs:
        result.src = access.signed_url(jpegs[0].storage_key)
        # 1200 px previews suit every preview card; a gallery without them falls back to its largest JPEG.
        og = next((r for r in jpegs if r.name == "preview"), jpegs[-1])
        result.og_url = signed_url(og.storage_key, expires_in=OG_IMAGE_TTL, scope=f"link:{access.link.id}",
                                   absolute=True)
        result.og_width, result.og_height = og.width, og.height
    return result


def page_url(token: str, photo_id: str | None = None) -> str:
    base = current_app.config["GALLERY"].public_base_url.rstrip("/")
    return f"{base}/g/{token}" + (f"/p/{photo_id}" if photo_id else "")


def content_security_policy(photographer: Photographer | None) -> str:
    """Strict: our own scripts and styles only, images from us (and the object store or CDN when they serve
    them directly), framing only by the photographer's own site."""
    settings = current_app.config["GALLERY"]
    image_sources = ["'self'", "data:", "blob:"]
    for url in (settings.cdn_base_url, settings.s3_endpoint_url if settings.storage_backend == "s3" else None):
        if url:
            parts = urlsplit(url)
            image_sources.append(f"{parts.scheme}://{parts.netloc}")
    if settings.storage_backend == "s3" and not settings.s3_endpoint_url and settings.s3_bucket:
        image_sources.append(f"https://{settings.s3_bucket}.s3.{settings.s3_region}.amazonaws.com")
    # Browsers ignore X-Frame-Options when frame-ancestors is present, so this alone decides embedding.
    ancestors = [o for o in (photographer.allowed_origins or []) if _is_origin(o)] if photographer else []
    ancestors = ancestors or ["'none'"]
    return "; ".join([
        "default-src 'self'",
        f"img-src {' '.join(image_sources)}",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {' '.join(ancestors)}",
    ])


def _is_origin(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and parts.path in {"", "/"} \
        and not any(c in value for c in " ;'\"")
