from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import false as sa_false
from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gallery.accounts.models import Photographer
from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db

EVENT_TYPES = ("wedding", "engagement", "newborn", "maternity", "family", "portrait", "event", "commercial", "other")
GALLERY_STATUSES = ("draft", "published", "archived")
DOWNLOAD_SIZES = ("none", "web", "full")
ROLES = ("client", "guest")
PHOTO_STATUSES = ("uploading", "processing", "ready", "failed")


def default_download_policy() -> dict:
    return {"client": "full", "guest": "web"}


class Gallery(TimestampMixin, db.Model):
    __tablename__ = "galleries"
    __table_args__ = (
        UniqueConstraint("photographer_id", "slug", name="uq_galleries_photographer_slug"),
        Index("ix_galleries_photographer_status", "photographer_id", "status"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(5000))
    event_type: Mapped[str] = mapped_column(String(32), default="other")
    shoot_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cover_photo_id: Mapped[str | None] = mapped_column(
        ForeignKey("photos.id", ondelete="SET NULL", use_alter=True, name="fk_galleries_cover_photo_id_photos")
    )
    # Per role: none | web | full.
    download_policy: Mapped[dict] = mapped_column(JSONType, default=default_download_policy)
    watermark: Mapped[bool] = mapped_column(default=False)
    # Downloaded originals keep the camera's GPS position only when the photographer says so.
    keep_location: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    selection_limit: Mapped[int | None] = mapped_column(Integer)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The store: which of the photographer's price sheets this gallery sells from (none: no store).
    price_sheet_id: Mapped[str | None] = mapped_column(ForeignKey("price_sheets.id", ondelete="SET NULL"), index=True)
    # Optional 4-digit PIN asked before any download (hashed), and downloads allowed per visitor (None: no limit).
    download_pin_hash: Mapped[str | None] = mapped_column(String(255))
    download_limit: Mapped[int | None] = mapped_column(Integer)
    # Bumped in the same transaction by every write that changes what a share link of the gallery shows
    # (gallery.sharing.versions); cached share responses and their ETags are keyed by it.
    state_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    photographer: Mapped[Photographer] = relationship()
    sets: Mapped[list["GallerySet"]] = relationship(
        back_populates="gallery", order_by="GallerySet.position", passive_deletes=True, cascade="all, delete-orphan"
    )

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def has_download_pin(self) -> bool:
        return self.download_pin_hash is not None


class GallerySet(TimestampMixin, db.Model):
    """A named, ordered section of a gallery (Ceremony, Reception)."""

    __tablename__ = "gallery_sets"

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    hidden_from_guests: Mapped[bool] = mapped_column(default=False)

    gallery: Mapped[Gallery] = relationship(back_populates="sets")


class Photo(TimestampMixin, db.Model):
    __tablename__ = "photos"
    __table_args__ = (
        UniqueConstraint("gallery_id", "sha256", name="uq_photos_gallery_sha256"),
        Index("ix_photos_gallery_position", "gallery_id", "position", "id"),
        Index("ix_photos_status_updated", "status", "updated_at"),
    )

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    set_id: Mapped[str | None] = mapped_column(ForeignKey("gallery_sets.id", ondelete="SET NULL"), index=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="uploading")
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
    hidden_from_guests: Mapped[bool] = mapped_column(default=False)
    # Dominant colour (#rrggbb) shown while the thumbnail loads.
    placeholder_color: Mapped[str | None] = mapped_column(String(7))
    # Direct uploads: the S3 multipart upload id while parts are being sent.
    upload_id: Mapped[str | None] = mapped_column(String(1024))
    # CRC-32 of the original, computed once (zip downloads need it up front for a seekable, exact-length archive).
    crc32: Mapped[int | None] = mapped_column(BigInteger)
    # Worker bookkeeping: when the current processing attempt started, and how many there were.
    processing_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processing_attempts: Mapped[int] = mapped_column(Integer, default=0)

    renditions: Mapped[list["Rendition"]] = relationship(
        back_populates="photo", cascade="all, delete-orphan", passive_deletes=True
    )


class Rendition(db.Model):
    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("photo_id", "name", "format", name="uq_renditions_photo_name_format"),)

    id: Mapped[str] = id_column()
    photo_id: Mapped[str] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(32))  # thumb | preview | large | watermarked ...
    format: Mapped[str] = mapped_column(String(8))  # jpeg | webp
    storage_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(BigInteger)
    crc32: Mapped[int | None] = mapped_column(BigInteger)  # see Photo.crc32

    photo: Mapped[Photo] = relationship(back_populates="renditions")
