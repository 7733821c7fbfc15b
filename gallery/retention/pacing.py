"""What a late or crowded sweep may still send.

- A message whose occasion is over is dropped, not sent late: an anniversary offer two days after the day,
  an expiry reminder whose countdown is wrong, a cart reminder for a cart long gone cold. Each rule says
  how late it may still go out (STALE_AFTER, counted from the message's due time); a sweep that ran after
  a gap marks older ones `suppressed` with the reason "occasion passed".
- Marketing mail is capped per client: at most one a day. When several are due for one client, the most
  relevant one goes (PRIORITY), the others wait a day (and are dropped once their occasion is over); when
  one already went out in the last day, every other one waits.

Both are a few set-based statements run by `send_due` before it claims anything.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import aliased

from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.retention.models import Message

STALE_AFTER = {
    "anniversary": timedelta(days=2),
    "expiry": timedelta(days=1),
    "abandoned_cart": timedelta(days=3),
    "favourites": timedelta(days=7),
    "reorder": timedelta(days=7),
    "dormant": timedelta(days=14),
    "followup": timedelta(days=7),
    "referral": timedelta(days=14),
    "campaign": timedelta(days=3),
    "loyalty": timedelta(days=14),
}
# Most relevant first: what the client is in the middle of, then what they picked, then the occasion.
PRIORITY = ("abandoned_cart", "favourites", "anniversary", "campaign", "reorder", "loyalty", "dormant")
DAY = timedelta(days=1)
MARKETING_CAP_WINDOW = timedelta(hours=20)  # "one a day", with slack for the local-morning window moving


def expire_stale(now: datetime) -> int:
    count = 0
    for rule, allowed in STALE_AFTER.items():
        count += db.session.execute(
            update(Message).where(Message.status == "queued", Message.send_after <= now, Message.rule == rule,
                                  Message.due_at < now - allowed)
            .values(status="suppressed", status_reason="occasion passed")
            .execution_options(synchronize_session=False)).rowcount or 0
    commit()  # a step of the sweep: what expired stays expired if a later step fails
    return count


def cap_marketing(now: datetime) -> int:
    """Postpone by a day every due marketing message beyond the client's allowance for today (one, by default:
    GALLERY_MARKETING_MAILS_PER_DAY); returns how many."""
    allowance = current_app.config["GALLERY"].marketing_mails_per_day
    if not allowance:
        return 0
    due = and_(Message.status == "queued", Message.send_after <= now, Message.category == "marketing",
               Message.client_id.is_not(None))
    sent = aliased(Message)
    mailed_today = select(func.count(sent.id)).where(
        sent.client_id == Message.client_id, sent.category == "marketing", sent.status.in_(("sent", "sending")),
        func.coalesce(sent.sent_at, sent.claimed_at) > now - MARKETING_CAP_WINDOW).scalar_subquery() >= allowance
    postponed = db.session.execute(update(Message).where(due, mailed_today)
                                   .values(send_after=now + DAY)
                                   .execution_options(synchronize_session=False)).rowcount or 0
    rank = func.row_number().over(
        partition_by=Message.client_id,
        order_by=(case({rule: index for index, rule in enumerate(PRIORITY)}, value=Message.rule, else_=len(PRIORITY)),
                  Message.due_at, Message.id)).label("rank")
    ranked = select(Message.id, rank).where(due).subquery()
    losers = select(ranked.c.id).where(ranked.c.rank > allowance)
    postponed += db.session.execute(update(Message).where(Message.id.in_(losers))
                                    .values(send_after=now + DAY)
                                    .execution_options(synchronize_session=False)).rowcount or 0
    commit()  # a step of the sweep: the postponements stand before messages are claimed
    return postponed
