"""Previews of retention mail with a real client of the photographer's, and test sends to the photographer."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery import mail
from gallery.accounts.branding import mail_brand
from gallery.retention.campaigns import get_campaign
from gallery.retention.delivery import NothingToSay, Recipient, render
from gallery.retention import wording
from gallery.retention.models import Message
from gallery.retention.rules import CATEGORIES, rules_of

PREVIEW_CODE = "PREVIEW-CODE"
# Plausible values for what a real message would carry from its planning.
SAMPLE_CONTEXT: dict[str, dict] = {"anniversary": {"occasion": "shoot", "years": 1}, "expiry": {"days_left": 7},
                  "dormant": {"months": 12}, "loyalty": {"tier_name": "VIP", "perks": {"discount_percent": 10}}}


def render_preview(photographer, client_id: str, *, rule: str | None = None, campaign_id: str | None = None,
                   locale: str | None = None, words: dict | None = None) -> dict:
    client = get_owned(Client, client_id, detail="No such client.", photographer_id=photographer.id)
    if not rule and not campaign_id:
        raise Problem(422, "Name a rule or a campaign to preview.", errors={"rule": ["Give rule or campaign_id."]})
    context: dict = {**SAMPLE_CONTEXT.get(rule or "", {})}
    if campaign_id:
        campaign = get_campaign(photographer.id, campaign_id)
        rule, context = "campaign", {"campaign_id": campaign.id}
        if not words and not campaign.wording:
            raise Problem(422, "Write the campaign's mail before previewing it.",
                          errors={"words": ["Give a subject and a text."]})
        offer = campaign.offer
    else:
        offer = next((r["settings"].get("offer") for r in rules_of(photographer.id) if r["kind"] == rule), None)
    if offer:  # shown as it would be issued, with a sample code (no coupon is made)
        context["issued_offer"] = sample_offer(offer)
    if words:
        try:
            context["preview_words"] = wording.check(words, rule)
        except wording.WordingError as error:
            raise Problem(422, "The text cannot be used: " + str(error), errors=error.errors) from None
    gallery_id = db.session.scalar(select(Gallery.id).where(Gallery.client_id == client.id, Gallery.status != "draft")
                                   .order_by(Gallery.id.desc()).limit(1))
    message = Message(id="preview", photographer_id=photographer.id, client_id=client.id, gallery_id=gallery_id,
                      rule=rule, category=CATEGORIES.get(rule, "marketing"), context=context)
    recipient = Recipient(client.id, client.name, client.email or photographer.email, locale or client.locale,
                          client.timezone)
    try:
        subject, text, html = render(message, recipient, photographer, clock.now())
    except NothingToSay as reason:
        raise Problem(422, f"{client.name} has nothing for this mail right now ({reason}); preview with "
                           "another client.") from None
    return {"subject": subject, "text": text, "html": html, "to": client.email}


def sample_offer(offer: dict) -> dict:
    described = {k: offer.get(k) for k in ("percent_off", "amount_off", "currency", "free_shipping")}
    valid_until = clock.now() + timedelta(days=offer.get("valid_days") or 30)
    return {**described, "code": PREVIEW_CODE, "valid_until": valid_until.isoformat()}


def send_test(photographer, client_id: str, **what) -> dict:
    """The preview, mailed to the photographer's own address."""
    shown = render_preview(photographer, client_id, **what)
    mail.queue_rendered(mail.Rendered(f"[Test] {shown['subject']}", shown["text"], shown["html"]),
                        kind="retention/test", to=photographer.email, language=photographer.locale or "en",
                        brand=mail_brand(photographer), photographer_id=photographer.id)
    return {**shown, "to": photographer.email}
