"""What the gallery page shell shows: Open Graph preview, hero cover, language, security policy.

Everything a crawler or the first paint needs is rendered on the server (no JavaScript: link-preview crawlers
run none); everything else the page's script fetches from the public share API.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from gallery.accounts.branding import logo_origin
from gallery.accounts.models import Photographer
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.proofing.share_view import renditions_by_photo
from gallery.sharing import visibility
from gallery.sharing.access import ShareAccess
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
    return gallery.photographer


def visible_photo(access: ShareAccess, photo_id: str) -> Photo | None:
    """A ready photo of this gallery that this link may see (guests never see what the client hid)."""
    return visibility.find_visible_photo(access, photo_id)


def cover_photo(access: ShareAccess) -> Photo | None:
    """The photographer's chosen cover, else the first photo this link may see."""
    if access.gallery.cover_photo_id:
        photo = visible_photo(access, access.gallery.cover_photo_id)
        if photo is not None:
            return photo
    return db.session.scalar(visibility.visible_photos(access).order_by(Photo.position, Photo.id).limit(1))


def picture(access: ShareAccess, photo: Photo, *, alt: str = "", purpose: str = "cover") -> Picture:
    """The photo as the share API hands it out for `purpose` (the sharing visibility rule decides which
    renditions: a watermarked gallery shows only watermarked images large)."""
    sizes = renditions_by_photo(access, [photo.id], purpose).get(photo.id, {})
    ordered = sorted(sizes.values(), key=lambda size: size["width"])
    result = Picture(photo_id=photo.id, width=photo.width, height=photo.height,
                     placeholder_color=photo.placeholder_color, alt=alt,
                     srcset=", ".join(f"{size['url']} {size['width']}w" for size in ordered),
                     # Sizes without a WebP are offered as JPEG in the WebP srcset too (one list to pick a width).
                     webp_srcset=", ".join(f"{size['webp'] or size['url']} {size['width']}w" for size in ordered)
                     if any(size["webp"] for size in ordered) else "")
    if ordered:
        result.src = ordered[0]["url"]
    og = _og_rendition(access, photo)
    if og is not None:
        result.og_url = signed_url(og.storage_key, expires_in=OG_IMAGE_TTL, scope=f"link:{access.link.id}",
                                   absolute=True)
        result.og_width, result.og_height = og.width, og.height
    return result


def _og_rendition(access: ShareAccess, photo: Photo) -> Rendition | None:
    """1200 px suits every preview card; which one this link may show is the visibility rule's."""
    rows = db.session.scalars(select(Rendition).where(Rendition.photo_id == photo.id, Rendition.format == "jpeg"))
    return visibility.best_rendition(access.sees_clean, "og", rows)


def icon_rendition(access: ShareAccess, photo: Photo, size: int) -> Rendition | None:
    """The cover for an app icon of `size` px: the visibility rule's single large image (as for a link preview),
    and never a clean image scaled up beyond its own size where the watermark applies."""
    rendition = _og_rendition(access, photo)
    if rendition is None or (not access.sees_clean and rendition.name != "watermarked"
                             and max(rendition.width or 0, rendition.height or 0) < size):
        return None
    return rendition


def gone_reason(link, gallery) -> str:
    """Why a link shows no gallery, for the screen that says so: revoked, link_expired, unpublished (a draft
    never published), archived or expired."""
    from gallery.core import clock

    now = clock.now()
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= now:
        return "link_expired"
    if gallery.status == "draft":
        return "unpublished"
    if gallery.status != "published":
        return "archived"
    return "expired"


def content_security_policy(photographer: Photographer | None, style_hashes: list[str] = ()) -> str:
    """Strict: our own scripts and styles only, images from us (and the object store or CDN when they serve
    them directly), framing only by the photographer's own site."""
    settings = current_app.config["GALLERY"]
    image_sources = ["'self'", "data:", "blob:"]
    for url in (settings.cdn_base_url, settings.s3_endpoint_url if settings.storage_backend == "s3" else None):
        if url:
            parts = urlsplit(url)
            image_sources.append(f"{parts.scheme}://{parts.netloc}")
    if logo_origin(photographer):
        image_sources.append(logo_origin(photographer))
    if settings.storage_backend == "s3" and not settings.s3_endpoint_url and settings.s3_bucket:
        image_sources.append(f"https://{settings.s3_bucket}.s3.{settings.s3_region}.amazonaws.com")
    # Browsers ignore X-Frame-Options when frame-ancestors is present, so this alone decides embedding.
    ancestors = [o for o in (photographer.allowed_origins or []) if _is_origin(o)] if photographer else []
    ancestors = ancestors or ["'none'"]
    return "; ".join([
        "default-src 'self'",
        f"img-src {' '.join(image_sources)}",
        "script-src 'self'",
        " ".join(["style-src 'self'", *style_hashes]),
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
