"""Queueing a mail: a row in the outbox, in the caller's transaction; delivery starts after the commit.

With Redis the `mail` queue's job runs at once on a mail worker; without Redis the outbox is delivered
right after the response has gone out (or right away outside a request: the CLI, a job, the sweep).
Either way nothing is sent unless the transaction that queued it commits.
"""
from __future__ import annotations

import logging

from flask import current_app, g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gallery.core.queues import get_queue, job_meta
from gallery.core.request_ids import current_request_id
from gallery.core.transaction import after_commit
from gallery.extensions import db
from gallery.mail.compose import Brand, Rendered, build, display_name, mail_language, render
from gallery.mail.models import OutboxMail

log = logging.getLogger(__name__)

JOB = "workers.mail.deliver_outbox"  # enqueued by name: no domain imports workers/
_KICK_PENDING = "gallery.mail.kick"
_PENDING_AFTER_RESPONSE = "_gallery_mail_after_response"
_RESPONDED = "_gallery_mail_responded"
REQUEST_ID_HEADER = "X-Request-ID"


def queue(template: str, *, to: str, language: str | None, context: dict, brand: Brand | None = None,
          to_name: str | None = None, reply_to: str | None = None, headers: dict[str, str] | None = None,
          photographer_id: str | None = None, dedupe_key: str | None = None) -> OutboxMail:
    """Render `mail/<template>` in the recipient's `language` and put it in the outbox (flushed, not
    committed: it leaves when the caller's transaction commits)."""
    language = mail_language(language)
    rendered = render(template, language, {"brand": brand, **context})
    return queue_rendered(rendered, kind=template, to=to, to_name=to_name, language=language, brand=brand,
                          reply_to=reply_to, headers=headers, photographer_id=photographer_id,
                          dedupe_key=dedupe_key)


def queue_rendered(rendered: Rendered, *, kind: str, to: str, language: str, brand: Brand | None = None,
                   to_name: str | None = None, reply_to: str | None = None, headers: dict[str, str] | None = None,
                   photographer_id: str | None = None, dedupe_key: str | None = None) -> OutboxMail:
    """Queue a mail its domain rendered itself (from its own templates, e.g. retention's).

    The id of the request (or job) being served goes with it: into the row (the delivery's log lines repeat
    it) and into the message as `X-Request-ID`, so a mail traces back to what caused it."""
    request_id = current_request_id()
    if request_id:
        headers = {**(headers or {}), REQUEST_ID_HEADER: request_id}
    sender, content = build(to=to, to_name=to_name, subject=rendered.subject, text=rendered.text,
                            html=rendered.html, language=mail_language(language), brand=brand, reply_to=reply_to,
                            headers=headers)
    row = OutboxMail(kind=kind, photographer_id=photographer_id, dedupe_key=dedupe_key, envelope_from=sender,
                     to_email=to.strip(), subject=display_name(rendered.subject, limit=300), content=content,
                     request_id=request_id)
    if dedupe_key is None:
        db.session.add(row)  # inserted with the caller's other rows at the next flush
    else:
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # queued before (a retried job): keep the first
            return db.session.scalar(select(OutboxMail).where(OutboxMail.dedupe_key == dedupe_key))
    kick_after_commit()
    return row


def kick_after_commit() -> None:
    """Start delivery once the caller's transaction commits (once per transaction, however many mails)."""
    if not db.session.info.get(_KICK_PENDING):
        db.session.info[_KICK_PENDING] = True
        after_commit(_kick)


@event.listens_for(Session, "after_rollback")
def _forget_kick(session: Session) -> None:
    session.info.pop(_KICK_PENDING, None)


def _kick() -> None:
    db.session.info.pop(_KICK_PENDING, None)
    app = current_app._get_current_object()
    if app.config["GALLERY"].redis_url:
        enqueue_delivery()
    elif has_request_context() and not g.get(_RESPONDED):
        setattr(g, _PENDING_AFTER_RESPONSE, True)  # see init_app: after the response has gone out
    else:
        deliver_in_own_context(app)


def enqueue_delivery(delay_seconds: int | None = None) -> None:
    """Hand the outbox to a mail worker (RQ queue `mail`), now or after a delay; the job logs under the id
    of the request that queued the mail (its meta), each mail's lines under that mail's own."""
    mail_queue = get_queue("mail")
    if delay_seconds:
        from datetime import timedelta

        mail_queue.enqueue_in(timedelta(seconds=delay_seconds), JOB, job_timeout=600, meta=job_meta())
    else:
        mail_queue.enqueue(JOB, job_timeout=600, meta=job_meta())


def deliver_in_own_context(app) -> None:
    """Deliver what is due in a fresh app context (its own session, never the request's)."""
    from gallery.mail.delivery import deliver_due

    with app.app_context():
        try:
            deliver_due()
        except Exception:  # noqa: BLE001 - the rows stay queued; the next kick or the periodic job retries
            log.exception("mail delivery failed")
        finally:
            db.session.remove()


def init_app(app) -> None:
    """Without Redis, a request that queued mail delivers it once its response is sent (WSGI close)."""

    @app.after_request
    def _deliver_after_response(response):
        setattr(g, _RESPONDED, True)
        if g.pop(_PENDING_AFTER_RESPONSE, False):
            response.call_on_close(lambda: deliver_in_own_context(app))
        return response
