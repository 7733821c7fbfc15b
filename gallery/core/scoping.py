"""Owner-scoped lookups: the one way services fetch a row by id for a photographer."""
from sqlalchemy import select

from gallery.errors import Problem
from gallery.extensions import db


def get_owned(model, row_id: str, *, detail: str, **scope):
    """The row of `model` with this id whose columns match `scope` (e.g. photographer_id=...), else 404.

    Someone else's row answers exactly like a missing one, so ids reveal nothing.
    """
    stmt = select(model).where(model.id == row_id, *[getattr(model, name) == value for name, value in scope.items()])
    row = db.session.scalar(stmt)
    if row is None:
        raise Problem(404, detail)
    return row
