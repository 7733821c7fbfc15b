"""Retention actions callable from routes, jobs and the CLI: unsubscribe, tracking, feedback, listing."""
from __future__ import annotations

from sqlalchemy import select, update

from gallery.accounts.models import Photographer
from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.pagination import Page, paginate
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery import mail
from gallery.retention import followups
from gallery.retention.models import Feedback, Message, Unsubscribe

DETRACTOR_MAX = 6  # NPS: 0-6 detractors, 7-8 passives, 9-10 promoters


def _message(message_id) -> Message:
    message = db.session.get(Message, message_id) if isinstance(message_id, str) else None
    if message is None:
        raise Problem(404, "This link no longer points to a message.")
    return message


def message_for(message_id) -> Message:
    return _message(message_id)


def unsubscribe(message_id: str) -> Message:
    """One-click unsubscribe from the studio's marketing mail (idempotent, no login: RFC 8058)."""
    message = _message(message_id)
    email = message.to_email or db.session.scalar(select(Client.email).where(Client.id == message.client_id))
    if email is None:
        return message
    exists = db.session.scalar(select(Unsubscribe.id).where(Unsubscribe.photographer_id == message.photographer_id,
                                                            Unsubscribe.email == email))
    if exists is None:
        db.session.add(Unsubscribe(photographer_id=message.photographer_id, email=email, message_id=message.id))
        client = db.session.get(Client, message.client_id) if message.client_id else None
        if client is not None and client.marketing_consent:
            client.marketing_consent = False
            client.consent_withdrawn_at = clock.now()
        record_event("unsubscribed", photographer_id=message.photographer_id, client_id=message.client_id,
                     payload={"message_id": message.id, "rule": message.rule})
    db.session.flush()
    return message


def record_open(message_id: str) -> None:
    message = _message(message_id)
    now = clock.now()
    if message.opened_at is None:
        db.session.execute(update(Message).where(Message.id == message.id, Message.opened_at.is_(None))
                           .values(opened_at=now).execution_options(synchronize_session=False))
    record_event("email_opened", photographer_id=message.photographer_id, client_id=message.client_id,
                 gallery_id=message.gallery_id, payload={"message_id": message.id, "rule": message.rule})


def record_click(message_id: str, url: str) -> None:
    message = _message(message_id)
    now = clock.now()
    values = {"clicked_at": now}
    if message.opened_at is None:
        values["opened_at"] = now  # a click proves an open even when images were blocked
    db.session.execute(update(Message).where(Message.id == message.id, Message.clicked_at.is_(None))
                       .values(**values).execution_options(synchronize_session=False))
    record_event("email_clicked", photographer_id=message.photographer_id, client_id=message.client_id,
                 gallery_id=message.gallery_id, payload={"message_id": message.id, "rule": message.rule, "url": url})


def submit_feedback(message_id: str, score: int, comment: str | None) -> Feedback:
    """Store a survey answer (one per message; a second answer replaces the first).
    A detractor score alerts the photographer at once."""
    message = _message(message_id)
    if message.rule != "followup":
        raise Problem(404, "This link is not a survey.")
    feedback = db.session.scalar(select(Feedback).where(Feedback.message_id == message.id))
    if feedback is None:
        feedback = Feedback(photographer_id=message.photographer_id, message_id=message.id,
                            client_id=message.client_id, gallery_id=message.gallery_id, score=score)
        db.session.add(feedback)
    feedback.score, feedback.comment, feedback.created_at = score, comment, clock.now()
    record_event("feedback_given", photographer_id=message.photographer_id, client_id=message.client_id,
                 gallery_id=message.gallery_id, payload={"score": score})
    db.session.flush()
    followups.open_for_feedback(feedback)
    if score <= DETRACTOR_MAX:
        _alert_photographer(message, feedback)
    return feedback


def _alert_photographer(message: Message, feedback: Feedback) -> None:
    """A detractor's answer, at once to the photographer (in their language); replies go to the client."""
    photographer = db.session.get(Photographer, message.photographer_id)
    client = db.session.get(Client, message.client_id) if message.client_id else None
    mail.queue("survey_alert", to=photographer.email, language=photographer.locale,
               reply_to=client.email if client and client.email else None, photographer_id=photographer.id,
               context={"who": f"{client.name} <{client.email}>" if client else "-", "score": feedback.score,
                        "comment": feedback.comment})


def list_messages(photographer_id: str, *, cursor=None, limit=50, status=None, rule=None, client_id=None) -> Page:
    stmt = select(Message).where(Message.photographer_id == photographer_id)
    if status:
        stmt = stmt.where(Message.status == status)
    if rule:
        stmt = stmt.where(Message.rule == rule)
    if client_id:
        stmt = stmt.where(Message.client_id == client_id)
    return paginate(stmt, db.session, keys=[Message.id], cursor=cursor, limit=limit, descending=True)
