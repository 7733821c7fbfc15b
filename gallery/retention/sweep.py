"""The sweep: plan what is due with set-based SQL, then send what is due now.

plan(now)  one query per rule (per group of photographers sharing settings) selects every
           candidate; rows go into the outbox with INSERT ... ON CONFLICT (dedupe_key) DO NOTHING,
           so a repeated or concurrent sweep plans nothing twice.
send(now)  set-based UPDATEs suppress what may no longer go out (consent, unsubscribe, superseded
           by newer activity, rule switched off); each remaining due message is claimed with
           `UPDATE ... WHERE status='queued'` (one winner among concurrent sweeps) and sent in the
           client's local 09:00-11:00 window, in the client's language.

Dates that return yearly or follow a timestamp by whole days are compared as UTC calendar dates;
a message for due date D is scheduled at 09:00 on D in the client's timezone.
"""
from __future__ import annotations

import logging
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Date, and_, bindparam, exists, func, or_, select, tuple_, update
from sqlalchemy.orm import aliased

from gallery.accounts.models import Photographer
from gallery.clients.models import Client, ImportantDate
from gallery.core import clock
from gallery.core.ids import new_id
from gallery.core.queries import prebuilt
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention import schedule
from gallery.retention.models import Message, RetentionRule, Unsubscribe
from gallery.retention.rules import CATEGORIES, rule_groups, stored_rules

log = logging.getLogger(__name__)

# What counts as a client coming back: their own actions, not our mail landing in their inbox.
ENGAGEMENT_KINDS = ("gallery_viewed", "photo_viewed", "favourited", "unfavourited", "selection_submitted",
                    "downloaded", "zip_downloaded", "shared", "cart_updated", "order_placed", "order_paid",
                    "commented", "feedback_given", "email_clicked", "visitor_identified")
# A queued message is dropped when one of these happened after its anchor: the client already acted.
SUPERSEDED_BY = {
    # An order does not silence the favourites prompt: the photos decide (retention.mail_facts), so one
    # print ordered after ten favourites still leaves nine to mention.
    "favourites": ("favourited",),
    "reorder": ("order_placed",),
    "abandoned_cart": ("cart_updated", "order_placed"),
    "dormant": ENGAGEMENT_KINDS,
}
GRACE_DAYS = 3  # a sweep that was down for a few days still catches up; older dues are let go
SEND_BATCH = 500
# How long a claimed message may wait for its mail job before the sweep takes it back: far longer than
# a mail queue takes to drain (the sweep runs hourly).
CLAIM_LEASE = timedelta(hours=1)
EXPIRY_WINDOWS = 5  # at most five reminders before an expiry (the rule schema allows five)


@dataclass
class Candidate:
    photographer_id: str
    client_id: str | None
    rule: str
    dedupe_key: str
    due_at: datetime
    timezone: str | None
    gallery_id: str | None = None
    anchor_at: datetime | None = None
    context: dict = field(default_factory=dict)
    visitor_id: str | None = None


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


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def month_day(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "MM-DD")
    return func.strftime("%m-%d", column)




def _kinds(name: str):
    return bindparam(name, expanding=True)


def _photographers(column, mode: str):
    """Photographers of one settings group: `only` the listed ones, or the defaults group (all but them)."""
    ids = bindparam("photographer_ids", expanding=True)
    return column.in_(ids) if mode == "only" else column.not_in(ids)


def _later(kinds_param: str, client_col, ts_col):
    """EXISTS a later event (up to :now) of the kinds in `kinds_param` by the same client."""
    later = aliased(Event)
    return exists(select(later.id).where(later.client_id == client_col, later.kind.in_(_kinds(kinds_param)),
                                         later.ts > ts_col, later.ts <= bindparam("now")))


# ---------------------------------------------------------------- planning: one function per rule

def _plan_anniversary(settings, group, now):
    mode, ids = group
    today = now.date()
    lead = timedelta(days=settings["days_before"])
    targets = [today + timedelta(days=d) + lead for d in range(-GRACE_DAYS, 2)]
    params = {"photographer_ids": ids, "event_types": settings["event_types"], "date_kinds": settings["date_kinds"]}
    for n, target in enumerate(targets):
        params[f"md{n}"] = target.strftime("%m-%d")
        params[f"alt{n}"] = "02-29" if (target.month, target.day) == (2, 28) else params[f"md{n}"]
        params[f"year{n}"] = date(target.year, 1, 1)

    def matches(date_col, month_day_col=None):
        md = month_day(date_col) if month_day_col is None else month_day_col  # the stored column is indexed
        return or_(*[and_(md.in_([bindparam(f"md{n}"), bindparam(f"alt{n}")]),
                          date_col < bindparam(f"year{n}", type_=Date)) for n in range(len(targets))])

    def occurrence_of(original):
        return next(t for t in targets if schedule.occurrence(original, t.year) == t)

    galleries = prebuilt(("anniversary-galleries", mode), lambda: (
        select(Gallery.id, Gallery.photographer_id, Gallery.client_id, Gallery.shoot_date, Client.timezone)
        .join(Client, Client.id == Gallery.client_id)
        .where(_photographers(Gallery.photographer_id, mode), Gallery.shoot_date.is_not(None),
               Gallery.status != "draft", Gallery.event_type.in_(_kinds("event_types")),
               Client.email.is_not(None), matches(Gallery.shoot_date))))
    for row in db.session.execute(galleries, params):
        when = occurrence_of(row.shoot_date)
        yield Candidate(row.photographer_id, row.client_id, "anniversary", f"anniversary:g:{row.id}:{when.year}",
                        schedule.local_midnight(when - lead, row.timezone), row.timezone, gallery_id=row.id,
                        context={"occasion": "shoot", "years": when.year - row.shoot_date.year,
                                 "offer": settings.get("offer")})

    def dates_statement():
        # A client's own dates, unless a gallery of theirs from that very day already covers it.
        same_day_gallery = exists(select(Gallery.id).where(Gallery.client_id == ImportantDate.client_id,
                                                           Gallery.shoot_date == ImportantDate.date,
                                                           Gallery.event_type.in_(_kinds("event_types")),
                                                           Gallery.status != "draft"))
        return (select(ImportantDate.id, ImportantDate.kind, ImportantDate.date, Client.id.label("client_id"),
                       Client.photographer_id, Client.timezone)
                .join(Client, Client.id == ImportantDate.client_id)
                .where(_photographers(Client.photographer_id, mode), ImportantDate.kind.in_(_kinds("date_kinds")),
                       Client.email.is_not(None), matches(ImportantDate.date, ImportantDate.month_day),
                       ~same_day_gallery))

    for row in db.session.execute(prebuilt(("anniversary-dates", mode), dates_statement), params):
        when = occurrence_of(row.date)
        yield Candidate(row.photographer_id, row.client_id, "anniversary", f"anniversary:d:{row.id}:{when.year}",
                        schedule.local_midnight(when - lead, row.timezone), row.timezone,
                        context={"occasion": row.kind, "years": when.year - row.date.year,
                                 "offer": settings.get("offer")})


def _plan_followup(settings, group, now):
    mode, ids = group
    today, lag = now.date(), timedelta(days=settings["days_after"])
    stmt = prebuilt(("followup", mode), lambda: (
        select(Gallery.id, Gallery.photographer_id, Gallery.client_id, Gallery.published_at, Client.timezone)
        .join(Client, Client.id == Gallery.client_id)
        .where(_photographers(Gallery.photographer_id, mode), Gallery.status != "draft", Client.email.is_not(None),
               Gallery.published_at >= bindparam("lo"), Gallery.published_at < bindparam("hi"))))
    rows = db.session.execute(stmt, {"photographer_ids": ids,
                                     "lo": day_start(today - timedelta(days=GRACE_DAYS) - lag),
                                     "hi": day_start(today + timedelta(days=2) - lag)})
    for row in rows:
        due = as_utc(row.published_at).date() + lag
        yield Candidate(row.photographer_id, row.client_id, "followup", f"followup:{row.id}",
                        schedule.local_midnight(due, row.timezone), row.timezone, gallery_id=row.id)


def _plan_expiry(settings, group, now):
    mode, ids = group
    today = now.date()

    def build():
        # From the few galleries expiring in the window to their engaged clients (events by gallery index).
        return (select(Gallery.id, Gallery.photographer_id, Gallery.expires_at, Client.id.label("client_id"),
                       Client.timezone)
                .join(Event, and_(Event.gallery_id == Gallery.id, Event.kind.in_(_kinds("engagement"))))
                .join(Client, and_(Client.id == Event.client_id, Client.photographer_id == Gallery.photographer_id))
                .where(_photographers(Gallery.photographer_id, mode), Gallery.status == "published",
                       Client.email.is_not(None), Gallery.expires_at > bindparam("now"), _expiring())
                .group_by(Gallery.id, Gallery.photographer_id, Gallery.expires_at, Client.id, Client.timezone))

    def build_guests():
        # Guests who verified their email on the gallery and engaged, not known as a client: they get
        # the reminder in the studio's language and timezone.
        from gallery.proofing.models import Visitor

        return (select(Gallery.id, Gallery.photographer_id, Gallery.expires_at, Visitor.id.label("visitor_id"),
                       Photographer.timezone)
                .join(Photographer, Photographer.id == Gallery.photographer_id)
                .join(Visitor, and_(Visitor.gallery_id == Gallery.id, Visitor.client_id.is_(None),
                                    Visitor.verified_at.is_not(None)))
                .where(_photographers(Gallery.photographer_id, mode), Gallery.status == "published",
                       Gallery.expires_at > bindparam("now"),
                       _expiring(),
                       exists(select(Event.id).where(Event.gallery_id == Gallery.id, Event.visitor_id == Visitor.id,
                                                     Event.kind.in_(_kinds("engagement"))))))

    stmt = prebuilt(("expiry", mode), build)
    guests = prebuilt(("expiry-guests", mode), build_guests)
    # One query for all reminder offsets: expiring on the UTC date today+k or tomorrow+k (no grace:
    # a late 7-day reminder right before the 4-day one helps nobody). Unused windows are empty.
    offsets = sorted(set(settings["days_before"]))[:EXPIRY_WINDOWS]
    params = {"photographer_ids": ids, "engagement": ENGAGEMENT_KINDS, "now": now}
    for n in range(EXPIRY_WINDOWS):
        days = offsets[n] if n < len(offsets) else None
        params[f"lo{n}"] = day_start(today + timedelta(days=days)) if days is not None else now
        params[f"hi{n}"] = day_start(today + timedelta(days=days + 2)) if days is not None else now
    for statement in (guests, stmt):
        for row in db.session.execute(statement, params):
            expires_at = as_utc(row.expires_at)
            for days in offsets:
                due = expires_at.date() - timedelta(days=days)
                if not today <= due <= today + timedelta(days=1):
                    continue
                visitor_id = getattr(row, "visitor_id", None)
                recipient = f"v:{visitor_id}" if visitor_id else row.client_id
                yield Candidate(row.photographer_id, None if visitor_id else row.client_id, "expiry",
                                f"expiry:{row.id}:{expires_at.date()}:{days}:{recipient}",
                                schedule.local_midnight(due, row.timezone), row.timezone, gallery_id=row.id,
                                anchor_at=expires_at, context={"days_left": days}, visitor_id=visitor_id)


def _expiring():
    return or_(*[and_(Gallery.expires_at >= bindparam(f"lo{n}"), Gallery.expires_at < bindparam(f"hi{n}"))
                 for n in range(EXPIRY_WINDOWS)])


def _last_event_statement(mode):
    """Per client: the last event of :kinds in [:lo, :hi] that no event of :superseded followed (up to :now).
    The gallery reported is the newest one among them (ids sort by creation time)."""
    return (select(Event.client_id, func.max(Event.ts).label("anchor"), func.max(Event.gallery_id).label("gallery_id"),
                   Client.photographer_id, Client.timezone)
            .join(Client, Client.id == Event.client_id)
            .where(Event.kind.in_(_kinds("kinds")), _photographers(Event.photographer_id, mode),
                   Client.email.is_not(None), Event.ts >= bindparam("lo"), Event.ts <= bindparam("hi"),
                   ~_later("superseded", Event.client_id, Event.ts))
            .group_by(Event.client_id, Client.photographer_id, Client.timezone))


def _plan_after_last(rule, kinds, lag, group, now, *, offer=None):
    """Clients whose last event of `kinds` is `lag` old (within the grace window) and not superseded."""
    mode, ids = group
    rows = db.session.execute(prebuilt(("last-event", mode), lambda: _last_event_statement(mode)), {
        "photographer_ids": ids, "kinds": kinds, "superseded": SUPERSEDED_BY[rule], "now": now,
        "lo": now - lag - timedelta(days=GRACE_DAYS), "hi": now - lag})
    for row in rows:
        anchor = as_utc(row.anchor)
        yield Candidate(row.photographer_id, row.client_id, rule, f"{rule}:{row.client_id}:{anchor.isoformat()}",
                        anchor + lag, row.timezone, gallery_id=row.gallery_id, anchor_at=anchor,
                        context={"offer": offer})


def _plan_favourites(settings, group, now):
    """Clients whose last favourite is N days old and who have favourites they have not ordered."""
    from gallery.retention.mail_facts import clients_with_unordered_favourites

    candidates = list(_plan_after_last("favourites", ("favourited",), timedelta(days=settings["days_after"]),
                                       group, now, offer=settings.get("offer")))
    waiting = clients_with_unordered_favourites([c.client_id for c in candidates])
    yield from (c for c in candidates if c.client_id in waiting)


def _plan_abandoned_cart(settings, group, now):
    yield from _plan_after_last("abandoned_cart", ("cart_updated",), timedelta(hours=settings["hours_after"]),
                                group, now, offer=settings.get("offer"))


def _plan_reorder(settings, group, now):
    yield from _plan_after_last("reorder", ("order_paid",), timedelta(days=settings["days_after"]), group, now,
                                offer=settings.get("offer"))


def _plan_dormant(settings, group, now):
    """Clients whose last engagement's date plus N calendar months falls in the due window."""
    mode, ids = group
    months, today = settings["months"], now.date()
    first_due, last_due = today - timedelta(days=GRACE_DAYS), today + timedelta(days=1)
    # add_months is monotonic, so the anchors form one date range; find its ends exactly.
    low = schedule.add_months(first_due, -months) - timedelta(days=4)
    while schedule.add_months(low, months) < first_due:
        low += timedelta(days=1)
    high = schedule.add_months(last_due, -months) + timedelta(days=4)
    while schedule.add_months(high, months) > last_due:
        high -= timedelta(days=1)
    rows = db.session.execute(prebuilt(("last-event", mode), lambda: _last_event_statement(mode)), {
        "photographer_ids": ids, "kinds": ENGAGEMENT_KINDS, "superseded": ENGAGEMENT_KINDS, "now": now,
        "lo": day_start(low), "hi": day_start(high + timedelta(days=1)) - timedelta(microseconds=1)})
    for row in rows:
        anchor = as_utc(row.anchor)
        due = schedule.add_months(anchor.date(), months)
        yield Candidate(row.photographer_id, row.client_id, "dormant",
                        f"dormant:{row.client_id}:{anchor.date().isoformat()}",
                        schedule.local_midnight(due, row.timezone), row.timezone, anchor_at=anchor,
                        context={"offer": settings.get("offer"), "months": months})


PLANNERS = {
    "anniversary": _plan_anniversary,
    "followup": _plan_followup,
    "expiry": _plan_expiry,
    "favourites": _plan_favourites,
    "reorder": _plan_reorder,
    "abandoned_cart": _plan_abandoned_cart,
    "dormant": _plan_dormant,
}


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


def plan(now: datetime | None = None, kinds=None) -> int:
    """Write every message that is due (or due within a day) to the outbox; returns how many are new."""
    now = now or clock.now()
    rows = []
    stored = stored_rules()
    for kind, planner in PLANNERS.items():
        if kinds and kind not in kinds:
            continue
        for settings, group in rule_groups(kind, stored[kind]):
            for c in planner(settings, group, now):
                rows.append({
                    "id": new_id(), "photographer_id": c.photographer_id, "client_id": c.client_id,
                    "visitor_id": c.visitor_id,
                    "gallery_id": c.gallery_id, "rule": c.rule, "category": CATEGORIES[c.rule],
                    "dedupe_key": c.dedupe_key, "anchor_at": c.anchor_at, "due_at": c.due_at,
                    "send_after": schedule.next_window_start(c.due_at, c.timezone), "context": c.context,
                    "status": "queued", "created_at": now,
                })
    if not kinds or "campaign" in kinds:
        from gallery.retention.campaigns import plan_due

        rows.extend(plan_due(now))
    if not kinds or "loyalty" in kinds:
        from gallery.retention.loyalty import plan_moves

        rows.extend(plan_moves(now))
    if not rows:
        db.session.commit()  # tier holdings may have changed without a move up
        return 0
    inserted = insert_ignoring_duplicates(rows)
    db.session.commit()
    return inserted


# ---------------------------------------------------------------- sending

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
    db.session.commit()
    return count


def _claim(message_ids: list[str]) -> list[str]:
    """Atomically take queued messages for this sweep; a concurrent sweep gets the others (or none)."""
    if not message_ids:
        return []
    claimed = list(db.session.scalars(update(Message).where(Message.id.in_(message_ids), Message.status == "queued")
                                      .values(status="sending", claimed_at=clock.now()).returning(Message.id)
                                      .execution_options(synchronize_session=False)))
    db.session.commit()
    return claimed


def send_due(now: datetime | None = None, result: SweepResult | None = None) -> SweepResult:
    now = now or clock.now()
    result = result or SweepResult()
    if db.session.scalar(select(Message.id).where(Message.status == "queued", Message.send_after <= now).limit(1)) is None:
        return result  # the common case of an hourly sweep: nothing is due
    result.suppressed += _suppress(now)
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
            from workers.queues import enqueue
            from workers.retention import deliver_messages

            enqueue(deliver_messages, claimed, now.isoformat(), queue="mail")
            result.enqueued += len(claimed)
        else:
            sent, failed = deliver_claimed(claimed, now)
            result.sent += sent
            result.failed += failed
        if len(due) < SEND_BATCH:
            return result


def deliver_claimed(message_ids: list[str], now: datetime) -> tuple[int, int]:
    """Deliver messages this process claimed ('sending'); returns (sent, failed).

    Each message is committed on its own, after an atomic mark of its one attempt: a crash leaves at
    most the message in flight undecided, and two workers handed the same id never both send it."""
    from gallery.retention.delivery import NothingToSay, deliver

    sent = failed = 0
    for message_id in message_ids:
        attempt = db.session.execute(
            update(Message).where(Message.id == message_id, Message.status == "sending",
                                  Message.attempted_at.is_(None))
            .values(attempted_at=clock.now()).returning(Message.id)
            .execution_options(synchronize_session=False)).first()
        db.session.commit()
        if attempt is None:
            continue  # delivered, suppressed or taken by another worker meanwhile
        try:
            deliver(db.session.get(Message, message_id), now)
            db.session.commit()
            sent += 1
        except NothingToSay as reason:
            db.session.rollback()
            db.session.execute(update(Message).where(Message.id == message_id)
                               .values(status="suppressed", status_reason=str(reason)[:200])
                               .execution_options(synchronize_session=False))
            db.session.commit()
        except Exception:  # noqa: BLE001 - one bad message must not stop the outbox
            log.exception("retention message %s failed", message_id)
            db.session.rollback()
            db.session.execute(update(Message).where(Message.id == message_id)
                               .values(status="failed", status_reason="delivery error")
                               .execution_options(synchronize_session=False))
            db.session.commit()
            failed += 1
    return sent, failed


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
    db.session.commit()
    if requeued or failed:
        log.warning("retention: %d stalled messages back in the outbox, %d interrupted marked failed",
                    requeued, failed)
    return requeued, failed


def sweep(now: datetime | None = None) -> SweepResult:
    """One full sweep at `now` (the injected clock in tests, the real one in production)."""
    now = now or clock.now()
    # SQLite (the embedded, single-process default) cannot upgrade a stale read snapshot to a write,
    # so sweeps of one process take turns there; PostgreSQL sweeps run concurrently, kept apart by
    # the dedupe key and the status claim.
    serial = _sqlite_sweep_lock if db.engine.dialect.name == "sqlite" else nullcontext()
    with serial, clock.frozen(now):  # everything the sweep stamps (events, Date headers) reads this instant
        from gallery.retention.digest import send_digests

        result = SweepResult(planned=plan(now))
        result.recovered, interrupted = recover_stalled(now)
        result.failed += interrupted
        send_due(now, result)
        result.digests = send_digests(now)
        return result


_sqlite_sweep_lock = threading.Lock()
