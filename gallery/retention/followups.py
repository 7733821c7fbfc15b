"""The feedback loop: a low survey score or a complaint opens a follow-up for the photographer, who replies,
notes and resolves it; the metrics tell how many unhappy clients came back."""
from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from gallery import mail
from gallery.accounts.branding import mail_brand
from gallery.core import clock
from gallery.core.pagination import paginate
from gallery.core.scoping import get_owned
from gallery.engagement.models import Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.clients.models import Client
from gallery.galleries.models import Gallery
from gallery.retention.models import FollowUp

LOW_SCORE_MAX = 6  # NPS detractors: 0-6


def awaiting_photographer():
    """The one rule for a follow-up that waits on the photographer: open until resolved (a SQL condition)."""
    return FollowUp.status == "open"


def open_for_feedback(feedback) -> FollowUp | None:
    """A detractor's answer opens (or updates) the follow-up of that answer."""
    followup = db.session.scalar(select(FollowUp).where(FollowUp.feedback_id == feedback.id))
    if feedback.score > LOW_SCORE_MAX:
        if followup is not None and followup.status == "open":
            _log(followup, "note", f"The client changed their score to {feedback.score}/10.")
        return followup
    if followup is None:
        followup = FollowUp(photographer_id=feedback.photographer_id, client_id=feedback.client_id,
                            gallery_id=feedback.gallery_id, feedback_id=feedback.id, kind="low_score", log=[])
        db.session.add(followup)
    followup.score, followup.comment, followup.status, followup.resolved_at = (
        feedback.score, feedback.comment, "open", None)
    db.session.flush()
    return followup


def open_complaint(photographer_id: str, client_id: str | None, comment: str, gallery_id: str | None = None):
    if client_id:
        get_owned(Client, client_id, detail="No such client.", photographer_id=photographer_id)
    followup = FollowUp(photographer_id=photographer_id, client_id=client_id, gallery_id=gallery_id,
                        kind="complaint", comment=comment, log=[])
    db.session.add(followup)
    db.session.flush()
    return followup


def get_followup(photographer_id: str, followup_id: str) -> FollowUp:
    return get_owned(FollowUp, followup_id, detail="No such follow-up.", photographer_id=photographer_id)


def list_followups(photographer_id: str, *, status=None, cursor=None, limit=50):
    stmt = select(FollowUp).where(FollowUp.photographer_id == photographer_id)
    if status:
        stmt = stmt.where(FollowUp.status == status)
    page = paginate(stmt, db.session, keys=[FollowUp.id], cursor=cursor, limit=limit, descending=True)
    with_clients(page.items)
    return page


def with_clients(followups: list[FollowUp]) -> list[FollowUp]:
    """Each follow-up with its client's name and address (`client_name`, `client_email`), in one query."""
    ids = {f.client_id for f in followups if f.client_id}
    found = {row.id: row for row in db.session.execute(
        select(Client.id, Client.name, Client.email).where(Client.id.in_(ids)))} if ids else {}
    for followup in followups:
        row = found.get(followup.client_id or "")
        followup.client_name, followup.client_email = (row.name, row.email) if row else (None, None)
    return followups


def reply(photographer, followup_id: str, subject: str, body: str) -> FollowUp:
    """Write to the client through the mail outbox (their language, the studio's brand; replies come back to the
    studio's address) and keep the reply in the follow-up's log."""
    followup = get_followup(photographer.id, followup_id)
    client = db.session.get(Client, followup.client_id) if followup.client_id else None
    if client is None or not client.email:
        raise Problem(422, "This follow-up has no client with an email address to reply to.",
                      errors={"body": ["No address to write to."]})
    mail.queue("followup_reply", to=client.email, to_name=client.name, language=client.locale,
               context={"subject_text": subject, "body": body}, brand=mail_brand(photographer),
               photographer_id=photographer.id)
    _log(followup, "reply", f"{subject}\n\n{body}")
    db.session.flush()
    return with_clients([followup])[0]


def _log(followup: FollowUp, kind: str, text: str) -> None:
    followup.log = [*(followup.log or []), {"at": clock.now().isoformat(), "kind": kind, "text": text}]


def act(photographer_id: str, followup_id: str, *, note: str | None = None, resolve: bool | None = None) -> FollowUp:
    """Add a note (a call made, a reply sent) and/or resolve or reopen."""
    followup = get_followup(photographer_id, followup_id)
    if note:
        _log(followup, "note", note)
    if resolve is True and followup.status != "resolved":
        followup.status, followup.resolved_at = "resolved", clock.now()
        _log(followup, "resolved", "")
    elif resolve is False and followup.status == "resolved":
        followup.status, followup.resolved_at = "open", None
        _log(followup, "reopened", "")
    if not note and resolve is None:
        raise Problem(422, "Give a note, or resolve: true/false.")
    db.session.flush()
    return followup


def outcomes(photographer_id: str) -> dict:
    """Unhappy clients followed up, resolved, and how many later ordered or booked again."""
    came_back = or_(
        exists(select(Event.id).where(Event.client_id == FollowUp.client_id, Event.kind == "order_paid",
                                      Event.ts > FollowUp.created_at)),
        exists(select(Gallery.id).where(Gallery.client_id == FollowUp.client_id,
                                        Gallery.published_at > FollowUp.created_at)))
    row = db.session.execute(select(
        func.count(FollowUp.id),
        func.count(FollowUp.resolved_at),
        func.count(func.distinct(FollowUp.client_id)).filter(came_back),
    ).where(FollowUp.photographer_id == photographer_id)).one()
    opened, resolved, returned = (int(v or 0) for v in row)
    return {"opened": opened, "resolved": resolved, "clients_came_back": returned}



