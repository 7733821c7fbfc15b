"""The optional daily digest: yesterday's engagement and retention, mailed to the photographer at
their chosen local hour. Opt-in (rule kind `digest`); one per studio and day (outbox dedupe key)."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale, format_date, format_decimal
from sqlalchemy import func, select

from gallery.accounts.models import Photographer
from gallery.core.ids import new_id
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery import mail
from gallery.insights.analytics import overview
from gallery.retention import content, schedule
from gallery.retention.models import Message, RetentionRule
from gallery.retention.outbox_writes import insert_ignoring_duplicates
from gallery.retention.rules import effective


def send_digests(now: datetime) -> int:
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
        if not claimed:
            continue  # another sweep sent today's
        stats = overview(photographer.id, day, day)
        sent_messages = db.session.scalar(select(func.count()).select_from(Message).where(
            Message.photographer_id == photographer.id, Message.status == "sent", Message.rule != "digest",
            Message.sent_at >= now - timedelta(days=1), Message.sent_at < now)) or 0
        language = content.mail_locale(photographer.locale)
        with force_locale(language):
            day_text = format_date(day, format="full")
            revenue = format_decimal(stats["revenue"] / 100, format="#,##0.00")
        mail.queue("digest", to=photographer.email, language=language, photographer_id=photographer.id,
                   context={"studio": photographer.studio_name, "day": day_text, "stats": stats, "revenue": revenue,
                            "sent_messages": sent_messages, "galleries": stats["galleries"][:10]})
        commit()  # the day's claim and its mail together
        sent += 1
    return sent
