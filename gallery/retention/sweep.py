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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from gallery.clients.models import Client, ImportantDate
from gallery.core import clock
from gallery.core.ids import new_id
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention import schedule
from gallery.retention.models import Message, RetentionRule, Unsubscribe
from gallery.retention.rules import CATEGORIES, rule_groups

log = logging.getLogger(__name__)

# What counts as a client coming back: their own actions, not our mail landing in their inbox.
ENGAGEMENT_KINDS = ("gallery_viewed", "photo_viewed", "favourited", "unfavourited", "selection_submitted",
                    "downloaded", "zip_downloaded", "shared", "cart_updated", "order_placed", "order_paid",
                    "commented", "feedback_given", "email_clicked", "visitor_identified")
# A queued message is dropped when one of these happened after its anchor: the client already acted.
SUPERSEDED_BY = {
    "favourites": ("favourited", "order_placed"),
    "reorder": ("order_placed",),
    "abandoned_cart": ("cart_updated", "order_placed"),
    "dormant": ENGAGEMENT_KINDS,
}
GRACE_DAYS = 3  # a sweep that was down for a few days still catches up; older dues are let go
SEND_BATCH = 500


@dataclass
class Candidate:
    photographer_id: str
    client_id: str
    rule: str
    dedupe_key: str
    due_at: datetime
    timezone: str | None
    gallery_id: str | None = None
    anchor_at: datetime | None = None
    context: dict = field(default_factory=dict)


@dataclass
class SweepResult:
    planned: int = 0
    sent: int = 0
    suppressed: int = 0
    rescheduled: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def month_day(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "MM-DD")
    return func.strftime("%m-%d", column)


def _later(kinds, client_col, ts_col, now):
    """EXISTS a later event of `kinds` by the same client (up to now)."""
    later = aliased(Event)
    return exists(select(later.id).where(later.client_id == client_col, later.kind.in_(kinds),
                                         later.ts > ts_col, later.ts <= now))


# ---------------------------------------------------------------- planning: one function per rule

def _plan_anniversary(settings, photographer_filter, now):
    today = now.date()
    lead = timedelta(days=settings["days_before"])
    targets = [today + timedelta(days=d) + lead for d in range(-GRACE_DAYS, 2)]

    def matches(date_col):
        clauses = []
        for target in targets:
            mds = [target.strftime("%m-%d")] + (["02-29"] if (target.month, target.day) == (2, 28) else [])
            clauses.append(and_(month_day(date_col).in_(mds), date_col < date(target.year, 1, 1)))
        return or_(*clauses)

    def occurrence_of(original):
        return next(t for t in targets if schedule.occurrence(original, t.year) == t)

    rows = db.session.execute(
        select(Gallery.id, Gallery.photographer_id, Gallery.client_id, Gallery.shoot_date, Client.timezone)
        .join(Client, Client.id == Gallery.client_id)
        .where(photographer_filter(Gallery.photographer_id), Gallery.shoot_date.is_not(None),
               Gallery.status != "draft", Gallery.event_type.in_(settings["event_types"]),
               Client.email.is_not(None), matches(Gallery.shoot_date))).all()
    for row in rows:
        when = occurrence_of(row.shoot_date)
        yield Candidate(row.photographer_id, row.client_id, "anniversary", f"anniversary:g:{row.id}:{when.year}",
                        schedule.local_midnight(when - lead, row.timezone), row.timezone, gallery_id=row.id,
                        context={"occasion": "shoot", "years": when.year - row.shoot_date.year,
                                 "offer": settings.get("offer")})
    # A client's own dates, unless a gallery of theirs from that very day already covers it.
    same_day_gallery = exists(select(Gallery.id).where(Gallery.client_id == ImportantDate.client_id,
                                                       Gallery.shoot_date == ImportantDate.date,
                                                       Gallery.event_type.in_(settings["event_types"]),
                                                       Gallery.status != "draft"))
    rows = db.session.execute(
        select(ImportantDate.id, ImportantDate.kind, ImportantDate.date, Client.id.label("client_id"),
               Client.photographer_id, Client.timezone)
        .join(Client, Client.id == ImportantDate.client_id)
        .where(photographer_filter(Client.photographer_id), ImportantDate.kind.in_(settings["date_kinds"]),
               Client.email.is_not(None), matches(ImportantDate.date), ~same_day_gallery)).all()
    for row in rows:
        when = occurrence_of(row.date)
        yield Candidate(row.photographer_id, row.client_id, "anniversary", f"anniversary:d:{row.id}:{when.year}",
                        schedule.local_midnight(when - lead, row.timezone), row.timezone,
                        context={"occasion": row.kind, "years": when.year - row.date.year,
                                 "offer": settings.get("offer")})


def _plan_followup(settings, photographer_filter, now):
    today, lag = now.date(), timedelta(days=settings["days_after"])
    rows = db.session.execute(
        select(Gallery.id, Gallery.photographer_id, Gallery.client_id, Gallery.published_at, Client.timezone)
        .join(Client, Client.id == Gallery.client_id)
        .where(photographer_filter(Gallery.photographer_id), Gallery.status != "draft", Client.email.is_not(None),
               Gallery.published_at >= _day_start(today - timedelta(days=GRACE_DAYS) - lag),
               Gallery.published_at < _day_start(today + timedelta(days=2) - lag))).all()
    for row in rows:
        due = row.published_at.date() + lag
        yield Candidate(row.photographer_id, row.client_id, "followup", f"followup:{row.id}",
                        schedule.local_midnight(due, row.timezone), row.timezone, gallery_id=row.id)


def _plan_expiry(settings, photographer_filter, now):
    today = now.date()
    engaged = (select(Event.gallery_id, Event.client_id).where(Event.kind.in_(ENGAGEMENT_KINDS),
                                                               Event.client_id.is_not(None))
               .distinct().subquery())
    for days in settings["days_before"]:
        # Due on the expiry's UTC date minus `days`: today's or tomorrow's (no grace: a late
        # 7-day reminder right before the 4-day one helps nobody).
        rows = db.session.execute(
            select(Gallery.id, Gallery.photographer_id, Gallery.expires_at, Client.id.label("client_id"),
                   Client.timezone)
            .join(engaged, engaged.c.gallery_id == Gallery.id)
            .join(Client, and_(Client.id == engaged.c.client_id, Client.photographer_id == Gallery.photographer_id))
            .where(photographer_filter(Gallery.photographer_id), Gallery.status == "published",
                   Client.email.is_not(None), Gallery.expires_at > now,
                   Gallery.expires_at >= _day_start(today + timedelta(days=days)),
                   Gallery.expires_at < _day_start(today + timedelta(days=days + 2)))).all()
        for row in rows:
            due = row.expires_at.date() - timedelta(days=days)
            yield Candidate(row.photographer_id, row.client_id, "expiry",
                            f"expiry:{row.id}:{row.expires_at.date()}:{days}:{row.client_id}",
                            schedule.local_midnight(due, row.timezone), row.timezone, gallery_id=row.id,
                            anchor_at=row.expires_at, context={"days_left": days})


def _plan_after_last(rule, kinds, superseded_by, lag, photographer_filter, now, *, offer=None):
    """Clients whose last event of `kinds` is `lag` old (within the grace window) and not superseded."""
    rows = db.session.execute(
        select(Event.client_id, func.max(Event.ts).label("anchor"), func.max(Event.gallery_id).label("gallery_id"),
               Client.photographer_id, Client.timezone)
        .join(Client, Client.id == Event.client_id)
        .where(Event.kind.in_(kinds), photographer_filter(Event.photographer_id), Client.email.is_not(None),
               Event.ts >= now - lag - timedelta(days=GRACE_DAYS), Event.ts <= now - lag,
               ~_later(superseded_by, Event.client_id, Event.ts, now))
        .group_by(Event.client_id, Client.photographer_id, Client.timezone)).all()
    for row in rows:
        anchor = row.anchor if row.anchor.tzinfo else row.anchor.replace(tzinfo=UTC)
        yield Candidate(row.photographer_id, row.client_id, rule, f"{rule}:{row.client_id}:{anchor.isoformat()}",
                        anchor + lag, row.timezone, gallery_id=row.gallery_id, anchor_at=anchor,
                        context={"offer": offer})


def _plan_favourites(settings, photographer_filter, now):
    yield from _plan_after_last("favourites", ("favourited",), SUPERSEDED_BY["favourites"],
                                timedelta(days=settings["days_after"]), photographer_filter, now,
                                offer=settings.get("offer"))


def _plan_abandoned_cart(settings, photographer_filter, now):
    yield from _plan_after_last("abandoned_cart", ("cart_updated",), SUPERSEDED_BY["abandoned_cart"],
                                timedelta(hours=settings["hours_after"]), photographer_filter, now,
                                offer=settings.get("offer"))


def _plan_reorder(settings, photographer_filter, now):
    yield from _plan_after_last("reorder", ("order_paid",), SUPERSEDED_BY["reorder"],
                                timedelta(days=settings["days_after"]), photographer_filter, now,
                                offer=settings.get("offer"))


def _plan_dormant(settings, photographer_filter, now):
    """Clients whose last engagement's date plus N calendar months falls in the due window."""
    months, today = settings["months"], now.date()
    first_due, last_due = today - timedelta(days=GRACE_DAYS), today + timedelta(days=1)
    # add_months is monotonic, so the anchors form one date range; find its ends exactly.
    low = schedule.add_months(first_due, -months) - timedelta(days=4)
    while schedule.add_months(low, months) < first_due:
        low += timedelta(days=1)
    high = schedule.add_months(last_due, -months) + timedelta(days=4)
    while schedule.add_months(high, months) > last_due:
        high -= timedelta(days=1)
    rows = db.session.execute(
        select(Event.client_id, func.max(Event.ts).label("anchor"), Client.photographer_id, Client.timezone)
        .join(Client, Client.id == Event.client_id)
        .where(Event.kind.in_(ENGAGEMENT_KINDS), photographer_filter(Event.photographer_id),
               Client.email.is_not(None), Event.ts >= _day_start(low), Event.ts < _day_start(high + timedelta(days=1)),
               ~_later(ENGAGEMENT_KINDS, Event.client_id, Event.ts, now))
        .group_by(Event.client_id, Client.photographer_id, Client.timezone)).all()
    for row in rows:
        anchor = row.anchor if row.anchor.tzinfo else row.anchor.replace(tzinfo=UTC)
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


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    if not rows:
        return 0
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    inserted = 0
    for start in range(0, len(rows), 1000):
        stmt = dialect_insert(Message).values(rows[start:start + 1000])
        stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"])
        inserted += db.session.execute(stmt).rowcount or 0
    return inserted


def plan(now: datetime | None = None, kinds=None) -> int:
    """Write every message that is due (or due within a day) to the outbox; returns how many are new."""
    now = now or clock.now()
    rows = []
    for kind, planner in PLANNERS.items():
        if kinds and kind not in kinds:
            continue
        for settings, photographer_filter in rule_groups(kind):
            for c in planner(settings, photographer_filter, now):
                rows.append({
                    "id": new_id(), "photographer_id": c.photographer_id, "client_id": c.client_id,
                    "gallery_id": c.gallery_id, "rule": c.rule, "category": CATEGORIES[c.rule],
                    "dedupe_key": c.dedupe_key, "anchor_at": c.anchor_at, "due_at": c.due_at,
                    "send_after": schedule.next_window_start(c.due_at, c.timezone), "context": c.context,
                    "status": "queued", "created_at": now,
                })
    inserted = _insert_ignoring_duplicates(rows)
    db.session.commit()
    return inserted


# ---------------------------------------------------------------- sending

def _suppress(now: datetime) -> int:
    """Set-based: mark due messages that may not go out any more."""
    due = and_(Message.status == "queued", Message.send_after <= now)
    client_email = select(Client.email).where(Client.id == Message.client_id).scalar_subquery()
    unsubscribed = exists(select(Unsubscribe.id).where(Unsubscribe.photographer_id == Message.photographer_id,
                                                       Unsubscribe.email == client_email))
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
        reasons.append(("client acted since", and_(Message.rule == rule,
                                                   _later(kinds, Message.client_id, Message.anchor_at, now))))
    count = 0
    for reason, condition in reasons:
        count += db.session.execute(update(Message).where(due, condition)
                                    .values(status="suppressed", status_reason=reason)
                                    .execution_options(synchronize_session=False)).rowcount or 0
    db.session.commit()
    return count


def _claim(message_id: str) -> bool:
    claimed = db.session.execute(update(Message).where(Message.id == message_id, Message.status == "queued")
                                 .values(status="sending").execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def send_due(now: datetime | None = None, result: SweepResult | None = None) -> SweepResult:
    from gallery.retention.delivery import deliver

    now = now or clock.now()
    result = result or SweepResult()
    result.suppressed += _suppress(now)
    while True:
        due = db.session.execute(
            select(Message.id, Message.send_after, Client.timezone).join(Client, Client.id == Message.client_id)
            .where(Message.status == "queued", Message.send_after <= now)
            .order_by(Message.send_after, Message.id).limit(SEND_BATCH)).all()
        progressed = False
        for row in due:
            if not schedule.in_window(now, row.timezone):
                # Missed today's window (the sweep was down, or the plan came late): next local morning.
                db.session.execute(update(Message).where(Message.id == row.id, Message.status == "queued")
                                   .values(send_after=schedule.next_window_start(now, row.timezone))
                                   .execution_options(synchronize_session=False))
                result.rescheduled += 1
                continue
            if not _claim(row.id):
                continue  # another sweep took it
            progressed = True
            try:
                deliver(db.session.get(Message, row.id), now)
                result.sent += 1
            except Exception:  # noqa: BLE001 - one bad message must not stop the outbox
                log.exception("retention message %s failed", row.id)
                db.session.rollback()
                db.session.execute(update(Message).where(Message.id == row.id)
                                   .values(status="failed", status_reason="delivery error")
                                   .execution_options(synchronize_session=False))
                result.failed += 1
            db.session.commit()
        db.session.commit()
        if len(due) < SEND_BATCH or not progressed:
            return result


def sweep(now: datetime | None = None) -> SweepResult:
    """One full sweep at `now` (the injected clock in tests, the real one in production)."""
    now = now or clock.now()
    with clock.frozen(now):  # everything the sweep stamps (events, Date headers) reads this instant
        result = SweepResult(planned=plan(now))
        return send_due(now, result)
