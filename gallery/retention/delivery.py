"""Rendering one outbox Message in the client's language and handing it to the mail backend."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale, format_date
from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.clients.models import Client
from gallery.engagement.models import Event
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries.models import Gallery, Rendition
from gallery.sharing.models import ShareLink
from gallery.mail.services import build_message, send
from gallery.retention import content, offers, schedule, tokens
from gallery.sharing import visibility
from gallery.sharing.links import page_url
from gallery.sharing.models import Visitor
from gallery.storage.signing import signed_url

FAVOURITES_SHOWN = 6
RENDITION_LINK_TTL = 60 * 60 * 24 * 60  # photo links in a mail keep working for two months


def gallery_url(gallery_id: str | None, client_id: str | None, now: datetime) -> str | None:
    """The client's share link to this gallery (or, without one, to their newest gallery)."""
    stmt = (select(ShareLink.token).join(Gallery, Gallery.id == ShareLink.gallery_id)
            .where(ShareLink.role == "client", ShareLink.revoked_at.is_(None),
                   (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now))
            .order_by(ShareLink.created_at.desc()).limit(1))
    if gallery_id:
        stmt = stmt.where(ShareLink.gallery_id == gallery_id)
    elif client_id:
        stmt = stmt.where(Gallery.client_id == client_id)
    else:
        return None
    token = db.session.scalar(stmt)
    return page_url(token) if token else None


def guest_url(visitor_id: str, now: datetime) -> str | None:
    """The share link the guest identified on, while it still works."""
    token = db.session.scalar(
        select(ShareLink.token).join(Visitor, Visitor.share_link_id == ShareLink.id)
        .where(Visitor.id == visitor_id, ShareLink.revoked_at.is_(None),
               (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now)))
    return page_url(token) if token else None


def favourite_photos(client_id: str, now: datetime) -> list[dict]:
    """The client's current favourites (favourited and not unfavourited since), newest first, as links to the
    image the visibility rule allows in a mail (a thumbnail: never a clean large image of a watermarked
    gallery)."""
    events = db.session.execute(
        select(Event.photo_id, Event.kind).where(Event.client_id == client_id,
                                                 Event.kind.in_(("favourited", "unfavourited")),
                                                 Event.photo_id.is_not(None), Event.ts <= now)
        .order_by(Event.ts.desc(), Event.id.desc())).all()
    seen, current = set(), []
    for photo_id, kind in events:
        if photo_id in seen:
            continue
        seen.add(photo_id)
        if kind == "favourited":
            current.append(photo_id)
    if not current:
        return []
    rows: dict[str, list[Rendition]] = {}
    for rendition in db.session.scalars(select(Rendition).where(
            Rendition.photo_id.in_(current), Rendition.format == "jpeg",
            Rendition.name.in_(visibility.rendition_names(False, "mail")))):
        rows.setdefault(rendition.photo_id, []).append(rendition)
    # A mail may be forwarded: whoever the client is, it shows what a guest link could see of each photo.
    renditions = {pid: visibility.best_rendition(False, "mail", found) for pid, found in rows.items()}
    return [{"photo_id": pid, "url": signed_url(renditions[pid].storage_key, expires_in=RENDITION_LINK_TTL,
                                                 absolute=True)}
            for pid in current if renditions.get(pid) is not None][:FAVOURITES_SHOWN]


def _tracked(message_id: str, url: str | None) -> str | None:
    return tokens.url("click", [message_id, url]) if url else None


@dataclass
class Recipient:
    """Who a message goes to: a client, or a guest visitor (in the studio's language and timezone)."""

    id: str | None  # the client id; None for a guest
    name: str
    email: str
    locale: str | None
    timezone: str | None


def recipient_of(message, photographer: Photographer) -> Recipient:
    if message.client_id:
        client = db.session.get(Client, message.client_id)
        return Recipient(client.id, client.name, client.email, client.locale, client.timezone)
    visitor = db.session.get(Visitor, message.visitor_id)
    return Recipient(None, visitor.name or visitor.email.split("@")[0], visitor.email, photographer.locale,
                     photographer.timezone)


def render(message, client: Recipient, photographer: Photographer, now: datetime) -> tuple[str, str, str]:
    """(subject, text, html) of `message` in the client's language."""
    gallery = db.session.get(Gallery, message.gallery_id) if message.gallery_id else None
    locale = content.mail_locale(client.locale)
    tz = schedule.zone(client.timezone)
    with force_locale(locale):
        offer = message.context.get("issued_offer")
        offer_text = (content.offer_line(offer, datetime.fromisoformat(offer["valid_until"]).astimezone(tz).date())
                      if offer else None)
        expires_local = (format_date(gallery.expires_at.astimezone(tz).date(), format="long")
                         if gallery is not None and gallery.expires_at else None)
        ctx = {"studio": photographer.studio_name, "client_name": client.name, **message.context,
               "gallery_title": gallery.title if gallery else None, "expires_local": expires_local}
        words = content.texts(message.rule, ctx)
        if message.rule == "followup":
            target = tokens.url("survey", message.id)
        elif message.visitor_id:
            target = guest_url(message.visitor_id, now)  # never the client's own link
        else:
            target = gallery_url(message.gallery_id, client.id, now)
        photos = [{"url": _tracked(message.id, p["url"])}
                  for p in (favourite_photos(client.id, now) if message.rule == "favourites" else [])]
        variables = {
            "lang": locale, "words": words, "client_name": client.name, "studio": photographer.studio_name,
            "button_url": _tracked(message.id, target), "photos": photos, "offer_text": offer_text,
            "unsubscribe_url": tokens.url("unsubscribe", message.id) if message.category != "transactional" else None,
            "open_pixel_url": tokens.url("open", message.id, ".gif"),
        }
        text = render_template("mail/retention/message.txt", **variables)
        html = render_template("mail/retention/message.html", **variables)
    return words["subject"], text, html


def deliver(message, now: datetime) -> None:
    """Issue the offer, render, send, and record `email_sent`; the caller has claimed the message."""
    photographer = db.session.get(Photographer, message.photographer_id)
    client = recipient_of(message, photographer)
    offer = message.context.get("offer")
    if offer and message.category != "transactional" and "issued_offer" not in message.context:
        issued = offers.issue(message, offer, now)
        message.context = {**message.context, "issued_offer": issued}
        message.coupon_code = issued.get("code")
        if message.rule == "anniversary":
            offers.reopen_gallery_for_offer(message, datetime.fromisoformat(issued["valid_until"]))
    subject, text, html = render(message, client, photographer, now)
    headers = {"X-Gallery-Message": message.id, "Auto-Submitted": "auto-generated"}
    if message.category != "transactional":
        unsubscribe = tokens.url("unsubscribe", message.id)
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["Precedence"] = "bulk"
    email = build_message(to=client.email, to_name=client.name, subject=subject, text=text, html=html,
                          reply_to=photographer.email, headers=headers)
    # RFC 5322 allows 998-character lines; without this a long List-Unsubscribe URL would be
    # folded into an RFC 2047 encoded-word, which no mail client reads as a URL.
    email.policy = email.policy.clone(max_line_length=998)
    email["Content-Language"] = content.mail_locale(client.locale)  # after set_content, which drops Content-*
    message.locale = content.mail_locale(client.locale)
    message.to_email = client.email
    message.subject = subject
    message.status = "sent"
    message.sent_at = now
    record_event("email_sent", photographer_id=message.photographer_id, client_id=message.client_id,
                 visitor_id=message.visitor_id, gallery_id=message.gallery_id, payload={"message_id": message.id, "rule": message.rule}, ts=now)
    db.session.flush()
    send(email)
