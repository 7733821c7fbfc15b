"""Loyalty tiers: the photographer defines them (Friend, Regular, VIP) by lifetime spend and sessions.

A client holds the highest tier whose threshold they reach: lifetime paid orders >= min_spend, or
sessions (galleries published for them) >= min_sessions. The sweep recomputes holdings set-based; a move
up plans one `loyalty` message (dedupe key per client and tier), a move down (a refund) is silent.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, delete, func, or_, select, union
from sqlalchemy.orm import aliased

from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.core.ids import new_id
from gallery.core.pagination import keyset, page_of
from gallery.retention import schedule
from gallery.retention.models import ClientTier, LoyaltyTier
from gallery.store import perks as store_perks
from gallery.store.models import PAID_STATUSES, Order

MAX_TIERS = 10


def list_tiers(photographer_id: str) -> list[LoyaltyTier]:
    return list(db.session.scalars(select(LoyaltyTier).where(LoyaltyTier.photographer_id == photographer_id)
                                   .order_by(LoyaltyTier.rank, LoyaltyTier.id)))


def with_counts(photographer_id: str, tiers: list[LoyaltyTier]) -> list[LoyaltyTier]:
    """Each tier with how many clients hold it now (`clients`), in one query."""
    counts = dict(db.session.execute(select(ClientTier.tier_id, func.count()).where(
        ClientTier.photographer_id == photographer_id).group_by(ClientTier.tier_id)).all())
    for tier in tiers:
        tier.clients = int(counts.get(tier.id, 0))
    return tiers


def clients_of(photographer_id: str, tier_id: str, *, cursor=None, limit=50):
    """The clients holding a tier, by name: [{id, name, email, since}] and the next cursor."""
    tier = get_owned(LoyaltyTier, tier_id, detail="No such tier.", photographer_id=photographer_id)
    stmt = (select(Client.id, Client.name, Client.email, ClientTier.since)
            .join(ClientTier, ClientTier.client_id == Client.id)
            .where(ClientTier.tier_id == tier.id, Client.photographer_id == photographer_id))
    rows = db.session.execute(keyset(stmt, keys=[Client.name, Client.id], cursor=cursor, limit=limit)).all()
    return page_of([row._asdict() for row in rows], limit, lambda last: [last["name"], last["id"]])


def _check(data: dict, photographer_id: str, tier_id: str | None = None) -> None:
    if data.get("min_spend") is None and data.get("min_sessions") is None:
        raise Problem(422, "A tier needs a minimum spend, a number of sessions, or both.",
                      errors={"min_spend": ["Give min_spend or min_sessions."]})
    clash = db.session.scalar(select(LoyaltyTier.id).where(
        LoyaltyTier.photographer_id == photographer_id, LoyaltyTier.name == data["name"],
        LoyaltyTier.id != (tier_id or "")))
    if clash:
        raise Problem(409, f"You already have a tier named {data['name']!r}.", errors={"name": ["Already used."]})


def create_tier(photographer_id: str, data: dict) -> LoyaltyTier:
    if len(list_tiers(photographer_id)) >= MAX_TIERS:
        raise Problem(422, f"At most {MAX_TIERS} tiers.")
    _check(data, photographer_id)
    tier = LoyaltyTier(photographer_id=photographer_id, **data)
    db.session.add(tier)
    db.session.flush()
    return tier


def update_tier(photographer_id: str, tier_id: str, changes: dict) -> LoyaltyTier:
    tier = get_owned(LoyaltyTier, tier_id, detail="No such tier.", photographer_id=photographer_id)
    merged = {"name": tier.name, "min_spend": tier.min_spend, "min_sessions": tier.min_sessions, **changes}
    _check(merged, photographer_id, tier.id)
    for key, value in changes.items():
        setattr(tier, key, value)
    db.session.flush()
    return tier


def delete_tier(photographer_id: str, tier_id: str) -> None:
    tier = get_owned(LoyaltyTier, tier_id, detail="No such tier.", photographer_id=photographer_id)
    db.session.execute(delete(ClientTier).where(ClientTier.tier_id == tier.id))
    db.session.delete(tier)
    db.session.flush()


def _stats(clients=None):
    """Lifetime spend and sessions per client (of `clients`, a SELECT of ids, when given: a sweep sums the few
    clients touched since the last one, not every order and gallery of every studio)."""
    spend = (select(Order.client_id, func.sum(Order.total).label("spend"))
             .where(Order.status.in_(PAID_STATUSES), Order.client_id.is_not(None)))
    sessions = (select(Gallery.client_id, func.count(Gallery.id).label("sessions"))
                .where(Gallery.status != "draft", Gallery.client_id.is_not(None)))
    if clients is not None:
        spend, sessions = spend.where(Order.client_id.in_(clients)), sessions.where(Gallery.client_id.in_(clients))
    return spend.group_by(Order.client_id).subquery(), sessions.group_by(Gallery.client_id).subquery()


def touched_since(since: datetime):
    """Clients whose tier may have changed since `since`: an order changed, a gallery was published for them,
    or their studio's tiers changed."""
    return union(
        select(Order.client_id).where(Order.updated_at >= since, Order.client_id.is_not(None)),
        select(Gallery.client_id).where(Gallery.published_at >= since, Gallery.client_id.is_not(None)),
        select(Client.id).join(LoyaltyTier, LoyaltyTier.photographer_id == Client.photographer_id)
        .where(LoyaltyTier.updated_at >= since))


def qualifying(photographer_id: str | None = None, clients=None):
    """(client_id, photographer_id, tier_id, rank, timezone) for every tier each client reaches
    (of `clients`, a SELECT of client ids, when given)."""
    spend, sessions = _stats(clients)
    spent = func.coalesce(spend.c.spend, 0)
    held = func.coalesce(sessions.c.sessions, 0)
    stmt = (select(Client.id.label("client_id"), Client.photographer_id, Client.timezone,
                   LoyaltyTier.id.label("tier_id"), LoyaltyTier.rank)
            .join(LoyaltyTier, LoyaltyTier.photographer_id == Client.photographer_id)
            .outerjoin(spend, spend.c.client_id == Client.id)
            .outerjoin(sessions, sessions.c.client_id == Client.id)
            .where(or_(and_(LoyaltyTier.min_spend.is_not(None), spent >= LoyaltyTier.min_spend),
                       and_(LoyaltyTier.min_sessions.is_not(None), held >= LoyaltyTier.min_sessions))))
    if photographer_id:
        stmt = stmt.where(Client.photographer_id == photographer_id)
    if clients is not None:
        stmt = stmt.where(Client.id.in_(clients))
    return stmt


def _changes(photographer_id: str | None, clients=None):
    """Clients whose best tier differs from the one they hold (set-based: the steady state returns nothing)."""
    reached = qualifying(photographer_id, clients).subquery()
    ranked = select(reached, func.row_number().over(
        partition_by=reached.c.client_id, order_by=(reached.c.rank.desc(), reached.c.tier_id.desc())).label("n")
    ).subquery()
    held_tier = aliased(LoyaltyTier)
    return (select(ranked.c.client_id, ranked.c.photographer_id, ranked.c.timezone, ranked.c.tier_id,
                   ranked.c.rank, ClientTier.tier_id.label("held_id"), held_tier.rank.label("held_rank"))
            .outerjoin(ClientTier, ClientTier.client_id == ranked.c.client_id)
            .outerjoin(held_tier, held_tier.id == ClientTier.tier_id)
            .where(ranked.c.n == 1, or_(ClientTier.tier_id.is_(None), ClientTier.tier_id != ranked.c.tier_id)))


def recompute(now: datetime | None = None, photographer_id: str | None = None,
              since: datetime | None = None) -> list[dict]:
    """Bring clients' tiers up to date (all of them, or those touched since `since`); returns the moves up
    [{client_id, photographer_id, tier_id, timezone}]. A move down (a refund, a changed threshold) is silent."""
    now = now or clock.now()
    clients = touched_since(since) if since is not None else None
    changes = db.session.execute(_changes(photographer_id, clients)).all()
    new = [{"client_id": c.client_id, "photographer_id": c.photographer_id, "tier_id": c.tier_id, "since": now}
           for c in changes if c.held_id is None]
    moved = [{"b_client_id": c.client_id, "b_tier_id": c.tier_id, "b_since": now}
             for c in changes if c.held_id is not None]
    if new:
        db.session.execute(ClientTier.__table__.insert(), new)
    if moved:
        table = ClientTier.__table__
        db.session.execute(table.update().where(table.c.client_id == bindparam("b_client_id"))
                           .values(tier_id=bindparam("b_tier_id"), since=bindparam("b_since")), moved)
    # Clients who reach no tier any more hold none (NOT EXISTS: an anti-join, which NOT IN over a million ids
    # is not once they outgrow work_mem).
    reached = (qualifying(photographer_id, clients).with_only_columns(Client.id)
               .where(Client.id == ClientTier.client_id))
    gone = delete(ClientTier).where(~reached.exists())
    if photographer_id:
        gone = gone.where(ClientTier.photographer_id == photographer_id)
    if clients is not None:
        gone = gone.where(ClientTier.client_id.in_(clients))
    db.session.execute(gone.execution_options(synchronize_session=False))
    db.session.flush()
    return [{"client_id": c.client_id, "photographer_id": c.photographer_id, "tier_id": c.tier_id,
             "timezone": c.timezone} for c in changes if c.held_id is None or c.rank > c.held_rank]


def tier_of(client_id: str) -> LoyaltyTier | None:
    return db.session.scalar(select(LoyaltyTier).join(ClientTier, ClientTier.tier_id == LoyaltyTier.id)
                             .where(ClientTier.client_id == client_id))


def plan_moves(now: datetime) -> list[dict]:
    """Recompute tiers; an outbox row for each move up (mailed in the client's local morning, once per tier)."""
    # Sweeps run hourly: a day's look-back re-checks each change many times over, and costs only the rows
    # touched in it (a full recompute happens when tiers are defined or changed, through the API).
    ups = recompute(now, since=now - timedelta(days=1))
    if not ups:
        return []
    tiers = {tier.id: tier for tier in db.session.scalars(
        select(LoyaltyTier).where(LoyaltyTier.id.in_({up["tier_id"] for up in ups})))}
    return [{"id": new_id(), "photographer_id": up["photographer_id"], "client_id": up["client_id"],
             "rule": "loyalty", "category": "marketing", "dedupe_key": f"loyalty:{up['client_id']}:{up['tier_id']}",
             "anchor_at": now, "due_at": now, "send_after": schedule.next_window_start(now, up["timezone"]),
             "context": {"tier_id": up["tier_id"], "tier_name": tiers[up["tier_id"]].name,
                         "perks": perks(tiers[up["tier_id"]])},
             "status": "queued", "created_at": now} for up in ups]


def perks(tier: LoyaltyTier) -> dict:
    return {"discount_percent": tier.discount_percent, "free_digital": tier.free_digital,
            "early_access": tier.early_access}


@store_perks.provide
def _tier_perks(photographer_id: str, client_id: str) -> store_perks.Perks | None:
    """What the client's tier gives at checkout (registered with the store)."""
    tier = tier_of(client_id)
    if tier is None or tier.photographer_id != photographer_id:
        return None
    return store_perks.Perks(discount_percent=tier.discount_percent, free_digital=tier.free_digital, label=tier.name)
