from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gallery.core.types import JSONType, TimestampMixin, UTCDateTime, id_column
from gallery.extensions import db


class Photographer(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "photographers"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    studio_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Logo, colours, contact details shown on the client page and in mail.
    branding: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Origins of the photographer's own website, allowed by CORS.
    allowed_origins: Mapped[list] = mapped_column(JSONType, default=list)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="photographer", passive_deletes=True)


class ApiToken(TimestampMixin, db.Model):
    """A long-lived bearer token; only its sha256 is stored (the token is random, so no KDF is needed)."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the token may do, space-separated (gallery.accounts.scopes): read, write, account.
    scopes: Mapped[str] = mapped_column(String(100), default="read write", server_default="read write")

    photographer: Mapped[Photographer] = relationship(back_populates="tokens")


class LoginSession(db.Model):
    """One signed-in browser. The session cookie names it; logging out, changing the password or
    "sign out everywhere" revokes the row, so a cookie captured before then no longer works."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = id_column()
    photographer_id: Mapped[str] = mapped_column(ForeignKey("photographers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
