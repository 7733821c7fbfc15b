"""What a share link's visitors pick and say: favourite lists, favourites, comments, selections.

Everything here is scoped by visitor (`gallery.sharing.models.Visitor`, one per link): a favourite list
belongs to one visitor.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gallery.core.types import TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db
from gallery.sharing.models import Visitor  # noqa: F401 - lists, comments and selections point at visitors

DEFAULT_LIST_NAME = "Favourites"
SELECTION_STATUSES = ("submitted", "reopened")


class FavouriteList(TimestampMixin, db.Model):
    """A named list of a visitor's favourites ("Album", "Prints"); the default one is "Favourites"."""

    __tablename__ = "favourite_lists"
    __table_args__ = (UniqueConstraint("visitor_id", "name", name="uq_favourite_lists_visitor_name"),)

    id: Mapped[str] = id_column()
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id", ondelete="CASCADE"), index=True)
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    favourites: Mapped[list["Favourite"]] = relationship(back_populates="favourite_list", passive_deletes=True,
                                                         cascade="all, delete-orphan")


class Favourite(TimestampMixin, db.Model):
    __tablename__ = "favourites"
    # The unique pair is what makes concurrent toggles from two phones safe.
    __table_args__ = (UniqueConstraint("list_id", "photo_id", name="uq_favourites_list_photo"),
                      Index("ix_favourites_photo", "photo_id"))

    id: Mapped[str] = id_column()
    list_id: Mapped[str] = mapped_column(ForeignKey("favourite_lists.id", ondelete="CASCADE"))
    photo_id: Mapped[str] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(String(2000))

    favourite_list: Mapped[FavouriteList] = relationship(back_populates="favourites")


class Comment(TimestampMixin, db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_gallery_photo", "gallery_id", "photo_id"),)

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    photo_id: Mapped[str] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"))
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(2000))


class Selection(TimestampMixin, db.Model):
    """A favourite list submitted as the visitor's pick; locked until the photographer reopens it."""

    __tablename__ = "selections"
    __table_args__ = (UniqueConstraint("list_id", name="uq_selections_list_id"),
                      Index("ix_selections_gallery", "gallery_id"))

    id: Mapped[str] = id_column()
    gallery_id: Mapped[str] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id", ondelete="CASCADE"))
    list_id: Mapped[str] = mapped_column(ForeignKey("favourite_lists.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    note: Mapped[str | None] = mapped_column(String(2000))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the photographer marked the selection handled; a later submission makes it new again.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def locked(self) -> bool:
        return self.status == "submitted"
