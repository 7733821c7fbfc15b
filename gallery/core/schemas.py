"""Marshmallow building blocks shared by the domain schemas."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from marshmallow import Schema, ValidationError, fields, validate

from gallery.core.emails import normalize_email

_TIMEZONES = frozenset(available_timezones())
_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


class Timezone(fields.String):
    """An IANA timezone name such as Europe/Oslo."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if name not in _TIMEZONES:
            raise ValidationError(f"Unknown timezone {name!r}; use an IANA name such as Europe/Oslo.")
        return name


class Locale(fields.String):
    """A language tag such as en, nb or pt-BR."""

    def _deserialize(self, value, attr, data, **kwargs):
        tag = super()._deserialize(value, attr, data, **kwargs)
        if not _LOCALE.match(tag):
            raise ValidationError("Not a language tag such as en, nb or pl.")
        return tag.replace("_", "-")


class Email(fields.String):
    """An email address, checked for syntax (not deliverability) and normalised (gallery.core.emails)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=254))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalize_email(validate_email(normalize_email(raw), check_deliverability=False).normalized)
        except EmailNotValidError as error:
            reason = str(error).rstrip(".")
            raise ValidationError(f"Not a valid email address: {reason}.") from None


class Timestamp(fields.AwareDateTime):
    """The API's one timestamp: ISO 8601 in UTC with its offset (`+00:00`), whatever the value in memory holds
    (another offset, or naive, read as UTC), so an answer never depends on whether the row was re-read.

    Input without an offset is read as UTC; `default_timezone=None` makes the offset required instead."""

    def __init__(self, format: str | None = None, *, default_timezone=UTC, **kwargs):
        super().__init__(format, default_timezone=default_timezone, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime):
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def Text(max_length: int, **kwargs) -> fields.String:  # noqa: N802 - reads like a field class
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A list response: `{items: [...], next_cursor}`."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "next_cursor": fields.String(allow_none=True),
    })


class Password(fields.String):
    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(min=10, max=200))
        kwargs.setdefault("load_only", True)
        super().__init__(**kwargs)
