from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db

IMPORTANT_DATE_KINDS = ("wedding", "birthday", "child_birth", "anniversary", "other")


class Client(TimestampMixin, db.Model):
    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("photographer_id", "email", name="uq_clients_photographer_email"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    # Proof of consent: when and how it was given, and when withdrawn.
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_source: Mapped[str | None] = mapped_column(String(200))
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tags: Mapped[list] = mapped_column(JSONType, default=list)
    notes: Mapped[str | None] = mapped_column(String(5000))

    important_dates: Mapped[list["ImportantDate"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True, order_by="ImportantDate.date"
    )


class ImportantDate(db.Model):
    """A date that returns every year: a wedding, a birthday, a child's birth."""

    __tablename__ = "client_important_dates"
    __table_args__ = (Index("ix_client_important_dates_month_day", "month_day"),)

    id: Mapped[str] = id_column()
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date)
    # "MM-DD", so the sweep finds this year's returns with one indexed lookup.
    month_day: Mapped[str] = mapped_column(String(5))

    client: Mapped[Client] = relationship(back_populates="important_dates")
