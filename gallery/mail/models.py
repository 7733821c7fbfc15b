"""The outbox: every outgoing mail is a row here before it leaves, so nothing is lost when the mail server
is down and nothing is sent twice when several mail workers run."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core import clock
from gallery.core.types import UTCDateTime, id_column
from gallery.extensions import db

# queued: waiting (first try or a retry at next_attempt_at); sending: claimed by a mail worker, which is
# talking to the server; sent; failed: refused for good, out of retries, or interrupted in doubt;
# dismissed: a failed mail the studio chose not to send again (kept, no longer listed as failed).
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "dismissed")


class OutboxMail(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_mail_outbox_dedupe_key"),
        Index("ix_mail_outbox_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_mail_outbox_photographer_created", "photographer_id", "created_at"),
    )

    id: Mapped[str] = id_column()
    # What it is (the template's name: "visitor_code", "order_placed", "retention/message", ...).
    kind: Mapped[str] = mapped_column(String(64))
    # The studio it is sent for, when there is one (its mail goes when the studio's account goes).
    photographer_id: Mapped[str | None] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    # Optional: queueing the same key twice keeps the first (a retried job never doubles a mail).
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    envelope_from: Mapped[str] = mapped_column(String(254))
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    # The complete RFC 5322 message (headers with Message-ID and Date, body), built once when queued.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    # A mail worker's claim: status 'sending', its token and when. A claim older than the lease whose
    # outcome was never written is failed, not resent: the server may have accepted the mail.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # The request (or job) that queued it: its logs, the mail's X-Request-ID header and the delivery's log
    # lines share this id.
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
