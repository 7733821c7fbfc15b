from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core import clock
from gallery.core.types import JSONType, UTCDateTime
from gallery.extensions import db

EVENT_KINDS = (
    "gallery_viewed", "photo_viewed", "favourited", "unfavourited", "selection_submitted", "selection_reopened",
    "downloaded", "zip_downloaded", "shared", "cart_updated", "order_placed", "order_paid", "email_sent",
    "email_opened", "email_clicked", "unsubscribed", "gallery_published", "visitor_identified", "commented",
    "feedback_given",
)


class Event(db.Model):
    """One client action. Rows are only ever inserted; the gallery, visitor and
    photo ids are kept as plain values (no foreign keys) so history outlives
    deletions and inserts stay cheap."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_photographer_ts", "photographer_id", "ts"),
        Index("ix_events_gallery_ts", "gallery_id", "ts"),
        Index("ix_events_client_ts", "client_id", "ts"),
        # Analytics by kind over a studio's date range, and the sweep's "events of a kind in a window".
        Index("ix_events_photographer_kind_ts", "photographer_id", "kind", "ts"),
        Index("ix_events_kind_ts", "kind", "ts"),
        Index("ix_events_client_kind_ts", "client_id", "kind", "ts"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    gallery_id: Mapped[str | None] = mapped_column(String(26))
    client_id: Mapped[str | None] = mapped_column(String(26))
    visitor_id: Mapped[str | None] = mapped_column(String(26))
    photo_id: Mapped[str | None] = mapped_column(String(26))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)


# Recorded for the photographer's own actions: the studio did it, not a visitor.
STUDIO_KINDS = ("gallery_published",)

# What counts as a client coming back: their own actions, not our mail landing in their inbox.
ENGAGEMENT_KINDS = ("gallery_viewed", "photo_viewed", "favourited", "unfavourited", "selection_submitted",
                    "downloaded", "zip_downloaded", "shared", "cart_updated", "order_placed", "order_paid",
                    "commented", "feedback_given", "email_clicked", "visitor_identified")
