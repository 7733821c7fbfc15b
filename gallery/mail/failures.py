"""A studio's failed mail: the ones the server refused for good, that ran out of retries or were interrupted
in doubt. The studio sends one again (back into the outbox, through the same delivery path) or dismisses it.

Scoped to the studio the mail was sent for; another studio's mail answers 404 like a missing one.
"""
from __future__ import annotations

from sqlalchemy import and_

from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db
from gallery.mail.models import OutboxMail
from gallery.mail.outbox import kick_after_commit


def failed_for(photographer_id: str):
    """The one rule for "a mail of this studio failed and waits on it" (a SQL condition)."""
    return and_(OutboxMail.photographer_id == photographer_id, OutboxMail.status == "failed")


def _failed(photographer_id: str, mail_id: str) -> OutboxMail:
    row = get_owned(OutboxMail, mail_id, detail="No such mail.", photographer_id=photographer_id)
    if row.status != "failed":
        raise Problem(409, f"Only a failed mail can be sent again or dismissed; this one is {row.status}.")
    return row


def retry(photographer_id: str, mail_id: str) -> OutboxMail:
    """Queue a failed mail again with a fresh set of attempts; it leaves after the commit."""
    row = _failed(photographer_id, mail_id)
    row.status, row.attempts, row.next_attempt_at, row.claim, row.claimed_at = "queued", 0, clock.now(), None, None
    db.session.flush()
    kick_after_commit()
    return row


def dismiss(photographer_id: str, mail_id: str) -> OutboxMail:
    """The studio will not send it again (it wrote to the client another way): no longer listed as failed."""
    row = _failed(photographer_id, mail_id)
    row.status = "dismissed"
    db.session.flush()
    return row
