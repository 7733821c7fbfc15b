"""A generated studio for the retention simulation, and the rules' expectations computed
independently of gallery.retention (plain Python over the generated data)."""
from __future__ import annotations

import calendar
from bisect import bisect_left
from itertools import islice
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.retention.simulation_pacing import Offer, pace

# (timezone, locale): each has exactly one simulated sweep in its local 09:00-11:00 per day.
PROFILES = [("Europe/Oslo", "nb"), ("Europe/Warsaw", "pl"), ("Europe/Zagreb", "hr"), ("Asia/Jakarta", "id"),
            ("America/New_York", "en")]
SWEEP_TIMES = ((2, 30), (8, 30), (14, 30))  # UTC: 09:30 in Jakarta, 09:30 or 10:30 in CET and New York
ANNIVERSARY_TYPES = {"wedding", "newborn", "family", "maternity", "engagement"}
DATE_KINDS = {"wedding", "anniversary", "birthday", "child_birth"}
ENGAGEMENT = {"gallery_viewed", "photo_viewed", "favourited", "unfavourited", "selection_submitted", "downloaded",
              "zip_downloaded", "shared", "cart_updated", "order_placed", "order_paid", "commented",
              "feedback_given", "email_clicked", "visitor_identified"}
PHOTOS_PER_GALLERY = 12
# The studio's loyalty tiers (name, sessions reaching it, rank) and one campaign to newborn clients.
TIERS = (("Friend", 1, 1), ("Regular", 2, 2))
CAMPAIGN = {"scheduled_at": datetime(2024, 3, 1, 12, tzinfo=UTC), "send_on": date(2024, 3, 15),
            "event_types": ["newborn"]}
CATEGORY = {"loyalty": "marketing", "campaign": "marketing", "anniversary": "marketing", "reorder": "marketing", "favourites": "marketing",
            "abandoned_cart": "marketing", "dormant": "marketing", "followup": "service", "expiry": "transactional"}


@dataclass
class SimClient:
    key: int
    name: str
    email: str
    tz: str
    locale: str
    created: datetime
    consent: list  # [(moment, bool)] in time order, first entry at creation
    unsubscribed_at: datetime | None = None
    dates: list = field(default_factory=list)  # [(kind, date)]
    id: str | None = None


@dataclass
class SimGallery:
    key: int
    client: SimClient
    event_type: str
    shoot: date
    published: datetime
    expires: datetime | None
    id: str | None = None


@dataclass
class SimEvent:
    ts: datetime
    kind: str
    client: SimClient
    gallery: SimGallery | None
    photo: str | None = None
    photos: tuple = ()  # order_placed: the photos ordered


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(24), rng.randrange(60), rng.randrange(60)), tzinfo=UTC)


def generate(seed: int, clients: int, start: date, end: date) -> tuple[list, list, list]:
    rng = random.Random(seed)
    span = (end - start).days
    sim_clients, galleries, events = [], [], []
    for n in range(clients):
        tz, locale = PROFILES[n % len(PROFILES)]
        created = _at(start + timedelta(days=rng.randrange(span - 60)), rng)
        consent = [(created, rng.random() < 0.7)]
        if rng.random() < 0.3:  # consent given later or withdrawn
            consent.append((created + timedelta(days=rng.randrange(30, 500), seconds=rng.randrange(86400)),
                            not consent[0][1]))
        client = SimClient(n, f"Client {n}", f"client{n}@example.test", tz, locale, created, consent)
        if rng.random() < 0.08:
            client.unsubscribed_at = created + timedelta(days=rng.randrange(60, 700), seconds=rng.randrange(86400))
        if rng.random() < 0.3:
            client.dates.append(("birthday", date(rng.randrange(1975, 2000), rng.randrange(1, 13), rng.randrange(1, 29))))
        for g in range(1 if rng.random() < 0.7 else 2):
            event_type = rng.choice(["wedding", "wedding", "newborn", "family", "portrait"])
            shoot = (created + timedelta(days=rng.randrange(5, 200) + 300 * g)).date()
            published = _at(shoot + timedelta(days=rng.randrange(10, 40)), rng)
            if published.date() > end:
                continue
            expires = published + timedelta(days=rng.randrange(60, 120)) if rng.random() < 0.8 else None
            gallery = SimGallery(len(galleries), client, event_type, shoot, published, expires)
            galleries.append(gallery)
            if event_type == "wedding" and rng.random() < 0.5:
                client.dates.append(("wedding", shoot))  # covered by the gallery: one greeting, not two
            if event_type == "newborn":
                client.dates.append(("child_birth", shoot - timedelta(days=rng.randrange(3, 12))))
            if rng.random() < 0.85:  # the client looks at the gallery within three days
                t = published + timedelta(hours=rng.randrange(1, 72))
                events.append(SimEvent(t, "gallery_viewed", client, gallery))
                for _ in range(rng.randrange(0, 4)):
                    t += timedelta(hours=rng.randrange(1, 200))
                    events.append(SimEvent(t, "photo_viewed", client, gallery, f"photo{gallery.key}x{rng.randrange(50)}"))
                favourites = []
                if rng.random() < 0.6:
                    for _ in range(rng.randrange(1, 6)):
                        t += timedelta(hours=rng.randrange(1, 100))
                        favourites.append(f"{rng.randrange(PHOTOS_PER_GALLERY)}")
                        events.append(SimEvent(t, "favourited", client, gallery, favourites[-1]))

                def ordered(favourites=favourites):
                    # Some orders hold every favourite, some a few, some other photos (and an order may come
                    # before the last favourite).
                    pick = rng.random()
                    if favourites and pick < 0.4:
                        return tuple(dict.fromkeys(favourites))
                    if favourites and pick < 0.7:
                        return (rng.choice(favourites),)
                    return (f"{rng.randrange(PHOTOS_PER_GALLERY)}",)

                roll = rng.random()
                if roll < 0.25:
                    t += timedelta(hours=rng.randrange(1, 300))
                    events.append(SimEvent(t, "cart_updated", client, gallery))
                    if rng.random() < 0.5:
                        t += timedelta(hours=rng.randrange(1, 40))
                        events.append(SimEvent(t, "order_placed", client, gallery, photos=ordered()))
                        events.append(SimEvent(t + timedelta(minutes=3), "order_paid", client, gallery))
                elif roll < 0.5:
                    t += timedelta(days=rng.randrange(1, 40))
                    events.append(SimEvent(t, "cart_updated", client, gallery))
                    events.append(SimEvent(t + timedelta(minutes=10), "order_placed", client, gallery,
                                           photos=ordered()))
                    events.append(SimEvent(t + timedelta(minutes=12), "order_paid", client, gallery))
                if favourites and rng.random() < 0.3:  # more favourites after an order
                    t += timedelta(hours=rng.randrange(1, 100))
                    favourites.append(f"{rng.randrange(PHOTOS_PER_GALLERY)}")
                    events.append(SimEvent(t, "favourited", client, gallery, favourites[-1]))
                if rng.random() < 0.3:  # comes back months later
                    t += timedelta(days=rng.randrange(90, 500))
                    events.append(SimEvent(t, "gallery_viewed", client, gallery))
        sim_clients.append(client)
    _crowd_the_campaign_day(random.Random(seed + 1), sim_clients, galleries)
    end_at = datetime.combine(end, time(23, 59), tzinfo=UTC)
    events = sorted((e for e in events if e.ts < end_at), key=lambda e: e.ts)
    return sim_clients, galleries, events


def _crowd_the_campaign_day(rng: random.Random, clients: list, galleries: list) -> None:
    """Some clients the campaign reaches have their own dates whose greetings fall on its morning (a birthday), or
    on it and the two mornings after (a birthday, an anniversary, a wedding): under the daily cap the more relevant
    greeting goes first, and the campaign waits a day, or waits until its occasion has passed."""
    first_due = CAMPAIGN["send_on"] + timedelta(days=14)  # a greeting goes 14 days before the date
    for client in clients:
        if not any(g.client is client and g.event_type in CAMPAIGN["event_types"] for g in galleries):
            continue
        roll = rng.random()
        kinds = ("birthday", "anniversary", "wedding") if roll < 0.3 else ("birthday",) if roll < 0.7 else ()
        for offset, kind in enumerate(kinds):
            day = first_due + timedelta(days=offset)
            client.dates.append((kind, day.replace(year=rng.randrange(1975, 2000))))


def sweep_instants(start: date, end: date) -> list[datetime]:
    out, day = [], start
    while day <= end:
        out.extend(datetime.combine(day, time(h, m), tzinfo=UTC) for h, m in SWEEP_TIMES)
        day += timedelta(days=1)
    return out


# ------------------------------------------------------------------ the rules, restated independently

def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def yearly(original: date, year: int) -> date:
    if original.month == 2 and original.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return original.replace(year=year)


class Expectation:
    """Computes, per dedupe key, the instant each message must be sent at (None: must not be sent)."""

    def __init__(self, clients, galleries, events, sweeps, end: date):
        self.clients, self.galleries, self.events, self.sweeps, self.end = clients, galleries, events, sweeps, end
        self.by_client: dict[int, list[SimEvent]] = {}
        for e in events:
            self.by_client.setdefault(e.client.key, []).append(e)

    # helpers
    def local(self, moment, tz):
        return moment.astimezone(ZoneInfo(tz))

    def window_sweep(self, not_before: datetime, tz: str) -> datetime | None:
        for s in islice(self.sweeps, bisect_left(self.sweeps, not_before), None):
            if 9 <= self.local(s, tz).hour < 11:
                return s
        return None

    def first_sweep(self, not_before: datetime, utc_dates: tuple[date, date]) -> datetime | None:
        start = max(not_before, datetime.combine(utc_dates[0], time(0), tzinfo=UTC))
        for s in islice(self.sweeps, bisect_left(self.sweeps, start), None):
            return s if s.date() <= utc_dates[1] else None
        return None

    def midnight(self, day: date, tz: str) -> datetime:
        return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)

    def consents(self, c: SimClient, moment) -> bool:
        state = False
        for when, value in c.consent:
            if when <= moment:
                state = value
        unsubscribed = c.unsubscribed_at is not None and c.unsubscribed_at <= moment
        return state and not unsubscribed

    def eligible(self, rule, c: SimClient, moment) -> bool:
        category = CATEGORY[rule]
        if category == "transactional":
            return True
        unsubscribed = c.unsubscribed_at is not None and c.unsubscribed_at <= moment
        if category == "service":
            return not unsubscribed
        return self.consents(c, moment)

    def has_gallery(self, c: SimClient, moment) -> bool:
        return any(g.client is c and g.published <= moment for g in self.galleries)

    def unordered_favourites(self, c: SimClient, moment) -> set:
        favourites, ordered = set(), set()
        for e in self.by_client.get(c.key, []):
            if e.ts > moment:
                break
            if e.kind == "favourited":
                favourites.add((e.gallery.key, e.photo))
            elif e.kind == "order_placed":
                ordered.update((e.gallery.key, photo) for photo in e.photos)
        return favourites - ordered

    def acted(self, c: SimClient, kinds, after: datetime, until: datetime) -> bool:
        return any(after < e.ts <= until and e.kind in kinds for e in self.by_client.get(c.key, []))

    def date_rule(self, due: date, c: SimClient, available: datetime, grace=3):
        """A date rule: planned by a sweep on UTC date due-1 .. due+grace, sent in the next local window.
        Returns (planned, first morning) or None."""
        plan = self.first_sweep(available, (due - timedelta(days=1), due + timedelta(days=grace)))
        if plan is None:
            return None
        send = self.window_sweep(max(plan, self.midnight(due, c.tz)), c.tz)
        return None if send is None else (plan, send)

    def expected(self) -> dict[str, tuple[datetime, SimClient]]:
        """Every message and the instant it must leave; marketing mail under the daily cap."""
        out: dict[str, tuple[datetime, SimClient]] = {}
        offers: list[Offer] = []

        def add(key, rule, c, send):
            if send is not None and send.date() <= self.end and self.eligible(rule, c, send):
                out[key] = (send, c)

        def offer(key, rule, c, first, due_at, planned, **checks):
            if first is not None:
                offers.append(Offer(key, rule, c, first, due_at, planned, **checks))

        # anniversaries of a gallery's shoot, and of a client's own dates (not covered by a gallery that day)
        for g in self.galleries:
            if g.event_type not in ANNIVERSARY_TYPES:
                continue
            for year in range(g.shoot.year + 1, self.end.year + 2):
                due = yearly(g.shoot, year) - timedelta(days=14)
                planned = self.date_rule(due, g.client, g.published)
                if planned:
                    offer(f"anniversary:g:{g.id}:{year}", "anniversary", g.client, planned[1],
                          self.midnight(due, g.client.tz), planned[0])
        for c in self.clients:
            for kind, original in c.dates:
                if kind not in DATE_KINDS or any(g.client is c and g.shoot == original and g.event_type in
                                                 ANNIVERSARY_TYPES for g in self.galleries):
                    continue
                for year in range(original.year + 1, self.end.year + 2):
                    due = yearly(original, year) - timedelta(days=14)
                    planned = self.date_rule(due, c, c.created)
                    if planned:  # nothing to link to (no gallery yet): no mail
                        offer(f"anniversary:d:{c.date_ids[(kind, original)]}:{year}", "anniversary", c, planned[1],
                              self.midnight(due, c.tz), planned[0], order=1,
                              says_something=lambda moment, c=c: self.has_gallery(c, moment))
        for c in self.clients:
            mine = self.by_client.get(c.key, [])
            for rule, kinds, superseded, lag in (
                    ("favourites", {"favourited"}, {"favourited"}, timedelta(days=5)),
                    ("reorder", {"order_paid"}, {"order_placed"}, timedelta(days=30)),
                    ("abandoned_cart", {"cart_updated"}, {"cart_updated", "order_placed"}, timedelta(hours=24))):
                for e in mine:
                    if e.kind not in kinds:
                        continue
                    def acted(moment, c=c, e=e, superseded=superseded):
                        return self.acted(c, superseded, e.ts, moment)

                    # the photos decide: a prompt with every favourite ordered has nothing to say
                    says = ((lambda moment, c=c: bool(self.unordered_favourites(c, moment)))
                            if rule == "favourites" else (lambda moment: True))
                    offer(f"{rule}:{c.id}:{e.ts.isoformat()}", rule, c, self.window_sweep(e.ts + lag, c.tz),
                          e.ts + lag, e.ts + lag, superseded=acted, says_something=says)
            self.loyalty(c, offer)
            self.campaign(c, offer)
            for e in (e for e in mine if e.kind in ENGAGEMENT):
                due = add_months(e.ts.date(), 12)
                planned = self.date_rule(due, c, e.ts)
                if planned:
                    offer(f"dormant:{c.id}:{e.ts.date().isoformat()}", "dormant", c, planned[1],
                          self.midnight(due, c.tz), planned[0],
                          superseded=lambda moment, c=c, e=e: self.acted(c, ENGAGEMENT, e.ts, moment))
        sent = pace(offers, self.consents, self.window_sweep, self.end)
        self.offers = offers
        out.update({o.key: (sent[o.key], o.client) for o in offers if o.key in sent})

        # expiry reminders: a sent anniversary offer reopens an expired gallery for 30 days
        expiries: dict[int, list[tuple[datetime, datetime]]] = {g.key: [] for g in self.galleries}
        for g in self.galleries:  # (expires_at, from when it applies)
            if not g.expires:
                continue
            expiries[g.key].append((g.expires, g.published))
            for year in range(g.shoot.year + 1, self.end.year + 2):
                send = sent.get(f"anniversary:g:{g.id}:{year}")
                if send and expiries[g.key][-1][0] < send + timedelta(days=30):
                    expiries[g.key].append((send + timedelta(days=30), send))
        for g in self.galleries:
            c = g.client
            due = g.published.date() + timedelta(days=7)
            planned = self.date_rule(due, c, g.published)
            add(f"followup:{g.id}", "followup", c, planned and planned[1])
            engaged = [e.ts for e in self.by_client.get(c.key, []) if e.gallery is g and e.kind in ENGAGEMENT]
            for n, (expires, since) in enumerate(expiries[g.key]):
                until = expiries[g.key][n + 1][1] if n + 1 < len(expiries[g.key]) else None
                for days in (7, 4, 1):
                    due = expires.date() - timedelta(days=days)
                    available = max([since] + ([min(engaged)] if engaged else []))
                    if not engaged:
                        continue
                    plan = self.first_sweep(available, (due - timedelta(days=1), due))
                    if plan is None or plan >= expires or (until and plan >= until):
                        continue
                    send = self.window_sweep(max(plan, self.midnight(due, c.tz)), c.tz)
                    if send is None or send >= expires or (until and send >= until):
                        continue
                    add(f"expiry:{g.id}:{expires.date()}:{days}:{c.id}", "expiry", c, send)
        return out

    def loyalty(self, c: SimClient, offer) -> None:
        """A move up a tier is planned by the first sweep that sees the session that reached it."""
        published = sorted(g.published for g in self.galleries if g.client is c)
        held = 0
        for moment in published:
            index = bisect_left(self.sweeps, moment)
            if index == len(self.sweeps):
                break
            seen = self.sweeps[index]
            sessions = sum(1 for p in published if p <= seen)
            rank = max((rank for _, needed, rank in TIERS if sessions >= needed), default=0)
            if rank > held:
                name = next(name for name, _, r in TIERS if r == rank)
                offer(f"loyalty:{c.id}:{c.tier_ids[name]}", "loyalty", c, self.window_sweep(seen, c.tz), seen, seen)
                held = rank

    def campaign(self, c: SimClient, offer) -> None:
        """Planned on the first sweep of the day before its date, for clients the segment reaches then;
        sent in their local morning of the date (if they still consent)."""
        send_on = CAMPAIGN["send_on"]
        plan = next(s for s in self.sweeps if s >= CAMPAIGN["scheduled_at"] and s.date() >= send_on - timedelta(days=1))
        member = any(g.client is c and g.event_type in CAMPAIGN["event_types"] and g.published <= plan
                     for g in self.galleries)
        if not member or c.created > plan or not self.consents(c, plan):
            return
        due_at = self.midnight(send_on, c.tz)
        offer(f"campaign:{c.campaign_id}:{c.id}", "campaign", c, self.window_sweep(max(plan, due_at), c.tz), due_at,
              plan)
