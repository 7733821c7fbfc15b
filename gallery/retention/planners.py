"""Planning: one function per retention rule, each a set-based query yielding the `Candidate` messages that
are due (dates that return yearly or follow a timestamp by whole days compare as UTC calendar dates)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from gallery.accounts.models import Photographer
from gallery.clients.models import Client, ImportantDate
from gallery.core.clock import as_utc, day_start
from gallery.core.queries import prebuilt
from gallery.engagement.models import ENGAGEMENT_KINDS, Event
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention import schedule
from gallery.retention.mail_facts import clients_with_unordered_favourites
from gallery.sharing.models import Visitor

log = logging.getLogger(__name__)

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
