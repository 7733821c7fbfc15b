"""Delivering the outbox: claim a batch, send it over one SMTP connection, record each outcome.

- Claims are exclusive: one UPDATE moves a batch from 'queued' to 'sending' under a fresh token
  (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers), so any number of mail workers
  can drain the outbox in parallel and none sends a mail another one took.
- At most once: a mail the server refused, or that never reached the DATA stage, is known not to have
  left: a temporary refusal (4xx, no connection) is retried with backoff, a permanent one (5xx) fails
  at once. A connection lost after the content was sent leaves the mail in doubt: it fails with that
  reason and is never resent. A claim whose worker died is failed after a lease, for the same reason.
- One connection per batch; a broken one is reopened once for the rest of the batch.
- Each outcome is logged per mail under the id of the request (or job) that queued it, and counted in the
  `gallery_mails_total{result=sent|failed}` metric (retries are counted when they end).
"""
from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update

from gallery.core import clock
from gallery.core.ids import new_id
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.mail.models import OutboxMail
from gallery.observability.metrics import MAILS

log = logging.getLogger(__name__)

BATCH = 200
CLAIM_LEASE = timedelta(minutes=15)  # far longer than a batch takes
# Seconds to wait before each retry; after the last one the mail fails (about ten hours in all).
BACKOFF = (15, 60, 300, 900, 3600, 2 * 3600, 6 * 3600)
KEEP_SENT = timedelta(days=30)
SMTP_TIMEOUT = 30


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    batches: int = 0

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed, "batches": self.batches}


@dataclass
class _Outcomes:
    sent: list[str] = field(default_factory=list)
    retry: list[tuple[str, int, str]] = field(default_factory=list)  # id, attempts so far, error
    failed: list[tuple[str, str]] = field(default_factory=list)  # id, reason


class TemporaryFailure(Exception):
    """The server did not take the mail and may later (4xx, or no connection): retry with backoff."""


class PermanentFailure(Exception):
    """The server refused the mail for good (5xx): do not retry."""


class InDoubt(Exception):
    """The content went out but no answer came back: the mail may have been delivered; never resend."""


def deliver_due(max_batches: int | None = None) -> DeliveryResult:
    """Deliver every due mail, batch after batch, until the outbox has nothing due (or max_batches)."""
    result = DeliveryResult()
    fail_stalled()
    while max_batches is None or result.batches < max_batches:
        batch = claim(BATCH)
        if not batch:
            break
        result.batches += 1
        outcomes = _send(batch)
        _record(outcomes, batch)
        result.sent += len(outcomes.sent)
        result.retrying += len(outcomes.retry)
        result.failed += len(outcomes.failed)
    return result


def claim(limit: int) -> list:
    """Take up to `limit` due mails for this worker (committed before anything is sent)."""
    now = clock.now()
    due = (select(OutboxMail.id).where(OutboxMail.status == "queued", OutboxMail.next_attempt_at <= now)
           .order_by(OutboxMail.next_attempt_at).limit(limit))
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    token = new_id()
    rows = db.session.execute(
        update(OutboxMail).where(OutboxMail.id.in_(due.scalar_subquery()), OutboxMail.status == "queued")
        .values(status="sending", claim=token, claimed_at=now, attempts=OutboxMail.attempts + 1)
        .returning(OutboxMail.id, OutboxMail.envelope_from, OutboxMail.to_email, OutboxMail.content,
                   OutboxMail.attempts, OutboxMail.kind, OutboxMail.request_id)
        .execution_options(synchronize_session=False)).all()
    commit()  # the exclusive claim is durable before any SMTP talk: no other worker sends these
    return rows


def _send(batch: list) -> _Outcomes:
    settings = current_app.config["GALLERY"]
    if settings.mail_backend == "smtp":
        return _send_smtp(batch, settings)
    return _write_files(batch, Path(settings.mail_dir))


def _write_files(batch: list, folder: Path) -> _Outcomes:
    """The embedded default: each mail as an .eml file (what `make run` shows instead of sending)."""
    outcomes = _Outcomes()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{clock.now():%Y%m%dT%H%M%S}"
    for row in batch:
        (folder / f"{stamp}-{row.id}.eml").write_bytes(row.content)
        outcomes.sent.append(row.id)
    return outcomes


def _send_smtp(batch: list, settings) -> _Outcomes:
    outcomes = _Outcomes()
    connection = None
    reconnected = False
    for index, row in enumerate(batch):
        try:
            if connection is None:
                connection = _connect(settings)
            _transmit(connection, row.envelope_from, row.to_email, row.content)
            outcomes.sent.append(row.id)
        except PermanentFailure as error:
            outcomes.failed.append((row.id, f"refused by the mail server: {error}"))
        except InDoubt as error:
            outcomes.failed.append((row.id, f"interrupted after sending; it may have been delivered: {error}"))
            _close(connection)
            connection = None
        except (TemporaryFailure, smtplib.SMTPException, OSError) as error:
            outcomes.retry.append((row.id, row.attempts, _describe(error)))
            broken = connection is None or not isinstance(error, TemporaryFailure)
            if broken:
                _close(connection)
                connection = None
                if reconnected:  # the server is gone: the rest of the batch waits for its retry
                    for rest in batch[index + 1:]:
                        outcomes.retry.append((rest.id, rest.attempts, _describe(error)))
                    break
                reconnected = True
    _quit(connection)
    return outcomes


def _connect(settings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    try:
        connection.ehlo()
        if settings.smtp_starttls:
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if settings.smtp_user:
            connection.login(settings.smtp_user, settings.smtp_password or "")
    except smtplib.SMTPResponseException as error:
        _close(connection)
        if 500 <= error.smtp_code < 600 and error.smtp_code != 530:
            raise OSError(f"{error.smtp_code} {error.smtp_error!r}") from None  # configuration: retry later
        raise
    except Exception:
        _close(connection)
        raise
    return connection


_LINE_ENDS = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _transmit(connection: smtplib.SMTP, sender: str, recipient: str, content: bytes) -> None:
    """MAIL, RCPT, DATA by hand, so a failure is known to be before or after the content went out."""
    for command, accepted in ((lambda: connection.mail(sender), (250,)),
                              (lambda: connection.rcpt(recipient), (250, 251)),
                              (lambda: connection.docmd("DATA"), (354,))):
        code, reply = command()
        if code not in accepted:
            _reset(connection)
            _refused(code, reply)
    data = _LEADING_DOT.sub(b"..", _LINE_ENDS.sub(b"\r\n", content))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    try:
        connection.send(data + b".\r\n")
        code, reply = connection.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        raise InDoubt(_describe(error)) from None
    if code != 250:
        _refused(code, reply)


def _refused(code: int, reply: bytes) -> None:
    text = f"{code} {reply.decode('utf-8', 'replace')[:200]}"
    if 500 <= code < 600:
        raise PermanentFailure(text)
    raise TemporaryFailure(text)


def _reset(connection: smtplib.SMTP) -> None:
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        pass


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        try:
            connection.close()
        except OSError:
            pass
    return None


def _quit(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            _close(connection)


def _describe(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:300]


def _record(outcomes: _Outcomes, batch: list) -> None:
    """Write the batch's outcomes in a few set-based statements, then log and count each mail."""
    now = clock.now()
    if outcomes.sent:
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(outcomes.sent))
                           .values(status="sent", sent_at=now, claim=None, last_error=None)
                           .execution_options(synchronize_session=False))
    retry_at: dict[tuple[int, str], list[str]] = defaultdict(list)
    for mail_id, attempts, error in outcomes.retry:
        if attempts > len(BACKOFF):
            outcomes.failed.append((mail_id, f"gave up after {attempts} attempts: {error}"))
        else:
            retry_at[(attempts, error)].append(mail_id)
    for (attempts, error), ids in retry_at.items():
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids))
                           .values(status="queued", claim=None, last_error=error,
                                   next_attempt_at=now + timedelta(seconds=BACKOFF[attempts - 1]))
                           .execution_options(synchronize_session=False))
    failed: dict[str, list[str]] = defaultdict(list)
    for mail_id, reason in outcomes.failed:
        failed[reason[:500]].append(mail_id)
    for reason, ids in failed.items():
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids))
                           .values(status="failed", claim=None, last_error=reason)
                           .execution_options(synchronize_session=False))
    commit()  # the batch's outcomes, before they are reported
    _report(outcomes, {row.id: row for row in batch}, retry_at)


def _report(outcomes: _Outcomes, rows: dict, retry_at: dict[tuple[int, str], list[str]]) -> None:
    """One log line per mail, under the request id that queued it; the sent and failed counters."""
    def line(level: int, message: str, mail_id: str, **extra) -> None:
        row = rows.get(mail_id)
        log.log(level, message, extra={"mail_id": mail_id, "kind": row.kind if row else None,
                                       "request_id": row.request_id if row else None, **extra})

    for mail_id in outcomes.sent:
        line(logging.INFO, "mail sent", mail_id)
    for (attempts, error), ids in retry_at.items():
        for mail_id in ids:
            line(logging.INFO, "mail deferred", mail_id, attempts=attempts, error=error)
    for mail_id, reason in outcomes.failed:
        line(logging.WARNING, "mail failed", mail_id, error=reason[:500])
    if outcomes.sent:
        MAILS.labels("sent").inc(len(outcomes.sent))
    if outcomes.failed:
        MAILS.labels("failed").inc(len(outcomes.failed))


def fail_stalled() -> int:
    """Claims older than the lease (their worker died mid-batch): failed, never resent, since any of
    them may have reached the server."""
    now = clock.now()
    reason = "delivery interrupted (the mail worker stopped); it may have been delivered"
    stalled = db.session.execute(
        update(OutboxMail).where(OutboxMail.status == "sending", OutboxMail.claimed_at < now - CLAIM_LEASE)
        .values(status="failed", claim=None, last_error=reason)
        .returning(OutboxMail.id, OutboxMail.kind, OutboxMail.request_id)
        .execution_options(synchronize_session=False)).all()
    commit()  # failed for good before reporting: never resent
    if stalled:
        _report(_Outcomes(failed=[(row.id, reason) for row in stalled]), {row.id: row for row in stalled}, {})
    return len(stalled)


def purge_sent() -> int:
    """Forget mail sent more than KEEP_SENT ago (a daily job: the outbox is not an archive)."""
    removed = db.session.execute(
        delete(OutboxMail).where(OutboxMail.status == "sent", OutboxMail.sent_at < clock.now() - KEEP_SENT)
        .execution_options(synchronize_session=False)).rowcount or 0
    commit()
    return removed
