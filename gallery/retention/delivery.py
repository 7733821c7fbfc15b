"""Rendering one retention Message in the client's language and queueing it in the mail outbox."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale, format_date
from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.clients.models import Client
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery import mail
from gallery.accounts.branding import contact, mail_brand
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.sharing.models import ShareLink
from gallery.retention import content, mail_facts, offers, schedule, tokens, words
from gallery.sharing import visibility
from gallery.sharing.links import page_url
from gallery.sharing.models import Visitor
from gallery.storage.signing import signed_url

FAVOURITES_SHOWN = 6
# Photo links in a mail live a week and only while the client's link serves (revoked, archived or expired:
# they stop at once, whatever their expiry).
RENDITION_LINK_TTL = 60 * 60 * 24 * 7


def gallery_url(gallery_id: str | None, client_id: str | None, now: datetime) -> str | None:
    """The client's share link to this gallery (or, without one, to their newest gallery)."""
    stmt = (select(ShareLink.token).join(Gallery, Gallery.id == ShareLink.gallery_id)
            .where(*_live_client_link(now)).order_by(ShareLink.created_at.desc(), ShareLink.id.desc()).limit(1))
    if gallery_id:
        stmt = stmt.where(ShareLink.gallery_id == gallery_id)
    elif client_id:
        stmt = stmt.where(Gallery.client_id == client_id)
    else:
        return None
    token = db.session.scalar(stmt)
    return page_url(token) if token else None


def _live_client_link(now: datetime) -> tuple:
    """Which links a mail may point a client to: a client link, not revoked, not expired."""
    return (ShareLink.role == "client", ShareLink.revoked_at.is_(None),
            (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now))


def guest_url(visitor_id: str, now: datetime) -> str | None:
    """The share link the guest identified on, while it still works."""
    token = db.session.scalar(
        select(ShareLink.token).join(Visitor, Visitor.share_link_id == ShareLink.id)
        .where(Visitor.id == visitor_id, ShareLink.revoked_at.is_(None),
               (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now)))
    return page_url(token) if token else None


def favourite_photos(client_id: str, now: datetime, only: list[str] | None = None) -> list[dict]:
    """Links to the favourites `only` (the ones not ordered yet), newest first, each to the image the
    visibility rule allows in a mail (a thumbnail: never a clean large image of a watermarked gallery)."""
    current = only or []
    if not current:
        return []
    rows: dict[str, list[Rendition]] = {}
    galleries: dict[str, str] = {}
    for rendition, gallery_id in db.session.execute(
            select(Rendition, Photo.gallery_id).join(Photo, Photo.id == Rendition.photo_id).where(
                Rendition.photo_id.in_(current), Rendition.format == "jpeg",
                Rendition.name.in_(visibility.rendition_names(False, "mail")))):
        rows.setdefault(rendition.photo_id, []).append(rendition)
        galleries[rendition.photo_id] = gallery_id
    # A mail may be forwarded: whoever the client is, it shows what a guest link could see of each photo.
    renditions = {pid: visibility.best_rendition(False, "mail", found) for pid, found in rows.items()}
    links = _client_link_ids(set(galleries.values()), now)
    shown = []
    for pid in current:
        if renditions.get(pid) is None or galleries.get(pid) not in links:
            continue  # no live client link: the photo is not shown at all
        shown.append({"photo_id": pid, "url": signed_url(renditions[pid].storage_key, expires_in=RENDITION_LINK_TTL,
                                                         scope=f"link:{links[galleries[pid]]}", absolute=True)})
    return shown[:FAVOURITES_SHOWN]


def _client_link_ids(gallery_ids: set[str], now: datetime) -> dict[str, str]:
    """The live link of each gallery the photos' mail URLs die with: its newest client link, else its newest
    link (a gallery shared only through a guest link)."""
    if not gallery_ids:
        return {}
    rows = db.session.execute(
        select(ShareLink.gallery_id, ShareLink.id).where(
            ShareLink.gallery_id.in_(gallery_ids), ShareLink.revoked_at.is_(None),
            (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now))
        .order_by(ShareLink.role == "client", ShareLink.created_at, ShareLink.id)).all()  # the last one wins
    return dict(rows)


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


class NothingToSay(Exception):
    """The message has nothing left to say (every favourite ordered, no page to link to): suppress it."""


def _target(message, client: Recipient, photographer: Photographer, now: datetime) -> str | None:
    if message.rule == "followup":
        return tokens.url("survey", message.id)
    if message.visitor_id:
        return guest_url(message.visitor_id, now)  # never the client's own link
    known = getattr(message, "_client_links", None)  # prefetch's look-up for the whole chunk
    if known is not None and (message.gallery_id or client.id):
        token = known[0].get(message.gallery_id) if message.gallery_id else known[1].get(client.id)
        link = page_url(token) if token else None
    else:
        link = gallery_url(message.gallery_id, client.id, now)
    if link is None and message.rule in ("anniversary", "dormant", "loyalty", "campaign", "referral"):
        link = contact(photographer)["website"]
    if link is None and message.rule != "campaign":
        raise NothingToSay("no gallery or website to link to")
    return link


_UNKNOWN = object()


def render(message, client: Recipient, photographer: Photographer, now: datetime, *, target=_UNKNOWN,
           favourites: list[str] | None = None, locale: str | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of `message` in the client's language. `target`, `favourites` and `locale` are what
    `deliver` already looked up for this message (the preview leaves them to be looked up here)."""
    gallery = db.session.get(Gallery, message.gallery_id) if message.gallery_id else None
    locale = locale or _language(message, client)
    tz = schedule.zone(client.timezone)
    if message.rule != "favourites":
        favourites = []
    elif favourites is None:
        favourites = mail_facts.unordered_favourites(client.id)
    if message.rule == "favourites" and not favourites:
        raise NothingToSay("every favourite is ordered")
    with force_locale(locale):
        offer = message.context.get("issued_offer")
        offer_until = datetime.fromisoformat(offer["valid_until"]).astimezone(tz).date() if offer else None
        offer_text = content.offer_line(offer, offer_until) if offer else None
        expires_local = (format_date(gallery.expires_at.astimezone(tz).date(), format="long")
                         if gallery is not None and gallery.expires_at else None)
        ctx = {"studio": photographer.studio_name, "client_name": client.name,
               "event_type": gallery.event_type if gallery else None, **message.context,
               "gallery_title": gallery.title if gallery else None, "expires_local": expires_local,
               "offer_until_local": format_date(offer_until, format="long") if offer_until else None,
               "favourites_count": len(favourites) or None,
               "cart_lines": mail_facts.cart_lines(client.id, message.gallery_id)
               if message.rule == "abandoned_cart" else []}
        if target is _UNKNOWN:
            target = _target(message, client, photographer, now)
        said = words.words_for(message, ctx, locale, link=target, offer_text=offer_text)
        # Pictures load from their own (untracked) URL; only following the link counts as a click.
        photos = [{"src": p["url"], "href": _tracked(message.id, target or p["url"])}
                  for p in favourite_photos(client.id, now, only=favourites)]
        variables = {
            "lang": locale, "words": said, "subject": said["subject"], "brand": mail_brand(photographer),
            "client_name": client.name, "studio": photographer.studio_name, "lines": ctx["cart_lines"],
            "button_url": _tracked(message.id, target), "photos": photos, "offer_text": offer_text,
            "unsubscribe_url": tokens.url("unsubscribe", message.id) if message.category != "transactional" else None,
            "open_pixel_url": tokens.url("open", message.id, ".gif"),
        }
        text = render_template("mail/retention/message.txt", **variables)
        html = render_template("mail/retention/message.html", **variables)
    return said["subject"], text, html


def prefetch(message_ids: list[str], now: datetime | None = None) -> list:
    """The messages, with their clients, galleries, studios and campaigns loaded in a few queries and held by the
    messages' `_prefetched` (the identity map holds unchanged objects weakly), so each message's look-ups
    are answered from memory; with `now`, also each gallery's client link (as gallery_url finds it)."""
    from gallery.retention.models import Campaign, Message

    if not message_ids:
        return []
    messages = list(db.session.scalars(select(Message).where(Message.id.in_(message_ids)).order_by(Message.id)))
    held = []
    campaign_ids = {(m.context or {}).get("campaign_id") for m in messages if m.rule == "campaign"}
    for model, ids in ((Client, {m.client_id for m in messages}), (Gallery, {m.gallery_id for m in messages}),
                       (Photographer, {m.photographer_id for m in messages}), (Campaign, campaign_ids)):
        ids.discard(None)
        if ids:
            held.extend(db.session.scalars(select(model).where(model.id.in_(ids))))
    links = None
    if now is not None:
        links = (_newest_links(ShareLink.gallery_id, {m.gallery_id for m in messages if m.gallery_id}, now),
                 _newest_links(Gallery.client_id, {m.client_id for m in messages if m.client_id and not m.gallery_id},
                               now))
    for message in messages:
        message._prefetched = held
        if links is not None:
            message._client_links = links
    return messages


def _newest_links(key, values: set[str], now: datetime) -> dict[str, str]:
    """gallery_url for many galleries (key ShareLink.gallery_id) or clients (Gallery.client_id) in one query:
    the newest live client link of each."""
    if not values:
        return {}
    rows = db.session.execute(
        select(key, ShareLink.token).join(Gallery, Gallery.id == ShareLink.gallery_id)
        .where(key.in_(values), *_live_client_link(now))
        .order_by(ShareLink.created_at, ShareLink.id)).all()
    return dict(rows)  # the newest wins


def _language(message, client: Recipient) -> str:
    locale = content.mail_locale(client.locale)
    return words.campaign_locale(message, locale) if message.rule == "campaign" else locale


def deliver(message, now: datetime) -> bool:
    """Issue the offer, render, queue the mail, and record `email_sent`; the caller has claimed the message.
    False when the message has nothing left to say: it is suppressed with the reason, and nothing is issued."""
    photographer = db.session.get(Photographer, message.photographer_id)
    client = recipient_of(message, photographer)
    favourites = None
    try:
        if message.rule == "favourites":
            favourites = mail_facts.unordered_favourites(client.id)
            if not favourites:
                raise NothingToSay("every favourite is ordered")
        target = _target(message, client, photographer, now)
    except NothingToSay as reason:
        message.status, message.status_reason = "suppressed", str(reason)[:200]
        return False
    offer = message.context.get("offer")
    if offer and message.category != "transactional" and "issued_offer" not in message.context:
        issued = offers.issue(message, offer, now)
        message.context = {**message.context, "issued_offer": issued}
        message.coupon_code = issued.get("code")
        if message.rule == "anniversary":
            offers.reopen_gallery_for_offer(message, datetime.fromisoformat(issued["valid_until"]))
    language = _language(message, client)
    subject, text, html = render(message, client, photographer, now, target=target, favourites=favourites,
                                 locale=language)
    headers = {"X-Gallery-Message": message.id}
    if message.category != "transactional":
        unsubscribe = tokens.url("unsubscribe", message.id)
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["Precedence"] = "bulk"
    mail.queue_rendered(mail.Rendered(subject, text, html), kind=f"retention/{message.rule}", to=client.email,
                        to_name=client.name, language=language, brand=mail_brand(photographer), headers=headers,
                        photographer_id=message.photographer_id)
    message.locale = language
    message.to_email = client.email
    message.subject = subject
    message.status = "sent"
    message.sent_at = now
    record_event("email_sent", photographer_id=message.photographer_id, client_id=message.client_id,
                 visitor_id=message.visitor_id, gallery_id=message.gallery_id,
                 payload={"message_id": message.id, "rule": message.rule}, ts=now)
    return True
