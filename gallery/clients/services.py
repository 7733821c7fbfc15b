"""Client (contact) operations, always scoped to the owning photographer."""
from __future__ import annotations

from sqlalchemy import select

from gallery.accounts.models import Photographer
from gallery.clients.models import Client, ImportantDate
from gallery.core import clock
from gallery.core.scoping import get_owned
from gallery.errors import Problem
from gallery.extensions import db


def get_client(photographer_id: str, client_id: str) -> Client:
    return get_owned(Client, client_id, photographer_id=photographer_id, detail="No such client.")


def _ensure_email_free(photographer_id: str, email: str | None, client_id: str | None = None) -> None:
    if not email:
        return
    stmt = select(Client.id).where(Client.photographer_id == photographer_id, Client.email == email)
    if client_id:
        stmt = stmt.where(Client.id != client_id)
    if db.session.scalar(stmt):
        raise Problem(409, "Another client already has this email.", errors={"email": ["Already used by a client."]})


def set_consent(client: Client, consent: bool, source: str | None) -> None:
    if consent == client.marketing_consent:
        if source:
            client.consent_source = source
        return
    if consent:
        if not source:
            raise Problem(422, "Say how marketing consent was given.",
                          errors={"consent_source": ["Required when granting marketing consent."]})
        client.consent_given_at = clock.now()
        client.consent_source = source
        client.consent_withdrawn_at = None
    else:
        client.consent_withdrawn_at = clock.now()
    client.marketing_consent = consent


def _set_important_dates(client: Client, dates: list[dict]) -> None:
    client.important_dates = [
        ImportantDate(kind=d["kind"], label=d.get("label"), date=d["date"], month_day=d["date"].strftime("%m-%d"))
        for d in dates
    ]


def with_studio_defaults(photographer_id: str, data: dict) -> dict:
    """A new client speaks the studio's language and lives in its time zone unless told otherwise."""
    data = dict(data)
    if not data.get("locale") or not data.get("timezone"):
        studio = db.session.get(Photographer, photographer_id)
        if studio is not None:
            data["locale"] = data.get("locale") or studio.locale
            data["timezone"] = data.get("timezone") or studio.timezone
    return data


def create_client(photographer_id: str, data: dict) -> Client:
    data = with_studio_defaults(photographer_id, data)
    _ensure_email_free(photographer_id, data.get("email"))
    consent = data.pop("marketing_consent", False)
    source = data.pop("consent_source", None)
    dates = data.pop("important_dates", [])
    client = Client(photographer_id=photographer_id, marketing_consent=False, **data)
    set_consent(client, consent, source)
    _set_important_dates(client, dates)
    db.session.add(client)
    db.session.flush()
    return client


def update_client(photographer_id: str, client_id: str, changes: dict) -> Client:
    client = get_client(photographer_id, client_id)
    changes = dict(changes)
    if "email" in changes:
        _ensure_email_free(photographer_id, changes["email"], client.id)
    if "marketing_consent" in changes:
        set_consent(client, changes.pop("marketing_consent"), changes.pop("consent_source", None))
    if "important_dates" in changes:
        _set_important_dates(client, changes.pop("important_dates"))
    for key, value in changes.items():
        setattr(client, key, value)
    db.session.flush()
    return client


def delete_client(photographer_id: str, client_id: str) -> None:
    db.session.delete(get_client(photographer_id, client_id))
