"""The optional daily digest: yesterday's engagement and retention, mailed to the photographer at
their chosen local hour. Opt-in (rule kind `digest`); one per studio and day (outbox dedupe key)."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from gallery.accounts.models import Photographer
from gallery.core.ids import new_id
from gallery.extensions import db
from gallery.insights.analytics import overview
from gallery.mail.services import build_message, send
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
        db.session.commit()
        if not claimed:
            continue  # another sweep sent today's
        stats = overview(photographer.id, day, day)
        sent_messages = db.session.scalar(select(func.count()).select_from(Message).where(
            Message.photographer_id == photographer.id, Message.status == "sent", Message.rule != "digest",
            Message.sent_at >= now - timedelta(days=1), Message.sent_at < now)) or 0
        with force_locale(content.mail_locale(photographer.locale)):
            subject, text = _digest_text(photographer, day, stats, sent_messages)
        send(build_message(to=photographer.email, subject=subject, text=text))
        sent += 1
    return sent


def _digest_text(photographer, day, stats: dict, sent_messages: int) -> tuple[str, str]:
    """Subject and body in the photographer's language (counts as "label: n", which needs no plural forms)."""
    studio = photographer.studio_name
    lines = [f"{studio}: {format_date(day, format='full')}", "",
             _("Gallery visits: %(visits)d, unique visitors: %(visitors)d", visits=stats["visits"],
               visitors=stats["unique_visitors"]),
             _("Favourites: %(count)d", count=stats["favourites"]),
             _("Downloads: %(count)d", count=stats["downloads"]),
             _("Shares: %(count)d", count=stats["shares"]),
             _("Paid orders: %(count)d, revenue %(revenue)s", count=stats["orders"],
               revenue=format_decimal(stats["revenue"] / 100, format="#,##0.00")),
             _("Active clients: %(count)d", count=stats["active_clients"]),
             _("Retention mails sent: %(count)d", count=sent_messages), ""]
    for gallery in stats["galleries"][:10]:
        lines.append("- " + _("%(title)s: visits %(visits)d, favourites %(favourites)d, downloads %(downloads)d",
                              title=gallery["title"], visits=gallery["visits"], favourites=gallery["favourites"],
                              downloads=gallery["downloads"]))
    subject = _("Your day at %(studio)s: visits %(visits)d, orders %(orders)d", studio=studio,
                visits=stats["visits"], orders=stats["orders"])
    return subject, "\n".join(lines)
