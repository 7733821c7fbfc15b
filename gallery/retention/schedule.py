"""Local-morning scheduling: every message leaves between 09:00 and 11:00 in the client's timezone."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WINDOW_START = time(9, 0)
WINDOW_END = time(11, 0)


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_midnight(day: date, tz_name: str | None) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(tz_name)).astimezone(UTC)


def in_window(moment: datetime, tz_name: str | None) -> bool:
    local = moment.astimezone(zone(tz_name)).time()
    return WINDOW_START <= local < WINDOW_END


def next_window_start(moment: datetime, tz_name: str | None) -> datetime:
    """`moment` itself when it falls in the local window, else the next local 09:00 (UTC)."""
    tz = zone(tz_name)
    local = moment.astimezone(tz)
    if WINDOW_START <= local.time() < WINDOW_END:
        return moment
    day = local.date() if local.time() < WINDOW_START else local.date() + timedelta(days=1)
    return datetime.combine(day, WINDOW_START, tzinfo=tz).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def occurrence(original: date, year: int) -> date:
    """The yearly return of `original` in `year` (29 Feb falls on 28 Feb in other years)."""
    try:
        return original.replace(year=year)
    except ValueError:
        return date(year, 2, 28)
