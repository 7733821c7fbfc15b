"""Photographer routes of the retention program: own wording, campaigns and segments, loyalty, follow-ups."""
from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import func, select

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.clients.models import Client
from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.extensions import db
from gallery.errors import Problem
from gallery.galleries.models import Gallery
from gallery.retention import campaigns, followups, loyalty, preview, segments, words
from gallery.retention import program_schemas as s
from gallery.retention.models import ClientTier
from gallery.retention.schedule import zone
from gallery.retention.wording import PLACEHOLDERS, placeholders_for

blp = Blueprint("retention_program", __name__, url_prefix="/api/v1",
                description="Your own mail texts, campaigns to segments, loyalty tiers and follow-ups")


def _me():
    return current_photographer()


def _studio_today():
    return clock.now().astimezone(zone(_me().timezone)).date()


# ---------------------------------------------------------------- wording

@blp.get("/retention/wording")
@photographer_required
@blp.response(200, s.WordingListSchema)
def list_wording():
    """Your texts per rule and language, every placeholder, and which placeholders each rule's mail fills."""
    applies = {rule: sorted(placeholders_for(rule)) for rule in (*s.WORDED_RULES, "campaign")}
    return {"placeholders": PLACEHOLDERS, "wordings": words.list_wordings(_me().id), "applies": applies}


@blp.get("/retention/wording/<rule>/<locale>")
@photographer_required
@blp.response(200, s.RuleWordsSchema)
def get_wording(rule, locale):
    """The text of one rule's mail in one language: your own, else the translated default with placeholders."""
    _rule_and_locale(rule, locale)
    return words.wording_of(_me().id, rule, locale)


def _rule_and_locale(rule, locale):
    if rule not in s.WORDED_RULES or locale not in s.LOCALES:
        raise Problem(404, "No such rule or language.")


@blp.put("/retention/wording/<rule>/<locale>")
@photographer_required
@blp.arguments(s.WordsSchema)
@blp.response(200, s.WordingSchema)
def put_wording(texts, rule, locale):
    """Your own subject, body and button for one rule's mail in one language (placeholders checked)."""
    _rule_and_locale(rule, locale)
    row = words.put_wording(_me().id, rule, locale, texts)
    db.session.flush()
    return row


@blp.delete("/retention/wording/<rule>/<locale>")
@photographer_required
@blp.response(204)
def delete_wording(rule, locale):
    """Back to the default, translated text for that rule and language."""
    words.delete_wording(_me().id, rule, locale)


@blp.post("/retention/wording/preview")
@photographer_required
@blp.arguments(s.PreviewRequestSchema)
@blp.response(200, s.PreviewSchema)
def preview_wording(payload):
    """The mail as one of your clients would receive it (nothing is sent)."""
    return preview.render_preview(_me(), payload.pop("client_id"), **payload)


@blp.post("/retention/wording/test")
@photographer_required
@blp.arguments(s.PreviewRequestSchema)
@blp.response(202, s.PreviewSchema)
def test_wording(payload):
    """The preview, mailed to your own address."""
    return preview.send_test(_me(), payload.pop("client_id"), **payload)


# ---------------------------------------------------------------- segments and campaigns

@blp.post("/retention/segments/audience")
@photographer_required
@blp.arguments(segments.SegmentSchema)
@blp.response(200, s.AudienceSchema)
def segment_audience(filters):
    """How many clients these filters reach, and how many are left out and why."""
    return segments.audience(_me().id, filters)


@blp.get("/retention/campaigns")
@photographer_required
@blp.arguments(s.CampaignQuerySchema, location="query")
@blp.response(200, s.CampaignPageSchema)
def list_campaigns(args):
    """Your campaigns, newest first."""
    return campaigns.list_campaigns(_me().id, **args)


@blp.post("/retention/campaigns")
@photographer_required
@blp.arguments(s.CampaignSchema)
@blp.response(201, s.CampaignSchema)
def create_campaign(data):
    """A draft campaign: name, segment filters, texts per language, optional offer."""
    campaign = campaigns.create_campaign(_me().id, data)
    db.session.flush()
    return campaign


@blp.get("/retention/campaigns/<campaign_id>")
@photographer_required
@blp.response(200, s.CampaignSchema)
def get_campaign(campaign_id):
    """A campaign with its segment, texts and status."""
    return campaigns.get_campaign(_me().id, campaign_id)


@blp.patch("/retention/campaigns/<campaign_id>")
@photographer_required
@blp.arguments(s.CampaignSchema(partial=True))
@blp.response(200, s.CampaignSchema)
def update_campaign(changes, campaign_id):
    """Change a campaign that has not gone out yet."""
    campaign = campaigns.update_campaign(_me().id, campaign_id, changes)
    db.session.flush()
    return campaign


@blp.post("/retention/campaigns/<campaign_id>/schedule")
@photographer_required
@blp.arguments(s.ScheduleSchema)
@blp.response(200, s.CampaignSchema)
def schedule_campaign(payload, campaign_id):
    """Send on a date: each client receives it in their own local morning of that day."""
    campaign = campaigns.schedule_campaign(_me().id, campaign_id, payload["send_on"], _studio_today())
    db.session.flush()
    return campaign


@blp.post("/retention/campaigns/<campaign_id>/cancel")
@photographer_required
@blp.response(200, s.CampaignSchema)
def cancel_campaign(campaign_id):
    """Stop a scheduled campaign; messages not yet sent are withdrawn."""
    campaign = campaigns.cancel_campaign(_me().id, campaign_id)
    db.session.flush()
    return campaign


@blp.get("/retention/campaigns/<campaign_id>/audience")
@photographer_required
@blp.response(200, s.AudienceSchema)
def campaign_audience(campaign_id):
    """Whom the campaign's segment reaches now, and who is left out."""
    campaign = campaigns.get_campaign(_me().id, campaign_id)
    return segments.audience(_me().id, campaign.segment or {})


@blp.get("/metrics/campaigns")
@photographer_required
@blp.response(200, s.CampaignMetricsListSchema)
def campaign_metrics():
    """Every campaign that went out (newest first, at most 50) with its results."""
    return {"items": campaigns.all_results(_me().id)}


@blp.get("/retention/campaigns/<campaign_id>/results")
@photographer_required
@blp.response(200, s.CampaignResultsSchema)
def campaign_results(campaign_id):
    """Delivered, opened, clicked, gallery visits, orders and revenue within the attribution window."""
    return campaigns.results(campaigns.get_campaign(_me().id, campaign_id))


# ---------------------------------------------------------------- loyalty

@blp.get("/loyalty/tiers")
@photographer_required
@blp.response(200, s.TierListSchema)
def list_tiers():
    """Your loyalty tiers, each with how many clients hold it."""
    return {"items": loyalty.with_counts(_me().id, loyalty.list_tiers(_me().id))}


@blp.get("/loyalty/tiers/<tier_id>/clients")
@photographer_required
@blp.arguments(s.TierClientQuerySchema, location="query")
@blp.response(200, s.TierClientPageSchema)
def tier_clients(args, tier_id):
    """The clients holding a tier, by name, with when they reached it."""
    return loyalty.clients_of(_me().id, tier_id, **args)


@blp.post("/loyalty/tiers")
@photographer_required
@blp.arguments(s.TierSchema)
@blp.response(201, s.TierSchema)
def create_tier(data):
    """A tier reached by lifetime spend or sessions; clients already there join it without a mail."""
    tier = loyalty.create_tier(_me().id, data)
    loyalty.recompute(photographer_id=_me().id)
    db.session.flush()
    return tier


@blp.patch("/loyalty/tiers/<tier_id>")
@photographer_required
@blp.arguments(s.TierSchema(partial=True))
@blp.response(200, s.TierSchema)
def update_tier(changes, tier_id):
    """Change a tier; clients move between tiers at once (no mail)."""
    tier = loyalty.update_tier(_me().id, tier_id, changes)
    loyalty.recompute(photographer_id=_me().id)
    db.session.flush()
    return tier


@blp.delete("/loyalty/tiers/<tier_id>")
@photographer_required
@blp.response(204)
def delete_tier(tier_id):
    """Remove a tier; its clients fall back to the next tier they reach."""
    loyalty.delete_tier(_me().id, tier_id)
    loyalty.recompute(photographer_id=_me().id)


@blp.get("/loyalty/clients/<client_id>")
@photographer_required
@blp.response(200, s.ClientLoyaltySchema)
def client_loyalty(client_id):
    """A client's tier, since when, lifetime spend and sessions."""
    client = get_owned(Client, client_id, detail="No such client.", photographer_id=_me().id)
    held = db.session.get(ClientTier, client.id)
    spend = db.session.scalar(select(segments.spend_of(client.id)))
    sessions = db.session.scalar(select(func.count(Gallery.id)).where(Gallery.client_id == client.id,
                                                                      Gallery.status != "draft"))
    return {"client_id": client.id, "tier": loyalty.tier_of(client.id), "since": held.since if held else None,
            "spend": int(spend or 0), "sessions": int(sessions or 0)}


# ---------------------------------------------------------------- follow-ups

@blp.get("/retention/followups")
@photographer_required
@blp.arguments(s.FollowUpQuerySchema, location="query")
@blp.response(200, s.FollowUpPageSchema)
def list_followups(args):
    """Unhappy clients to follow up (low survey scores, complaints), newest first."""
    return followups.list_followups(_me().id, **args)


@blp.get("/retention/followups/<followup_id>")
@photographer_required
@blp.response(200, s.FollowUpSchema)
def get_followup(followup_id):
    """One follow-up with its log of notes and replies."""
    return followups.with_clients([followups.get_followup(_me().id, followup_id)])[0]


@blp.post("/retention/followups/<followup_id>/reply")
@photographer_required
@blp.arguments(s.FollowUpReplySchema)
@blp.response(200, s.FollowUpSchema)
def reply_to_followup(payload, followup_id):
    """Write to the client (their language, your studio's name; they answer to your address); kept in the log."""
    return followups.reply(_me(), followup_id, payload["subject"], payload["body"])


@blp.post("/retention/followups")
@photographer_required
@blp.arguments(s.FollowUpSchema)
@blp.response(201, s.FollowUpSchema)
def open_complaint(payload):
    """Record a complaint to follow up."""
    followup = followups.open_complaint(_me().id, payload.get("client_id"), payload["comment"],
                                        payload.get("gallery_id"))
    db.session.flush()
    return followups.with_clients([followup])[0]


@blp.patch("/retention/followups/<followup_id>")
@photographer_required
@blp.arguments(s.FollowUpActSchema)
@blp.response(200, s.FollowUpSchema)
def act_on_followup(payload, followup_id):
    """Add a note (a call, a reply) and/or resolve (true) or reopen (false)."""
    followup = followups.act(_me().id, followup_id, **payload)
    db.session.flush()
    return followups.with_clients([followup])[0]
