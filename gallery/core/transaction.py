"""One owner of the transaction.

Services only flush. The request (or the job wrapper, or a CLI command) commits once with `commit()`,
which then runs what was queued with `after_commit()`: side effects that must not happen unless the
commit did (enqueueing a job, waking the mail worker). A rollback drops the queue.
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from gallery.extensions import db

log = logging.getLogger(__name__)
_PENDING = "gallery.after_commit"


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback()` after the current transaction commits; never if it rolls back."""
    db.session.info.setdefault(_PENDING, []).append(callback)


def commit() -> None:
    """Commit the session, then run the callbacks queued for after the commit, in order.

    A failing callback is logged and does not undo the commit nor stop the others: what it was
    for (a job, a mail) must already be recorded durably in the committed rows.
    """
    db.session.commit()
    run_after_commit()


def run_after_commit() -> None:
    while callbacks := db.session.info.pop(_PENDING, None):
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - the commit stands; the durable record lets it be retried
                log.exception("after-commit callback %r failed", callback)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
