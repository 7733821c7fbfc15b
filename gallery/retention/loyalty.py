"""Loyalty tiers: the photographer defines them (Friend, Regular, VIP) by lifetime spend and sessions.

A client holds the highest tier whose threshold they reach: lifetime paid orders >= min_spend, or
sessions (galleries published for them) >= min_sessions. The sweep recomputes holdings set-based; a move
up plans one `loyalty` message (dedupe key per client and tier), a move down (a refund) is silent.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select

from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.retention.models import ClientTier, LoyaltyTier
from gallery.store import perks as store_perks
from gallery.store.models import PAID_STATUSES, Order

MAX_TIERS = 10


def list_tiers(photographer_id: str) -> list[LoyaltyTier]:
    return list(db.session.scalars(select(LoyaltyTier).where(LoyaltyTier.photographer_id == photographer_id)
                                   .order_by(LoyaltyTier.rank, LoyaltyTier.id)))


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


def _stats():
    spend = (select(Order.client_id, func.sum(Order.total).label("spend"))
             .where(Order.status.in_(PAID_STATUSES), Order.client_id.is_not(None))
             .group_by(Order.client_id).subquery())
    sessions = (select(Gallery.client_id, func.count(Gallery.id).label("sessions"))
                .where(Gallery.status != "draft", Gallery.client_id.is_not(None))
                .group_by(Gallery.client_id).subquery())
    return spend, sessions


def qualifying(photographer_id: str | None = None):
    """(client_id, photographer_id, tier_id, rank) for every tier each client reaches."""
    spend, sessions = _stats()
    spent = func.coalesce(spend.c.spend, 0)
    held = func.coalesce(sessions.c.sessions, 0)
    stmt = (select(Client.id.label("client_id"), Client.photographer_id, LoyaltyTier.id.label("tier_id"),
                   LoyaltyTier.rank, LoyaltyTier.name)
            .join(LoyaltyTier, LoyaltyTier.photographer_id == Client.photographer_id)
            .outerjoin(spend, spend.c.client_id == Client.id)
            .outerjoin(sessions, sessions.c.client_id == Client.id)
            .where(or_(and_(LoyaltyTier.min_spend.is_not(None), spent >= LoyaltyTier.min_spend),
                       and_(LoyaltyTier.min_sessions.is_not(None), held >= LoyaltyTier.min_sessions))))
    if photographer_id:
        stmt = stmt.where(Client.photographer_id == photographer_id)
    return stmt


def recompute(now: datetime | None = None, photographer_id: str | None = None) -> list[dict]:
    """Bring every client's tier up to date; returns the moves up [{client_id, photographer_id, tier_id, name}]."""
    now = now or clock.now()
    best: dict[str, tuple] = {}
    for row in db.session.execute(qualifying(photographer_id)):
        current = best.get(row.client_id)
        if current is None or (row.rank, row.tier_id) > (current.rank, current.tier_id):
            best[row.client_id] = row
    held_stmt = select(ClientTier.client_id, ClientTier.tier_id, LoyaltyTier.rank).join(
        LoyaltyTier, LoyaltyTier.id == ClientTier.tier_id)
    if photographer_id:
        held_stmt = held_stmt.where(ClientTier.photographer_id == photographer_id)
    held = {row.client_id: row for row in db.session.execute(held_stmt)}
    ups = []
    for client_id, row in best.items():
        before = held.get(client_id)
        if before is not None and before.tier_id == row.tier_id:
            continue
        if before is None:
            db.session.add(ClientTier(client_id=client_id, photographer_id=row.photographer_id, tier_id=row.tier_id,
                                      since=now))
        else:
            db.session.execute(ClientTier.__table__.update().where(ClientTier.client_id == client_id)
                               .values(tier_id=row.tier_id, since=now))
        if before is None or row.rank > before.rank:
            ups.append({"client_id": client_id, "photographer_id": row.photographer_id, "tier_id": row.tier_id,
                        "name": row.name})
    gone = [client_id for client_id in held if client_id not in best]
    if gone:
        db.session.execute(delete(ClientTier).where(ClientTier.client_id.in_(gone)))
    db.session.flush()
    return ups


def tier_of(client_id: str) -> LoyaltyTier | None:
    return db.session.scalar(select(LoyaltyTier).join(ClientTier, ClientTier.tier_id == LoyaltyTier.id)
                             .where(ClientTier.client_id == client_id))


def plan_moves(now: datetime) -> list[dict]:
    """Recompute tiers; an outbox row for each move up (mailed in the client's local morning, once per tier)."""
    from gallery.core.ids import new_id
    from gallery.retention import schedule

    ups = recompute(now)
    if not ups:
        return []
    zones = dict(db.session.execute(select(Client.id, Client.timezone)
                                    .where(Client.id.in_([up["client_id"] for up in ups]))).all())
    tiers = {tier.id: tier for tier in db.session.scalars(
        select(LoyaltyTier).where(LoyaltyTier.id.in_({up["tier_id"] for up in ups})))}
    rows = []
    for up in ups:
        tier, tz = tiers[up["tier_id"]], zones.get(up["client_id"])
        rows.append({"id": new_id(), "photographer_id": up["photographer_id"], "client_id": up["client_id"],
                     "rule": "loyalty", "category": "marketing", "dedupe_key": f"loyalty:{up['client_id']}:{tier.id}",
                     "anchor_at": now, "due_at": now, "send_after": schedule.next_window_start(now, tz),
                     "context": {"tier_id": tier.id, "tier_name": tier.name, "perks": perks(tier)},
                     "status": "queued", "created_at": now})
    return rows


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
