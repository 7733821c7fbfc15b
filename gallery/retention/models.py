"""Retention rules, the outbox of Messages, unsubscribes and survey answers."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gallery.core import clock
from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db

MESSAGE_STATUSES = ("queued", "sending", "sent", "suppressed", "failed")


class RetentionRule(TimestampMixin, db.Model):
    """One rule of one photographer; a missing row means the rule's defaults apply."""

    __tablename__ = "retention_rules"
    __table_args__ = (UniqueConstraint("photographer_id", "kind", name="uq_retention_rules_photographer_kind"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    enabled: Mapped[bool] = mapped_column(default=True)
    # Timing, audience and offer; validated per kind by retention.rules.
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)


class Message(db.Model):
    """One outgoing mail. The unique dedupe key makes planning idempotent: a repeated
    or concurrent sweep inserts nothing twice, and the status claim sends nothing twice."""

    __tablename__ = "retention_messages"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_retention_messages_dedupe_key"),
        Index("ix_retention_messages_status_send_after", "status", "send_after"),
        Index("ix_retention_messages_photographer_created", "photographer_id", "created_at"),
        Index("ix_retention_messages_client", "client_id"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    gallery_id: Mapped[str | None] = mapped_column(String(26))
    # A guest who engaged on a gallery without being a client (expiry reminders only).
    visitor_id: Mapped[str | None] = mapped_column(String(26))
    rule: Mapped[str] = mapped_column(String(32))
    # marketing: consent and no unsubscribe; service: no unsubscribe; transactional: always.
    category: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    # The moment the rule became due for this message (what "since" means for superseding activity).
    anchor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime)
    context: Mapped[dict] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    status_reason: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(16))
    to_email: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    coupon_code: Mapped[str | None] = mapped_column(String(64))
    # At-most-once delivery: a sweep claims (status 'sending', claimed_at), a mail worker marks the one
    # attempt (attempted_at) before it talks to the mail server. A claim that never got attempted can be
    # retried safely; an attempt that never finished cannot (the mail may have left).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class Unsubscribe(db.Model):
    """An address that asked a studio for no more marketing mail (kept even if the client is deleted)."""

    __tablename__ = "retention_unsubscribes"
    __table_args__ = (UniqueConstraint("photographer_id", "email", name="uq_retention_unsubscribes_photographer_email"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class Feedback(db.Model):
    """A post-delivery survey answer: NPS score 0-10 and an optional comment."""

    __tablename__ = "retention_feedback"
    __table_args__ = (
        UniqueConstraint("message_id", name="uq_retention_feedback_message_id"),
        Index("ix_retention_feedback_photographer_created", "photographer_id", "created_at"),
    )

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(26))
    client_id: Mapped[str | None] = mapped_column(String(26))
    gallery_id: Mapped[str | None] = mapped_column(String(26))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(5000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class Referral(db.Model):
    """A client's personal referral code; new clients who arrive through it are attributed to them."""

    __tablename__ = "retention_referrals"
    __table_args__ = (UniqueConstraint("code", name="uq_retention_referrals_code"),
                      UniqueConstraint("referrer_client_id", name="uq_retention_referrals_referrer_client_id"))

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    referrer_client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class ReferredClient(db.Model):
    """A new client attributed to a referral; rewarded once, when their first order is paid."""

    __tablename__ = "retention_referred_clients"
    __table_args__ = (UniqueConstraint("client_id", name="uq_retention_referred_clients_client_id"),)

    id: Mapped[str] = id_column()
    referral_id: Mapped[str] = mapped_column(ForeignKey("retention_referrals.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())
    rewarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RuleWording(TimestampMixin, db.Model):
    """The photographer's own words for one rule's mail in one language (subject, body, button).

    Placeholders such as `{{ client_name }}` are rendered in a sandbox (retention.wording); without a
    row the translated default texts apply."""

    __tablename__ = "retention_wordings"
    __table_args__ = (UniqueConstraint("photographer_id", "rule", "locale", name="uq_retention_wordings_rule_locale"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(String(5000))
    button: Mapped[str | None] = mapped_column(String(100))


CAMPAIGN_STATUSES = ("draft", "scheduled", "planned", "cancelled")


class Campaign(TimestampMixin, db.Model):
    """A mail the photographer writes once and sends to a segment of clients, each in their local morning."""

    __tablename__ = "retention_campaigns"
    __table_args__ = (Index("ix_retention_campaigns_status_send_on", "status", "send_on"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Filters (retention.segments.SegmentSchema) and wording per language ({locale: {subject, body, button}}).
    segment: Mapped[dict] = mapped_column(JSONType, default=dict)
    wording: Mapped[dict] = mapped_column(JSONType, default=dict)
    default_locale: Mapped[str] = mapped_column(String(8), default="en")
    offer: Mapped[dict | None] = mapped_column(JSONType)
    # The local date it goes out: each client receives it in their own 09:00-11:00 of that day.
    send_on: Mapped[date | None] = mapped_column(Date)
    attribution_days: Mapped[int] = mapped_column(Integer, default=14)
    # Clients in a tier with early access receive it this many days before everyone else.
    early_access_days: Mapped[int] = mapped_column(Integer, default=0)
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


class LoyaltyTier(TimestampMixin, db.Model):
    """A tier the photographer defines (Friend, Regular, VIP): reached by lifetime spend or sessions."""

    __tablename__ = "loyalty_tiers"
    __table_args__ = (UniqueConstraint("photographer_id", "name", name="uq_loyalty_tiers_photographer_name"),)

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # Reached when lifetime paid spend (minor units) >= min_spend OR sessions (published galleries) >= min_sessions.
    min_spend: Mapped[int | None] = mapped_column(Integer)
    min_sessions: Mapped[int | None] = mapped_column(Integer)
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    free_digital: Mapped[bool] = mapped_column(default=False)
    early_access: Mapped[bool] = mapped_column(default=False)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class ClientTier(db.Model):
    """The tier a client holds now (one row per client); a move up is mailed once."""

    __tablename__ = "loyalty_client_tiers"

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    tier_id: Mapped[str] = mapped_column(ForeignKey("loyalty_tiers.id", ondelete="CASCADE"), index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


FOLLOWUP_STATUSES = ("open", "resolved")


class FollowUp(TimestampMixin, db.Model):
    """An unhappy client to follow up: a low survey score or a complaint, tracked to resolution."""

    __tablename__ = "retention_followups"
    __table_args__ = (UniqueConstraint("feedback_id", name="uq_retention_followups_feedback_id"),
                      Index("ix_retention_followups_photographer_status", "photographer_id", "status"))

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    gallery_id: Mapped[str | None] = mapped_column(String(26))
    feedback_id: Mapped[str | None] = mapped_column(String(26))
    kind: Mapped[str] = mapped_column(String(16))  # low_score | complaint
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(5000))
    status: Mapped[str] = mapped_column(String(16), default="open")
    # [{"at": iso, "kind": "note" | "reply", "text": ...}], oldest first.
    log: Mapped[list] = mapped_column(JSONType, default=list)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
