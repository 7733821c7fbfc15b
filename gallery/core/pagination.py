"""Keyset (cursor) pagination: stable under inserts, one indexed range scan a page."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, tuple_

from gallery.errors import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageArgsSchema(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=512))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def _scalar_ok(value, kind: type | None) -> bool:
    """A cursor value this API could have issued: a short string or a 64-bit integer, of the key's type."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return kind in (None, int) and -2 ** 63 <= value < 2 ** 63
    if isinstance(value, str):
        return kind in (None, str) and len(value) <= 64 and "\x00" not in value
    return False


def decode_cursor(cursor: str, width: int, types: Sequence[type | None] | None = None) -> list:
    """The key values a cursor carries; anything forged (wrong shape, type or size) is a 400."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()), parse_constant=_no_constant)
    except (ValueError, TypeError, RecursionError):
        values = None
    types = list(types) if types is not None else [None] * width
    if not isinstance(values, list) or len(values) != width or \
            not all(_scalar_ok(value, kind) for value, kind in zip(values, types)):
        raise Problem(400, "The cursor is not one this API issued.", errors={"cursor": ["Invalid cursor."]})
    return values


def _no_constant(name: str):
    raise ValueError(f"{name} is not a cursor value")


def _key_type(key) -> type | None:
    try:
        kind = key.type.python_type
    except (AttributeError, NotImplementedError):
        return None
    return kind if kind in (int, str) else None


def keyset(stmt: Select, *, keys: Sequence, cursor: str | None, limit: int, descending=False) -> Select:
    """`stmt` restricted to the page after `cursor`, ordered by `keys`, with one row more than `limit`
    (the extra row says whether there is a next page)."""
    if cursor:
        after = decode_cursor(cursor, len(keys), [_key_type(k) for k in keys])
        row = tuple_(*keys)
        stmt = stmt.where(row < tuple_(*after) if descending else row > tuple_(*after))
    return stmt.order_by(*[k.desc() if descending else k.asc() for k in keys]).limit(limit + 1)


def page_of(items: list, limit: int, key_values: Callable[[Any], Sequence[Any]]) -> Page:
    """Trim the rows a `keyset` statement gave to `limit` and make the cursor from the last one kept."""
    if len(items) <= limit:
        return Page(items, None)
    items = items[:limit]
    return Page(items, encode_cursor(key_values(items[-1])))


def paginate(stmt: Select, session, *, keys: Sequence, cursor: str | None, limit: int, descending=False) -> Page:
    """Return one page of `stmt` ordered by `keys` (columns that together are unique).

    `keys` are ORM attributes; the last item's values become the next cursor.
    """
    stmt = keyset(stmt, keys=keys, cursor=cursor, limit=limit, descending=descending)
    return page_of(list(session.scalars(stmt)), limit, lambda last: [getattr(last, k.key) for k in keys])
