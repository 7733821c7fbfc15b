"""Photographer routes (rules, outbox, metrics) and the client's no-login links (unsubscribe, tracking, survey)."""
from __future__ import annotations

import base64

from flask import Response, redirect, render_template, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from gallery.accounts.branding import contact
from gallery.accounts.auth import current_photographer, photographer_required
from gallery.errors import Problem
from gallery.extensions import db
from gallery.retention import metrics, referrals, rules, schemas, services, tokens

blp = Blueprint("retention", __name__, url_prefix="/api/v1", description="Retention rules, outbox and metrics")
links = Blueprint("retention_links", __name__, description="Links in retention mail: unsubscribe, tracking, survey")

referrals.register_store_hook()

_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@blp.get("/retention/rules")
@photographer_required
@blp.response(200, schemas.RulesSchema)
def get_rules():
    """Every retention rule with its effective settings (defaults where you changed nothing)."""
    return {"rules": rules.rules_of(current_photographer().id)}


@blp.put("/retention/rules")
@photographer_required
@blp.arguments(schemas.RulesSchema)
@blp.response(200, schemas.RulesSchema)
def put_rules(payload):
    """Switch rules on/off and change their timing and offers (only the rules given change)."""
    result = rules.update_rules(current_photographer().id, payload["rules"])
    db.session.flush()
    return {"rules": result}


@blp.get("/retention/messages")
@photographer_required
@blp.arguments(schemas.MessageQuerySchema, location="query")
@blp.response(200, schemas.MessagePageSchema)
def list_messages(args):
    """The outbox, newest first: planned, sent, suppressed (with the reason) and failed messages."""
    return services.list_messages(current_photographer().id, **args)


@blp.get("/metrics/retention")
@photographer_required
@blp.arguments(schemas.MetricsQuerySchema, location="query")
@blp.response(200, metrics.RetentionMetricsSchema)
def retention_metrics(args):
    """Repeat-client rate, retention rate, revenue per client, offer conversion per rule, NPS, dormant clients."""
    return metrics.retention_metrics(current_photographer().id, start=args.get("from_"), end=args.get("to"))


@blp.get("/retention/referrals/<client_id>")
@photographer_required
@blp.response(200, schemas.ReferralLinkSchema)
def referral_link(client_id):
    """The client's personal referral link (created on first request) and how many it brought."""
    result = referrals.link_for(current_photographer().id, client_id)
    db.session.flush()
    return result


@blp.post("/retention/referrals/attributions")
@photographer_required
@blp.arguments(schemas.AttributionSchema)
@blp.response(201, schemas.AttributionDumpSchema)
def attribute_referral(payload):
    """Attribute a new client to the referral code they arrived with (e.g. `?ref=` on your website's form);
    the referrer is rewarded when this client's first order is paid."""
    referred = referrals.attribute(current_photographer().id, payload["code"], payload["client_id"])
    db.session.flush()
    return referred


@links.get("/r/<code>")
@links.response(200, description="A page on this site naming the studio, with a visible link to its website.")
def referral_landing(code):
    """Where a shared referral link lands (no login).

    Never an automatic redirect: the website is whatever a photographer typed, and a redirect would let the
    platform's own address front any page (phishing). The page names the studio and shows the destination's
    host in full on a link the visitor follows knowingly (http or https only, `?ref=<code>` added)."""
    from urllib.parse import urlencode, urlsplit

    from gallery.accounts.models import Photographer

    referral = referrals.find(code)
    photographer = db.session.get(Photographer, referral.photographer_id)
    website = contact(photographer)["website"]
    parts = urlsplit(website) if isinstance(website, str) else None
    destination = host = None
    if parts is not None and parts.scheme in {"http", "https"} and parts.hostname:
        separator = "&" if "?" in website else "?"
        destination, host = f"{website}{separator}{urlencode({'ref': referral.code})}", parts.hostname
    return Response(render_template("mail/retention/referral.html", studio=photographer.studio_name,
                                    email=photographer.email, lang=photographer.locale or "en",
                                    destination=destination, host=host),
                    mimetype="text/html", headers={"Referrer-Policy": "no-referrer"})


@links.route("/u/<token>", methods=["GET", "POST"])
@links.response(200, description="GET: a page with an unsubscribe button; POST: unsubscribed (RFC 8058 one-click).")
def unsubscribe(token):
    """Unsubscribe from a studio's marketing mail; POST works without login or cookie (RFC 8058)."""
    message_id = tokens.verify("unsubscribe", token)
    if request.method == "GET":
        message = services.message_for(message_id)
        return _page("unsubscribe.html", message, token=token, done=False)
    message = services.unsubscribe(message_id)
    return _page("unsubscribe.html", message, token=token, done=True)


@links.get("/t/o/<token>.gif")
@links.response(200, description="A 1x1 GIF; the open is recorded.")
def open_pixel(token):
    """Open tracking pixel."""
    services.record_open(tokens.verify("open", token))
    return Response(_PIXEL, mimetype="image/gif", headers={"Cache-Control": "no-store"})


@links.get("/t/c/<token>")
@links.response(200, description="Never: a valid link always redirects (see 302).")
@links.alt_response(302, description="Redirect to the link's target; the click is recorded.")
def click(token):
    """Click tracking: a signed redirect to the URL the message carried."""
    value = tokens.verify("click", token)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise Problem(404, "This link is not valid.")
    message_id, url = value
    services.record_click(message_id, url)
    return redirect(url, code=302)


@links.route("/t/s/<token>", methods=["GET", "POST"])
@links.response(200, schemas.FeedbackDumpSchema, description="GET: the survey page; POST: the stored answer.")
def survey(token):
    """The post-delivery survey: NPS score 0-10 and a comment (form or JSON, no login)."""
    message_id = tokens.verify("survey", token)
    message = services.message_for(message_id)
    if request.method == "GET":
        return _page("survey.html", message, token=token, done=False)
    raw = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    try:
        payload = schemas.FeedbackSchema().load(raw or {})
    except ValidationError as error:
        raise Problem(422, "Give a score from 0 to 10 (and an optional comment).",
                      errors=error.normalized_messages()) from None
    feedback = services.submit_feedback(message_id, payload["score"], payload.get("comment"))
    if request.is_json:
        return feedback
    return _page("survey.html", message, token=token, done=True)


def _page(template: str, message, **variables) -> Response:
    """A small HTML page in the client's language (the message's locale)."""
    from flask_babel import force_locale

    from gallery.accounts.models import Photographer

    photographer = db.session.get(Photographer, message.photographer_id)
    lang = message.locale or "en"
    with force_locale(lang):
        html = render_template(f"mail/retention/{template}", studio=photographer.studio_name if photographer else "",
                               lang=lang, **variables)
    return Response(html, mimetype="text/html")
