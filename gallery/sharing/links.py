"""Share links of a gallery (photographer side): create, list, revoke."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from gallery.core import clock
from gallery.core.ids import new_id, new_token
from gallery.core.passwords import hash_password
from gallery.errors import Problem
from gallery.extensions import db
from gallery.sharing.models import ShareLink
from gallery.galleries.services import get_gallery

TOKEN_BYTES = 24  # 192 random bits


def list_links(photographer_id: str, gallery_id: str) -> list[ShareLink]:
    gallery = get_gallery(photographer_id, gallery_id)
    return list(db.session.scalars(select(ShareLink).where(ShareLink.gallery_id == gallery.id)
                                   .order_by(ShareLink.created_at, ShareLink.id)))


def create_link(photographer_id: str, gallery_id: str, data: dict) -> ShareLink:
    gallery = get_gallery(photographer_id, gallery_id)
    data = dict(data)
    password = data.pop("password", None)
    if (data.get("permissions") or {}).get("watermark") is False and data.get("role", "client") != "client":
        raise Problem(422, "Only a client link can see the photos without the watermark.",
                      errors={"permissions": {"watermark": ["Guest links always see the watermark."]}})
    if data.get("expires_at") is not None and data["expires_at"] <= clock.now():
        raise Problem(422, "The expiry must be in the future.", errors={"expires_at": ["Must be in the future."]})
    link = ShareLink(id=new_id(), gallery_id=gallery.id, token=new_token(TOKEN_BYTES),
                     password_hash=hash_password(password) if password else None, **data)
    db.session.add(link)
    db.session.flush()
    return link


def revoke_link(photographer_id: str, gallery_id: str, link_id: str) -> ShareLink:
    gallery = get_gallery(photographer_id, gallery_id)
    link = db.session.scalar(select(ShareLink).where(ShareLink.id == link_id, ShareLink.gallery_id == gallery.id))
    if link is None:
        raise Problem(404, "No such share link on this gallery.")
    link.revoked_at = link.revoked_at or clock.now()
    db.session.flush()
    return link


def page_url(token: str, photo_id: str | None = None) -> str:
    """The share page's address (the one place it is built): /g/{token}, or a photo in it."""
    base = current_app.config["GALLERY"].public_base_url.rstrip("/")
    return f"{base}/g/{token}" + (f"/p/{photo_id}" if photo_id else "")
