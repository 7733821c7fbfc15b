"""Writing planned messages to the outbox once: inserts that skip a dedupe key already taken."""
from __future__ import annotations

import logging


from gallery.core.queries import prebuilt
from gallery.extensions import db
from gallery.retention.models import Message

log = logging.getLogger(__name__)


def insert_ignoring_duplicates(rows: list[dict]) -> int:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING for many rows; returns how many were new."""
    if not rows:
        return 0
    columns = [column.key for column in Message.__table__.columns]
    rows = [{key: row.get(key) for key in columns} for row in rows]  # one shape for every row
    if db.engine.dialect.name == "postgresql":
        return _copy_ignoring_duplicates(columns, rows)
    from sqlalchemy.dialects.sqlite import insert as dialect_insert

    # One cached statement run as executemany (batched into multi-row INSERTs by SQLAlchemy).
    stmt = prebuilt(("insert-messages",), lambda: dialect_insert(Message)
                      .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Message.id))
    return len(db.session.execute(stmt, rows).all())


STAGING = "retention_messages_staging"  # a session-local temporary table


def _copy_ignoring_duplicates(columns: list[str], rows: list[dict]) -> int:
    """PostgreSQL: COPY the rows into a session-local staging table, then one INSERT ... SELECT ... ON CONFLICT.

    A sweep re-plans every message still due (tens of thousands at a million clients); as multi-row
    INSERTs, building and parsing the statements cost seconds, while COPY streams them in milliseconds."""
    from psycopg.types.json import Jsonb

    connection = db.session.connection()
    connection.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (LIKE {Message.__tablename__}) "
                               "ON COMMIT DELETE ROWS")
    listed = ", ".join(columns)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {STAGING} ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([Jsonb(row[key]) if key == "context" else row[key] for key in columns])
    inserted = connection.exec_driver_sql(
        f"INSERT INTO {Message.__tablename__} ({listed}) SELECT {listed} FROM {STAGING} "
        "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id").all()
    connection.exec_driver_sql(f"DELETE FROM {STAGING}")  # a second plan in this transaction starts empty
    return len(inserted)
