"""One owner of the transaction.

Services only flush. The request (or the job wrapper, or a CLI command) commits once with `commit()`,
which then runs what was queued with `after_commit()`: side effects that must not happen unless the
commit did (enqueueing a job, waking the mail worker). A rollback drops the queue.

The request's commit is `commit_request` (an after-request hook, installed by `install`): a successful answer
commits, an error answer rolls back, unless the service marked what it wrote as `keep_on_error()` (a wrong
one-time code still counts as an attempt). A read-only route (`read_only()`) neither begins nor commits.
"""
from __future__ import annotations

import logging
from typing import Callable

from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import Session

from gallery.extensions import db

log = logging.getLogger(__name__)
_PENDING = "gallery.after_commit"
_KEEP = "gallery.keep_on_error"
_WROTE = "gallery.wrote"


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


def keep_on_error() -> None:
    """What the session holds must be committed even if the request answers with an error."""
    db.session.info[_KEEP] = True


def read_only() -> None:
    """This request writes nothing: its end neither commits nor rolls back (its reads ran in autocommit)."""
    g.gallery_read_only = True


def commit_request(response):
    """After-request hook: commit once when the answer is a success (or the service asked to keep its writes),
    roll back otherwise, then run what was queued for after the commit."""
    if g.get("gallery_read_only"):
        return response
    session = db.session()
    if not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted
            or session.info.get(_PENDING)):
        return response  # a request that only read: nothing to commit (the teardown ends its transaction)
    keep = session.info.pop(_KEEP, False)
    if response.status_code < 400 or keep:
        commit()
    else:
        session.rollback()
    return response


def install(app: Flask) -> None:
    app.after_request(commit_request)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_write(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _written(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended (a savepoint's end changes nothing)
        session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_KEEP, None)
    session.info.pop(_WROTE, None)
