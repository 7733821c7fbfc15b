"""Campaigns: a mail the photographer writes once and sends to a segment of their clients.

A scheduled campaign is planned by the sweep the day before its date: one outbox Message per reachable
client (dedupe key `campaign:{id}:{client}`), sent in each client's local morning of that date through
the same outbox, consent checks, unsubscribe and daily cap as the automatic rules. Results come from the
outbox (sent, opened, clicked) and the event log within the attribution window (visits, orders, revenue).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from gallery.accounts.models import Photographer
from gallery.clients.models import Client
from gallery.core.ids import new_id
from gallery.core.pagination import paginate
from gallery.core.scoping import get_owned
from gallery.engagement.models import Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.retention import schedule, segments, wording
from gallery.retention.attribution import within
from gallery.retention.models import Campaign, ClientTier, LoyaltyTier, Message

MAX_EARLY_DAYS = 30
EDITABLE = ("name", "segment", "wording", "default_locale", "offer", "send_on", "attribution_days", "early_access_days")


def get_campaign(photographer_id: str, campaign_id: str) -> Campaign:
    return get_owned(Campaign, campaign_id, detail="No such campaign.", photographer_id=photographer_id)


def list_campaigns(photographer_id: str, *, cursor=None, limit=50):
    stmt = select(Campaign).where(Campaign.photographer_id == photographer_id)
    return paginate(stmt, db.session, keys=[Campaign.id], cursor=cursor, limit=limit, descending=True)


def _check_wording(texts: dict, default_locale: str) -> dict:
    errors, cleaned = {}, {}
    for locale, words in texts.items():
        try:
            cleaned[locale] = wording.check(words, "campaign")
        except wording.WordingError as error:
            errors.update({f"wording.{locale}.{field}": messages for field, messages in error.errors.items()})
    if not errors and texts and default_locale not in cleaned:
        errors["default_locale"] = [f"Write the campaign in {default_locale} too (the language for everyone else)."]
    if errors:
        raise Problem(422, "Some texts of the campaign cannot be used.", errors=errors)
    return cleaned


def create_campaign(photographer_id: str, data: dict) -> Campaign:
    campaign = Campaign(photographer_id=photographer_id, status="draft", segment={}, wording={})
    db.session.add(campaign)
    _apply(campaign, data)
    return campaign


def update_campaign(photographer_id: str, campaign_id: str, changes: dict) -> Campaign:
    campaign = get_campaign(photographer_id, campaign_id)
    if campaign.status == "planned":
        raise Problem(409, "This campaign has already gone out; duplicate it to send another.")
    _apply(campaign, changes)
    return campaign


def _apply(campaign: Campaign, data: dict) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(campaign, key, data[key])
    campaign.wording = _check_wording(campaign.wording or {}, campaign.default_locale)
    db.session.flush()


def schedule_campaign(photographer_id: str, campaign_id: str, send_on: date, today: date) -> Campaign:
    campaign = get_campaign(photographer_id, campaign_id)
    if campaign.status == "planned":
        raise Problem(409, "This campaign has already gone out.")
    if not campaign.wording:
        raise Problem(422, "Write the campaign's mail before scheduling it.", errors={"wording": ["Required."]})
    if send_on < today:
        raise Problem(422, "Pick today or a later date.", errors={"send_on": ["In the past."]})
    campaign.send_on, campaign.status = send_on, "scheduled"
    db.session.flush()
    return campaign


def cancel_campaign(photographer_id: str, campaign_id: str) -> Campaign:
    campaign = get_campaign(photographer_id, campaign_id)
    if campaign.status == "planned":
        # Messages not yet sent are withdrawn; those already sent stay in the results.
        db.session.execute(Message.__table__.update().where(
            Message.dedupe_key.like(f"campaign:{campaign.id}:%"), Message.status == "queued")
            .values(status="suppressed", status_reason="campaign cancelled"))
    campaign.status = "cancelled"
    db.session.flush()
    return campaign


def plan_due(now: datetime) -> list[dict]:
    """Outbox rows for scheduled campaigns due today or tomorrow (UTC); clients with early access get theirs
    `early_access_days` sooner. Planned a day ahead, so the earliest time zone's morning finds its messages
    waiting; re-planning is a no-op (dedupe keys). A campaign is 'planned' once its own date is reached."""
    rows: list[dict] = []
    horizon = now.date() + timedelta(days=1)
    due = db.session.scalars(select(Campaign).where(
        Campaign.status == "scheduled", Campaign.send_on <= horizon + timedelta(days=MAX_EARLY_DAYS)))
    for campaign in due:
        early_days = campaign.early_access_days or 0
        if campaign.send_on - timedelta(days=early_days) > horizon:
            continue
        studio_tz = db.session.scalar(select(Photographer.timezone).where(Photographer.id == campaign.photographer_id))
        recipients = db.session.execute(
            segments.reachable(campaign.photographer_id, campaign.segment or {}, now)
            .with_only_columns(Client.id, Client.timezone)).all()
        early = _early_access(campaign.photographer_id) if early_days else set()
        for client_id, tz in recipients:
            send_on = campaign.send_on - timedelta(days=early_days) if client_id in early else campaign.send_on
            if send_on > horizon:
                continue
            zone_name = tz or studio_tz
            day = max(send_on, now.astimezone(schedule.zone(zone_name)).date())
            due_at = schedule.local_midnight(day, zone_name)
            rows.append({"id": new_id(), "photographer_id": campaign.photographer_id, "client_id": client_id,
                         "rule": "campaign", "category": "marketing",
                         "dedupe_key": f"campaign:{campaign.id}:{client_id}", "anchor_at": now, "due_at": due_at,
                         "send_after": schedule.next_window_start(max(due_at, now), zone_name),
                         "context": {"campaign_id": campaign.id, "offer": campaign.offer, "early": client_id in early},
                         "status": "queued", "created_at": now})
        if campaign.send_on <= horizon:
            campaign.status, campaign.planned_at, campaign.recipients = "planned", now, len(recipients)
    return rows


def _early_access(photographer_id: str) -> set[str]:
    return set(db.session.scalars(select(ClientTier.client_id).join(LoyaltyTier, LoyaltyTier.id == ClientTier.tier_id)
                                  .where(ClientTier.photographer_id == photographer_id,
                                         LoyaltyTier.early_access.is_(True))))


def results(campaign: Campaign) -> dict:
    """Delivered, opened, clicked; gallery visits, orders and revenue by recipients within the window."""
    mine = and_(Message.dedupe_key.like(f"campaign:{campaign.id}:%"), Message.photographer_id == campaign.photographer_id)
    counts = db.session.execute(select(
        func.count(Message.id),
        func.count(Message.sent_at), func.count(Message.opened_at), func.count(Message.clicked_at),
    ).where(mine)).one()
    sent = select(Message.client_id, Message.sent_at).where(mine, Message.sent_at.is_not(None)).subquery()
    after = and_(Event.client_id == sent.c.client_id, within(Event.ts, sent.c.sent_at, campaign.attribution_days))
    visited = db.session.scalar(select(func.count(func.distinct(Event.client_id))).join(sent, after)
                                .where(Event.kind == "gallery_viewed")) or 0
    orders = db.session.execute(select(Event.payload).join(sent, after).where(Event.kind == "order_paid")).scalars()
    order_count, revenue = 0, 0
    for payload in orders:
        order_count += 1
        revenue += int((payload or {}).get("total") or 0)
    planned, delivered, opened, clicked = (int(v or 0) for v in counts)
    return {"recipients": planned, "delivered": delivered, "opened": opened, "clicked": clicked,
            "visited": int(visited), "orders": order_count, "revenue": revenue,
            "attribution_days": campaign.attribution_days}


def all_results(photographer_id: str, limit: int = 50) -> list[dict]:
    """The results of the studio's campaigns that went out (planned or cancelled after), newest first."""
    gone = db.session.scalars(select(Campaign).where(Campaign.photographer_id == photographer_id,
                                                     Campaign.planned_at.is_not(None))
                              .order_by(Campaign.send_on.desc(), Campaign.id.desc()).limit(limit))
    return [{"id": c.id, "name": c.name, "status": c.status, "send_on": c.send_on, **results(c)} for c in gone]
