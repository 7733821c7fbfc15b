"""Values must fit their columns: checked once, from the models, before anything is written.

A `before_flush` listener walks the new and changed rows and compares each value with its column: strings
no longer than the column's length (PostgreSQL refuses longer ones, SQLite silently keeps them), no NUL or
lone surrogate in any text, integers inside the column's range. A value that does not fit raises a 422
problem naming the field, instead of a database error after half the work is done. Schemas may still
declare tighter limits; this is the floor every route, job and CLI command shares.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Integer, SmallInteger, String, event, inspect
from sqlalchemy.orm import Session

from gallery.core.request_guard import forbidden_text
from gallery.errors import Problem

_INT_RANGES = {SmallInteger: 2 ** 15, BigInteger: 2 ** 63, Integer: 2 ** 31}


def _int_limit(column_type) -> int | None:
    for kind, limit in _INT_RANGES.items():  # BigInteger and SmallInteger subclass Integer: check them first
        if isinstance(column_type, kind):
            return limit
    return None


_checks: dict = {}


def _checks_for(mapper) -> list[tuple[str, int | None, int | None]]:
    """(attribute, max string length, integer bound) of every text or integer column of a model, cached."""
    checks = _checks.get(mapper)
    if checks is None:
        checks = []
        for attr in mapper.column_attrs:
            if len(attr.columns) != 1:
                continue
            column_type = attr.columns[0].type
            column_type = getattr(column_type, "impl", column_type)
            if isinstance(column_type, String):
                checks.append((attr.key, column_type.length, None))
            elif (limit := _int_limit(column_type)) is not None:
                checks.append((attr.key, None, limit))
        _checks[mapper] = checks
    return checks


def check_row(obj) -> None:
    state = inspect(obj)
    for key, length, limit in _checks_for(state.mapper):
        added = state.attrs[key].history.added
        if not added or added[0] is None:
            continue
        value = added[0]
        if isinstance(value, str):
            if length is not None and len(value) > length:
                raise Problem(422, f"{key} is too long (at most {length} characters).",
                              errors={key: [f"At most {length} characters."]})
            if forbidden_text(value):
                raise Problem(422, f"{key} holds a NUL character or a lone surrogate.",
                              errors={key: ["Contains a NUL character or a lone surrogate."]})
        elif limit is not None and isinstance(value, int) and not isinstance(value, bool) \
                and not -limit <= value < limit:
            raise Problem(422, f"{key} is out of range.", errors={key: ["Number out of range."]})


@event.listens_for(Session, "before_flush")
def _check_values(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        check_row(obj)
