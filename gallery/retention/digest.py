"""The optional daily digest: yesterday's engagement and retention, mailed to the photographer at
their chosen local hour. Opt-in (rule kind `digest`); one per studio and day (outbox dedupe key)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from gallery.accounts.models import Photographer
from gallery.core.ids import new_id
from gallery.extensions import db
from gallery.mail.services import build_message, send
from gallery.retention import schedule
from gallery.retention.models import Message, RetentionRule
from gallery.retention.rules import effective


def send_digests(now: datetime) -> int:
    from gallery.engagement.analytics import overview
    from gallery.retention.sweep import insert_ignoring_duplicates

    opted_in = db.session.execute(
        select(RetentionRule.settings, Photographer).join(Photographer, Photographer.id == RetentionRule.photographer_id)
        .where(RetentionRule.kind == "digest", RetentionRule.enabled.is_(True))).all()
    sent = 0
    for stored, photographer in opted_in:
        local = now.astimezone(schedule.zone(photographer.timezone))
        if local.hour != effective("digest", stored)["hour"]:
            continue
        day = local.date() - timedelta(days=1)
        claimed = insert_ignoring_duplicates([{
            "id": new_id(), "photographer_id": photographer.id, "rule": "digest", "category": "photographer",
            "dedupe_key": f"digest:{photographer.id}:{day.isoformat()}", "due_at": now, "send_after": now,
            "context": {}, "status": "sent", "sent_at": now, "to_email": photographer.email, "created_at": now}])
        db.session.commit()
        if not claimed:
            continue  # another sweep sent today's
        stats = overview(photographer.id, day, day)
        sent_messages = db.session.scalar(select(func.count()).select_from(Message).where(
            Message.photographer_id == photographer.id, Message.status == "sent", Message.rule != "digest",
            Message.sent_at >= now - timedelta(days=1), Message.sent_at < now)) or 0
        lines = [f"{photographer.studio_name}: {day:%A %d %B %Y}", "",
                 f"Gallery visits: {stats['visits']} ({stats['unique_visitors']} visitors)",
                 f"Favourites: {stats['favourites']}", f"Downloads: {stats['downloads']}",
                 f"Shares: {stats['shares']}", f"Paid orders: {stats['orders']} (revenue {stats['revenue'] / 100:.2f})",
                 f"Active clients: {stats['active_clients']}", f"Retention mails sent: {sent_messages}", ""]
        for gallery in stats["galleries"][:10]:
            lines.append(f"- {gallery['title']}: {gallery['visits']} visits, {gallery['favourites']} favourites, "
                         f"{gallery['downloads']} downloads")
        send(build_message(to=photographer.email, subject=f"Your day at {photographer.studio_name}: "
                                                          f"{stats['visits']} visits, {stats['orders']} orders",
                           text="\n".join(lines)))
        sent += 1
    return sent
