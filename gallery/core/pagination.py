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


def decode_cursor(cursor: str, width: int) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != width:
        raise Problem(400, "The cursor is not one this API issued.", errors={"cursor": ["Invalid cursor."]})
    return values


def keyset(stmt: Select, *, keys: Sequence, cursor: str | None, limit: int, descending=False) -> Select:
    """`stmt` restricted to the page after `cursor`, ordered by `keys`, with one row more than `limit`
    (the extra row says whether there is a next page)."""
    if cursor:
        after = decode_cursor(cursor, len(keys))
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
