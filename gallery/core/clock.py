"""The one source of "now", so tests can run years of calendar in seconds."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, time

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def set_now(moment: datetime | None) -> None:
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes timezone-aware datetimes")
    _frozen = moment


@contextmanager
def frozen(moment: datetime):
    previous = _frozen
    set_now(moment)
    try:
        yield moment
    finally:
        set_now(previous)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
