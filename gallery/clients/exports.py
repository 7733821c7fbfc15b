"""All of a photographer's clients as one CSV, through the one safe CSV writer (formulas neutralised).

The headers are ones the import reads back (gallery.clients.csv_format), so an export re-imports unchanged.
"""
from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gallery.clients.models import Client
from gallery.core.exports import csv_writer
from gallery.extensions import db

DATE_COLUMNS = (("wedding", "Wedding date"), ("birthday", "Birthday"), ("child_birth", "Child's birthday"),
                ("anniversary", "Anniversary"))
HEADERS = ["Name", "Email", "Phone", "Language", "Time zone", "Tags", "Notes", "Marketing consent",
           "Consent source", "Consent given", "Consent withdrawn", *[title for _, title in DATE_COLUMNS], "Created"]


def _row(client: Client) -> list:
    dates = {}
    for item in client.important_dates:
        dates.setdefault(item.kind, item.date)
    return [client.name, client.email or "", client.phone or "", client.locale, client.timezone,
            ", ".join(client.tags or []), client.notes or "", "yes" if client.marketing_consent else "no",
            client.consent_source or "", client.consent_given_at or "", client.consent_withdrawn_at or "",
            *[dates.get(kind, "") for kind, _ in DATE_COLUMNS], client.created_at]


def clients_csv(photographer_id: str) -> str:
    """The CSV text (with a byte-order mark, so spreadsheets read it as UTF-8), clients by name."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(HEADERS)
    stmt = (select(Client).where(Client.photographer_id == photographer_id)
            .options(selectinload(Client.important_dates)).order_by(Client.name, Client.id))
    for client in db.session.scalars(stmt).yield_per(500):
        writer.writerow(_row(client))
    return out.getvalue()
