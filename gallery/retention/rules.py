"""The retention rules a photographer can tune: kinds, defaults and validation.

Each rule has `enabled` and `settings` (timing, audience, offer). A photographer
without a stored row for a kind gets the defaults below, so a new studio's
retention runs from day one.
"""
from __future__ import annotations

import copy

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from gallery.extensions import db
from gallery.retention.models import RetentionRule

# Consent classes: marketing needs consent and no unsubscribe; service mail (the post-delivery
# thank-you and survey, the referral reward) respects an unsubscribe but needs no marketing consent
# (it is about a service the client bought); transactional mail (expiry reminders) always goes out.
CATEGORIES = {
    "anniversary": "marketing",
    "reorder": "marketing",
    "favourites": "marketing",
    "abandoned_cart": "marketing",
    "dormant": "marketing",
    "followup": "service",
    "expiry": "transactional",
    "referral": "service",
    "loyalty": "marketing",  # a client moved up a loyalty tier
    "digest": "photographer",  # the studio's own daily summary (opt-in)
}
DEFAULT_ENABLED = {"digest": False}
RULE_KINDS = tuple(CATEGORIES)

_OFFER_15 = {"percent_off": 15, "valid_days": 30}

DEFAULTS: dict[str, dict] = {
    "anniversary": {"days_before": 14, "event_types": ["wedding", "newborn", "family", "maternity", "engagement"],
                    "date_kinds": ["wedding", "anniversary", "birthday", "child_birth"], "offer": _OFFER_15},
    "reorder": {"days_after": 30, "offer": None},
    "favourites": {"days_after": 5, "offer": None},
    "abandoned_cart": {"hours_after": 24, "offer": None},
    "dormant": {"months": 12, "offer": _OFFER_15},
    "followup": {"days_after": 7},
    "expiry": {"days_before": [7, 4, 1]},
    "referral": {"reward": {"percent_off": 20, "valid_days": 90}},
    "loyalty": {},
    "digest": {"hour": 7},
}


class OfferSchema(Schema):
    percent_off = fields.Integer(validate=validate.Range(min=1, max=100), allow_none=True)
    amount_off = fields.Integer(validate=validate.Range(min=1), allow_none=True,
                                metadata={"description": "Minor units of `currency`."})
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"), allow_none=True)
    free_shipping = fields.Boolean(load_default=False)
    valid_days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))

    @validates_schema
    def _one_discount(self, data, **_kwargs):
        if not (data.get("percent_off") or data.get("amount_off") or data.get("free_shipping")):
            raise ValidationError("Give percent_off, amount_off (with currency) or free_shipping.", "percent_off")
        if data.get("percent_off") and data.get("amount_off"):
            raise ValidationError("Give percent_off or amount_off, not both.", "amount_off")
        if data.get("amount_off") and not data.get("currency"):
            raise ValidationError("amount_off needs a currency.", "currency")


def _days(max_value=365, **kw):
    return fields.Integer(validate=validate.Range(min=0, max=max_value), **kw)


SETTINGS_SCHEMAS: dict[str, type[Schema]] = {
    "anniversary": Schema.from_dict({
        "days_before": _days(), "offer": fields.Nested(OfferSchema, allow_none=True),
        "event_types": fields.List(fields.String(validate=validate.Length(max=32)), validate=validate.Length(max=20)),
        "date_kinds": fields.List(fields.String(validate=validate.Length(max=32)), validate=validate.Length(max=10)),
    }, name="AnniversarySettings"),
    "reorder": Schema.from_dict({"days_after": _days(730),
                                 "offer": fields.Nested(OfferSchema, allow_none=True)}, name="ReorderSettings"),
    "favourites": Schema.from_dict({"days_after": _days(365),
                                    "offer": fields.Nested(OfferSchema, allow_none=True)}, name="FavouritesSettings"),
    "abandoned_cart": Schema.from_dict({"hours_after": fields.Integer(validate=validate.Range(min=1, max=24 * 30)),
                                        "offer": fields.Nested(OfferSchema, allow_none=True)},
                                       name="AbandonedCartSettings"),
    "dormant": Schema.from_dict({"months": fields.Integer(validate=validate.Range(min=1, max=60)),
                                 "offer": fields.Nested(OfferSchema, allow_none=True)}, name="DormantSettings"),
    "followup": Schema.from_dict({"days_after": _days(180)}, name="FollowupSettings"),
    "expiry": Schema.from_dict({"days_before": fields.List(fields.Integer(validate=validate.Range(min=1, max=60)),
                                                           validate=validate.Length(min=1, max=5))},
                               name="ExpirySettings"),
    "referral": Schema.from_dict({"reward": fields.Nested(OfferSchema)}, name="ReferralSettings"),
    "loyalty": Schema.from_dict({}, name="LoyaltySettings"),
    "digest": Schema.from_dict({"hour": fields.Integer(validate=validate.Range(min=0, max=23),
                                                       metadata={"description": "Local hour of the studio."})},
                               name="DigestSettings"),
}


def effective(kind: str, stored: dict | None) -> dict:
    """Defaults overlaid with what the photographer stored."""
    merged = copy.deepcopy(DEFAULTS[kind])
    merged.update(stored or {})
    return merged


def rules_of(photographer_id: str) -> list[dict]:
    stored = {r.kind: r for r in db.session.scalars(
        select(RetentionRule).where(RetentionRule.photographer_id == photographer_id))}
    return [{"kind": kind, "category": CATEGORIES[kind],
             "enabled": stored[kind].enabled if kind in stored else DEFAULT_ENABLED.get(kind, True),
             "settings": effective(kind, stored[kind].settings if kind in stored else None)}
            for kind in RULE_KINDS]


def update_rules(photographer_id: str, changes: list[dict]) -> list[dict]:
    """Store the given rules (each {kind, enabled?, settings?}); settings are merged over the current ones."""
    errors: dict[str, list[str]] = {}
    seen = set()
    for index, change in enumerate(changes):
        kind = change["kind"]
        if kind in seen:
            errors[f"{index}.kind"] = [f"{kind} is given twice."]
            continue
        seen.add(kind)
        try:
            change["settings"] = SETTINGS_SCHEMAS[kind]().load(change.get("settings") or {}, partial=True)
        except ValidationError as error:
            for field, messages in error.normalized_messages().items():
                errors[f"{index}.settings.{field}"] = messages if isinstance(messages, list) else [str(messages)]
    if errors:
        from gallery.errors import Problem

        raise Problem(422, "Some rule settings are invalid: " + ", ".join(sorted(errors)) + ".", errors=errors)
    for change in changes:
        rule = db.session.scalar(select(RetentionRule).where(RetentionRule.photographer_id == photographer_id,
                                                             RetentionRule.kind == change["kind"]))
        if rule is None:
            rule = RetentionRule(photographer_id=photographer_id, kind=change["kind"],
                                 enabled=DEFAULT_ENABLED.get(change["kind"], True), settings={})
            db.session.add(rule)
        if "enabled" in change:
            rule.enabled = change["enabled"]
        rule.settings = {**(rule.settings or {}), **change["settings"]}
    db.session.flush()
    return rules_of(photographer_id)


def stored_rules() -> dict[str, list]:
    """Every stored rule row, by kind (one small query per sweep)."""
    by_kind: dict[str, list] = {kind: [] for kind in RULE_KINDS}
    for row in db.session.execute(select(RetentionRule.photographer_id, RetentionRule.kind, RetentionRule.enabled,
                                         RetentionRule.settings)):
        by_kind.setdefault(row.kind, []).append(row)
    return by_kind


def rule_groups(kind: str, stored: list):
    """Photographers grouped by identical effective settings of `kind`, for one set-based query per group.

    Yields (settings, (mode, photographer_ids)): mode "only" means just those photographers, "except" all
    others; the defaults group is "no stored row", so a million studios on defaults still cost one query.
    """
    customised = [row.photographer_id for row in stored]
    yield DEFAULTS[kind], ("except", customised)
    groups: dict[str, tuple[dict, list[str]]] = {}
    for row in stored:
        if not row.enabled:
            continue
        settings = effective(kind, row.settings)
        key = repr(sorted(settings.items()))
        groups.setdefault(key, (settings, []))[1].append(row.photographer_id)
    for settings, ids in groups.values():
        yield settings, ("only", ids)
