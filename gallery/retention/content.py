"""What each rule says, in the client's language (gettext; catalogs under gallery/translations)."""
from __future__ import annotations

from flask_babel import format_currency, format_date, gettext as _, ngettext

from gallery.core.locales import LANGUAGES, language_or_default

SUPPORTED_LOCALES = tuple(LANGUAGES)


def mail_locale(tag: str | None) -> str:
    """The catalog for a client's language tag (nb-NO -> nb); English when we have none."""
    return language_or_default(tag)


def offer_line(offer: dict | None, local_until) -> str | None:
    if not offer:
        return None
    if offer.get("percent_off"):
        discount = _("%(percent)s%% off", percent=offer["percent_off"])
    elif offer.get("amount_off"):
        discount = _("%(amount)s off", amount=format_currency(offer["amount_off"] / 100, offer.get("currency") or "EUR"))
    else:
        discount = _("free shipping")
    until = format_date(local_until, format="long")
    if offer.get("code"):
        return _("Your offer: %(discount)s with the code %(code)s, valid until %(date)s.",
                 discount=discount, code=offer["code"], date=until)
    return _("Your offer: %(discount)s, valid until %(date)s.", discount=discount, date=until)


def texts(rule: str, ctx: dict) -> dict:
    """Subject, paragraphs and button label for one message."""
    studio, years = ctx["studio"], ctx.get("years") or 0
    if rule == "anniversary":
        occasion = ctx.get("occasion")
        if occasion in ("wedding", "anniversary"):
            lead = ngettext("Your wedding anniversary is coming up: %(num)d year together!",
                            "Your wedding anniversary is coming up: %(num)d years together!", years)
        elif occasion == "child_birth":
            lead = ngettext("Your little one turns %(num)d soon!", "Your little one turns %(num)d soon!", years)
        elif occasion == "birthday":
            lead = _("A birthday is coming up soon. Happy birthday in advance!")
        elif ctx.get("event_type") == "wedding":
            lead = ngettext("Your wedding anniversary is coming up: %(num)d year together!",
                            "Your wedding anniversary is coming up: %(num)d years together!", years)
        elif ctx.get("event_type") == "newborn" and years == 1:
            lead = _("Your little one turns one soon! A first-birthday session captures how much they have "
                     "grown since their newborn portraits.")
        elif ctx.get("event_type") == "newborn":
            lead = ngettext("Your little one turns %(num)d soon!", "Your little one turns %(num)d soon!", years)
        elif ctx.get("event_type") == "family":
            lead = ngettext("A year has passed since your family session: children change so fast.",
                            "%(num)d years have passed since your family session: children change so fast.", years)
        else:
            lead = ngettext("Soon it is %(num)d year since your photo session with us.",
                            "Soon it is %(num)d years since your photo session with us.", years)
        return {"subject": _("A little anniversary greeting from %(studio)s", studio=studio),
                "paragraphs": [lead, _("Relive the memories in your gallery, or turn them into prints and albums.")],
                "button": _("Open your gallery")}
    if rule == "reorder":
        return {"subject": _("Thank you for your order from %(studio)s", studio=studio),
                "paragraphs": [_("We hope you love your prints. There are more moments in your gallery "
                                 "that would look beautiful on your wall.")],
                "button": _("Open your gallery")}
    if rule == "favourites":
        return {"subject": _("Your favourite photos are waiting"),
                "paragraphs": [_("You picked these favourites. Order them as prints or keep them forever "
                                 "while your gallery is open.")],
                "button": _("See your favourites")}
    if rule == "abandoned_cart":
        return {"subject": _("You left something in your cart"),
                "paragraphs": [_("Your cart is still waiting for you. Complete your order whenever you are ready.")],
                "button": _("Go to your cart")}
    if rule == "dormant":
        return {"subject": _("We miss you at %(studio)s", studio=studio),
                "paragraphs": [_("It has been a while since we last saw you. Your photos are still here, "
                                 "and we would love to capture your next chapter.")],
                "button": _("Open your gallery")}
    if rule == "followup":
        return {"subject": _("Thank you from %(studio)s: how did we do?", studio=studio),
                "paragraphs": [_("Thank you for choosing us. How likely are you to recommend us to a friend, "
                                 "on a scale from 0 to 10? It takes ten seconds.")],
                "button": _("Answer the survey")}
    if rule == "expiry":
        days = ctx.get("days_left") or 1
        return {"subject": ngettext("Your gallery closes in %(num)d day", "Your gallery closes in %(num)d days",
                                    days),
                "paragraphs": [_("Your gallery %(title)s closes on %(date)s. Download your photos or order prints "
                                 "before then.", title=ctx.get("gallery_title") or "",
                                 date=ctx.get("expires_local") or "")],
                "button": _("Open your gallery")}
    if rule == "loyalty":
        return {"subject": _("Welcome to %(tier)s at %(studio)s", tier=ctx.get("tier_name") or "", studio=studio),
                "paragraphs": [_("Thank you for coming back to us. You are now a %(tier)s client.",
                                 tier=ctx.get("tier_name") or ""), *_perk_lines(ctx.get("perks") or {})],
                "button": _("Open your gallery")}
    if rule == "referral":
        return {"subject": _("A thank-you gift from %(studio)s", studio=studio),
                "paragraphs": [_("Someone you recommended has just become our client. Thank you! "
                                 "Here is a gift for you.")],
                "button": _("Open your gallery")}
    raise ValueError(f"no texts for rule {rule!r}")


def _perk_lines(perks: dict) -> list[str]:
    lines = []
    if perks.get("discount_percent"):
        lines.append(_("Your standing discount: %(percent)s%% off every order.", percent=perks["discount_percent"]))
    if perks.get("free_digital"):
        lines.append(_("Digital downloads of your galleries are free for you."))
    if perks.get("early_access"):
        lines.append(_("You hear about mini-sessions before anyone else."))
    return lines
