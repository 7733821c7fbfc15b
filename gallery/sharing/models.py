"""Share links and the visitors behind them.

A link gives a role (client or guest) on one gallery; a visitor row belongs to one link (a client link and a
guest link of the same gallery never share favourites), identified by email and a one-time code.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db


class ShareLink(TimestampMixin, db.Model):
    __tablename__ = "share_links"

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="client")
    label: Mapped[str | None] = mapped_column(String(120))
    permissions: Mapped[dict] = mapped_column(JSONType, default=dict)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Visitor(TimestampMixin, db.Model):
    """Someone who identified on a share link with an email; verified by a one-time code."""

    __tablename__ = "visitors"
    __table_args__ = (UniqueConstraint("share_link_id", "email", name="uq_visitors_share_link_email"),)

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    share_link_id: Mapped[str] = mapped_column(ForeignKey("share_links.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    # Linked when the email matches a Client of the gallery's photographer.
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The pending one-time code: only its hash, when it dies, how many wrong tries it took.
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped to invalidate every visitor token issued so far (e.g. after a new code is verified elsewhere).
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped in the same transaction by every change to the visitor's lists, favourites, notes and selections
    # (gallery.sharing.versions); cached share responses and their ETags are keyed by it.
    state_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
