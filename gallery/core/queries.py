"""Query helpers that differ between PostgreSQL and SQLite."""
from sqlalchemy import exists, func, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from gallery.extensions import db


def json_array_contains(column, value):
    """`value in column` for a JSON array column, as an indexable SQL predicate."""
    if db.engine.dialect.name == "postgresql":
        return type_coerce(column, JSONB).contains([value])
    each = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == value))


# Statements built once per shape and run with bind parameters: on hot paths (a share page, the hourly
# sweep) building a Select and hashing it for SQLAlchemy's compiled cache costs more than running it.
_prebuilt: dict = {}


def prebuilt(key: tuple, build):
    """The statement `build()` makes, built once per dialect and `key` (which names its shape)."""
    key = (db.engine.dialect.name, *key)
    statement = _prebuilt.get(key)
    if statement is None:
        statement = _prebuilt[key] = build()
    return statement
