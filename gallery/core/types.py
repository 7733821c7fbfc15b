"""Column types and mixins shared by every model."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from gallery.core import clock
from gallery.core.ids import ID_LENGTH, new_id


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on both databases (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def id_column(**kwargs) -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id, **kwargs)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now(), nullable=False
    )
