"""Which words a retention mail speaks: a campaign's own text, the photographer's wording of a rule in the
client's language, or the translated default (retention.content)."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from gallery.extensions import db
from gallery.errors import Problem
from gallery.retention import content, wording
from gallery.retention.models import Campaign, RuleWording


def campaign_locale(message, client_locale: str) -> str:
    """A campaign speaks the client's language when written in it, else its default language."""
    if (message.context or {}).get("preview_words"):
        return client_locale  # the editor's unsaved words are in the language being previewed
    campaign = db.session.get(Campaign, (message.context or {}).get("campaign_id"))
    if campaign is None:
        return client_locale
    return client_locale if client_locale in (campaign.wording or {}) else campaign.default_locale


def occasion_name(ctx: dict) -> str:
    occasion = ctx.get("occasion")
    names = {"wedding": _("your wedding anniversary"), "anniversary": _("your wedding anniversary"),
             "child_birth": _("a first birthday"), "birthday": _("a birthday")}
    if occasion in names:
        return names[occasion]
    event = ctx.get("event_type")
    if event == "wedding":
        return _("your wedding anniversary")
    if event == "newborn":
        return _("a first birthday")
    return _("a year since your photo session")


_JOINERS = {"&", "+", "and", "og", "i", "dan", "und"}


def first_name(name: str) -> str:
    """The name a mail greets by: the first word, or both first names of a couple ("Ingrid & Jonas Berg" ->
    "Ingrid & Jonas")."""
    parts = name.split()
    for k, part in enumerate(parts[1:-1], start=1):
        if part.lower() in _JOINERS:
            return " ".join(parts[:k + 2])
    return parts[0] if parts else ""


def placeholder_values(ctx: dict, *, link: str | None, offer_text: str | None) -> dict:
    name = ctx.get("client_name") or ""
    offer = ctx.get("issued_offer") or {}
    return {
        "client_name": name, "client_first_name": first_name(name),
        "studio_name": ctx.get("studio"), "occasion": occasion_name(ctx), "years": ctx.get("years"),
        "gallery_title": ctx.get("gallery_title"), "gallery_link": link, "expiry_date": ctx.get("expires_local"),
        "days_left": ctx.get("days_left"), "offer": offer_text, "offer_code": offer.get("code"),
        "offer_expiry": ctx.get("offer_until_local"), "favourites_count": ctx.get("favourites_count"),
        "cart_items": ", ".join(ctx.get("cart_lines") or []), "tier_name": ctx.get("tier_name"),
    }


_REMEMBERED: ContextVar[dict | None] = ContextVar("retention_wordings", default=None)


@contextmanager
def wordings_remembered() -> Iterator[None]:
    """Inside the block each studio's wording of a rule in a language is read once (a chunk of mails being
    rendered asks for the same few again and again)."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def _custom_wording(photographer_id: str, rule: str, locale: str) -> RuleWording | None:
    remembered, key = _REMEMBERED.get(), (photographer_id, rule, locale)
    if remembered is not None and key in remembered:
        return remembered[key]
    custom = db.session.scalar(select(RuleWording).where(RuleWording.photographer_id == photographer_id,
                                                         RuleWording.rule == rule, RuleWording.locale == locale))
    if remembered is not None:
        remembered[key] = custom
    return custom


def words_for(message, ctx: dict, locale: str, *, link: str | None, offer_text: str | None) -> dict:
    """{subject, paragraphs, button} for `message` in `locale`."""
    values = placeholder_values(ctx, link=link, offer_text=offer_text)
    trial = (message.context or {}).get("preview_words")
    if trial:  # unsaved text in the editor's preview (checked before it got here)
        words = wording.render(trial, values)
        words["button"] = words.get("button") or _("Open your gallery")
        return words
    if message.rule == "campaign":
        campaign = db.session.get(Campaign, (message.context or {}).get("campaign_id"))
        texts = (campaign.wording or {}).get(locale) or campaign.wording[campaign.default_locale]
        words = wording.render(texts, values)
        words["button"] = words.get("button") or _("Open your gallery")
        return words
    custom = _custom_wording(message.photographer_id, message.rule, locale)
    default = content.texts(message.rule, ctx)
    if custom is None:
        return default
    words = wording.render({"subject": custom.subject, "body": custom.body, "button": custom.button}, values)
    words["button"] = words.get("button") or default["button"]
    return words


# ---------------------------------------------------------------- the photographer's stored wording

def list_wordings(photographer_id: str) -> list[RuleWording]:
    return list(db.session.scalars(select(RuleWording).where(RuleWording.photographer_id == photographer_id)
                                   .order_by(RuleWording.rule, RuleWording.locale)))


# A number no default text holds: counted texts (years, days left) are rendered with it, then it becomes the
# placeholder, so the default reads as a text the photographer can edit and save.
_COUNT = 1000005


def wording_of(photographer_id: str, rule: str, locale: str) -> dict:
    """The photographer's own text for a rule and language, else the translated default written with
    placeholders (`custom` says which)."""
    row = db.session.scalar(select(RuleWording).where(RuleWording.photographer_id == photographer_id,
                                                      RuleWording.rule == rule, RuleWording.locale == locale))
    if row is not None:
        return {"rule": rule, "locale": locale, "subject": row.subject, "body": row.body, "button": row.button,
                "custom": True, "updated_at": row.updated_at}
    return {"rule": rule, "locale": locale, **default_wording(rule, locale), "custom": False, "updated_at": None}


def default_wording(rule: str, locale: str) -> dict:
    """The translated default texts of a rule in `locale`, with placeholders where a client's data goes."""
    counted = "{{ years }}" if rule == "anniversary" else "{{ days_left }}"
    ctx = {"studio": "{{ studio_name }}", "years": _COUNT, "days_left": _COUNT, "gallery_title": "{{ gallery_title }}",
           "expires_local": "{{ expiry_date }}", "tier_name": "{{ tier_name }}", "perks": {}}
    with force_locale(locale):
        texts = content.texts(rule, ctx)

    def fill(text: str) -> str:
        return text.replace(str(_COUNT), counted)

    return {"subject": fill(texts["subject"]), "body": "\n\n".join(fill(p) for p in texts["paragraphs"]),
            "button": fill(texts["button"])}


def put_wording(photographer_id: str, rule: str, locale: str, texts: dict) -> RuleWording:
    try:
        cleaned = wording.check(texts, rule)
    except wording.WordingError as error:
        raise Problem(422, "The text cannot be used: " + str(error), errors=error.errors) from None
    row = db.session.scalar(select(RuleWording).where(RuleWording.photographer_id == photographer_id,
                                                      RuleWording.rule == rule, RuleWording.locale == locale))
    if row is None:
        row = RuleWording(photographer_id=photographer_id, rule=rule, locale=locale)
        db.session.add(row)
    row.subject, row.body, row.button = cleaned["subject"], cleaned["body"], cleaned.get("button")
    db.session.flush()
    return row


def delete_wording(photographer_id: str, rule: str, locale: str) -> None:
    row = db.session.scalar(select(RuleWording).where(RuleWording.photographer_id == photographer_id,
                                                      RuleWording.rule == rule, RuleWording.locale == locale))
    if row is None:
        raise Problem(404, "You have no own text for that rule and language; the default applies.")
    db.session.delete(row)
    db.session.flush()
