"""Sending what is due: suppress what may no longer go out, claim the rest (one winner among concurrent
sweeps), deliver in the client's local morning, and take back claims a lost mail job left behind."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, select, tuple_, update
from sqlalchemy.orm import aliased

from gallery.accounts.models import Photographer
from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.queues import enqueue
from gallery.core.transaction import commit
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention import schedule, words
from gallery.retention.delivery import deliver, prefetch
from gallery.retention.models import Message, RetentionRule, Unsubscribe
from gallery.retention.planners import SUPERSEDED_BY

log = logging.getLogger(__name__)

SEND_BATCH = 500
RENDER_CHUNK = 100  # messages rendered into the mail outbox per transaction
# How long a claimed message may wait for its mail job before the sweep takes it back: far longer than
# a mail queue takes to drain (the sweep runs hourly).
CLAIM_LEASE = timedelta(hours=1)


@dataclass
class SweepResult:
    planned: int = 0
    sent: int = 0
    suppressed: int = 0
    rescheduled: int = 0
    failed: int = 0
    enqueued: int = 0  # handed to mail workers (when Redis is configured)
    recovered: int = 0  # claims a lost mail job left behind, back in the outbox
    digests: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _suppress(now: datetime) -> int:
    """Set-based: mark due messages that may not go out any more."""
    due = and_(Message.status == "queued", Message.send_after <= now)
    unsubscribed = exists(select(Unsubscribe.id).join(Client, Client.email == Unsubscribe.email)
                          .where(Client.id == Message.client_id, Unsubscribe.photographer_id == Message.photographer_id))
    no_consent = ~exists(select(Client.id).where(Client.id == Message.client_id, Client.marketing_consent.is_(True),
                                                 Client.email.is_not(None)))
    rule_off = exists(select(RetentionRule.id).where(RetentionRule.photographer_id == Message.photographer_id,
                                                     RetentionRule.kind == Message.rule,
                                                     RetentionRule.enabled.is_(False)))
    expiry_moved = ~exists(select(Gallery.id).where(Gallery.id == Message.gallery_id, Gallery.status == "published",
                                                    Gallery.expires_at == Message.anchor_at,
                                                    Gallery.expires_at > now))
    reasons = [
        ("no marketing consent", and_(Message.category == "marketing", no_consent)),
        ("unsubscribed", and_(Message.category.in_(("marketing", "service")), unsubscribed)),
        ("rule switched off", rule_off),
        ("gallery expiry changed", and_(Message.rule == "expiry", expiry_moved)),
    ]
    for rule, kinds in SUPERSEDED_BY.items():
        later = aliased(Event)
        reasons.append(("client acted since", and_(Message.rule == rule, exists(select(later.id).where(
            later.client_id == Message.client_id, later.kind.in_(kinds), later.ts > Message.anchor_at,
            later.ts <= now)))))
    count = 0
    for reason, condition in reasons:
        count += db.session.execute(update(Message).where(due, condition)
                                    .values(status="suppressed", status_reason=reason)
                                    .execution_options(synchronize_session=False)).rowcount or 0
    commit()  # a step of the sweep: suppressed before anything is claimed
    return count


def _claim(message_ids: list[str]) -> list[str]:
    """Atomically take queued messages for this sweep; a concurrent sweep gets the others (or none)."""
    if not message_ids:
        return []
    claimed = list(db.session.scalars(update(Message).where(Message.id.in_(message_ids), Message.status == "queued")
                                      .values(status="sending", claimed_at=clock.now()).returning(Message.id)
                                      .execution_options(synchronize_session=False)))
    commit()  # the exclusive claim is durable before delivery: a concurrent sweep takes the others
    return claimed


def send_due(now: datetime | None = None, result: SweepResult | None = None) -> SweepResult:
    now = now or clock.now()
    result = result or SweepResult()
    if db.session.scalar(select(Message.id).where(Message.status == "queued", Message.send_after <= now).limit(1)) is None:
        return result  # the common case of an hourly sweep: nothing is due
    result.suppressed += _suppress(now)
    from gallery.retention import pacing

    result.suppressed += pacing.expire_stale(now)  # an occasion that is over is not mailed late
    result.rescheduled += pacing.cap_marketing(now)  # one marketing mail a client a day, the most relevant
    after = None  # keyset: each batch starts past the last one, not over the index entries it just claimed
    while True:
        stmt = (select(Message.id, Message.send_after,
                       func.coalesce(Client.timezone, Photographer.timezone).label("timezone"))
                .outerjoin(Client, Client.id == Message.client_id)
                .join(Photographer, Photographer.id == Message.photographer_id)
                .where(Message.status == "queued", Message.send_after <= now))
        if after is not None:
            stmt = stmt.where(tuple_(Message.send_after, Message.id) > tuple_(*after))
        due = db.session.execute(stmt.order_by(Message.send_after, Message.id).limit(SEND_BATCH)).all()
        if not due:
            return result
        after = (due[-1].send_after, due[-1].id)
        ready = []
        for row in due:
            if schedule.in_window(now, row.timezone):
                ready.append(row.id)
                continue
            # Missed today's window (the sweep was down, or the plan came late): next local morning.
            db.session.execute(update(Message).where(Message.id == row.id, Message.status == "queued")
                               .values(send_after=schedule.next_window_start(now, row.timezone))
                               .execution_options(synchronize_session=False))
            result.rescheduled += 1
        claimed = _claim(ready)
        if claimed and current_app.config["GALLERY"].redis_url:
            # Mail workers deliver in parallel; the sweep itself stays a few set-based statements.
            enqueue("workers.retention.deliver_messages", claimed, now.isoformat(), queue="mail")
            result.enqueued += len(claimed)
        else:
            sent, failed = deliver_claimed(claimed, now)
            result.sent += sent
            result.failed += failed
        if len(due) < SEND_BATCH:
            return result


def deliver_claimed(message_ids: list[str], now: datetime) -> tuple[int, int]:
    """Render messages this process claimed ('sending') into the mail outbox; returns (queued, failed).

    A chunk at a time, in one transaction: the mark of each message's one attempt (exclusive: two workers
    handed the same ids never both take one), its coupon, its mail in the outbox and its 'sent' status
    commit together. A crash leaves the chunk claimed and unattempted, and the sweep takes it back; the
    mail job delivers the outbox after the commit (batched, retried, at most once)."""
    sent = failed = 0
    for start in range(0, len(message_ids), RENDER_CHUNK):
        chunk = message_ids[start:start + RENDER_CHUNK]
        attempted = _mark_attempts(chunk)
        try:
            with db.session.no_autoflush, words.wordings_remembered():  # the chunk's rows go out together
                queued = sum(1 for message in prefetch(attempted, now) if deliver(message, now))
            commit()
            sent += queued
            continue
        except Exception:  # noqa: BLE001 - one bad message must not stop the outbox: redo it one by one
            log.warning("retention: a chunk of %d failed; delivering it message by message", len(chunk))
            db.session.rollback()
        for message_id in _mark_attempts(chunk):
            try:
                queued = deliver(db.session.get(Message, message_id), now)
                commit()
                sent += int(queued)
            except Exception:  # noqa: BLE001
                log.exception("retention message %s failed", message_id)
                db.session.rollback()
                db.session.execute(update(Message).where(Message.id == message_id)
                                   .values(status="failed", status_reason="delivery error", attempted_at=clock.now())
                                   .execution_options(synchronize_session=False))
                commit()
                failed += 1
    return sent, failed


def _mark_attempts(message_ids: list[str]) -> list[str]:
    return list(db.session.scalars(
        update(Message).where(Message.id.in_(message_ids), Message.status == "sending", Message.attempted_at.is_(None))
        .values(attempted_at=clock.now()).returning(Message.id).execution_options(synchronize_session=False)))


def recover_stalled(now: datetime) -> tuple[int, int]:
    """Messages left in 'sending' by a crashed or lost mail job, a lease after their claim.

    Never attempted: back to the outbox (the next send step re-checks consent and the local morning).
    Attempted but unfinished: 'failed' with the reason, because the mail may have left, and a message
    twice is worse than a message missing. Returns (requeued, failed)."""
    stale = now - CLAIM_LEASE
    requeued = db.session.execute(
        update(Message).where(Message.status == "sending", Message.attempted_at.is_(None), Message.claimed_at < stale)
        .values(status="queued", claimed_at=None).execution_options(synchronize_session=False)).rowcount or 0
    failed = db.session.execute(
        update(Message).where(Message.status == "sending", Message.attempted_at < stale)
        .values(status="failed", status_reason="delivery interrupted; it may not have reached the client")
        .execution_options(synchronize_session=False)).rowcount or 0
    commit()  # recovered (or failed for good) before this sweep sends anything
    if requeued or failed:
        log.warning("retention: %d stalled messages back in the outbox, %d interrupted marked failed",
                    requeued, failed)
    return requeued, failed
