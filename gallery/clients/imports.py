"""Importing clients from another tool's CSV: a dry run that reports every row's fate, and a commit that writes
all rows or none.

Each row becomes the same payload the API takes and is checked by the same schema (`ClientSchema`), so an
imported client obeys exactly the rules of one added by hand. A row whose email matches an existing client
updates that client (empty cells change nothing; tags and important dates are added to theirs); any other row
creates one. Marketing consent is never inferred: a consent column is read only when the photographer
confirms it (`consent_confirmed`), and then "yes" grants with source "import" and today's date, and "no"
withdraws a consent held (recorded too). Without the confirmation the column is reported and ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gallery.clients import csv_format, services
from gallery.clients.models import Client, ImportantDate
from gallery.clients.schemas import ClientSchema
from gallery.core.emails import normalize_email
from gallery.errors import Problem
from gallery.extensions import db

IMPORT_SOURCE = "import"
_YES = {"yes", "y", "true", "1", "x", "ja", "j", "tak", "da", "ya", "on", "subscribed", "opted in", "optin",
        "opt-in", "granted", "✓", "✔"}
_NO = {"no", "n", "false", "0", "nei", "nie", "ne", "tidak", "off", "unsubscribed", "opted out", "optout",
       "opt-out", "withdrawn", "", "-"}
_LANGUAGES = {"english": "en", "engelsk": "en", "norwegian": "nb", "norsk": "nb", "bokmal": "nb", "bokmål": "nb",
              "norsk bokmål": "nb", "polish": "pl", "polski": "pl", "croatian": "hr", "hrvatski": "hr",
              "indonesian": "id", "bahasa indonesia": "id", "no": "nb"}
_TAG_SPLIT = re.compile(r"[,;|]")
_SHOWN_ERRORS = 500
_SHOWN_ROWS = 50


@dataclass
class Plan:
    table: csv_format.Table
    encoding: str
    date_order: str | None
    consent_confirmed: bool
    errors: list[dict] = field(default_factory=list)
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[Client, dict]] = field(default_factory=list)
    sample: list[dict] = field(default_factory=list)
    consent_yes: int = 0
    consent_no: int = 0

    def report(self) -> dict:
        consent_column = next((h for h, f in zip(self.table.headers, self.table.fields)
                               if f == "marketing_consent"), None)
        return {
            "rows": len(self.table.rows), "create": len(self.creates), "update": len(self.updates),
            "error_rows": len({e["row"] for e in self.errors}), "errors": self.errors[:_SHOWN_ERRORS],
            "encoding": self.encoding, "delimiter": self.table.delimiter, "date_order": self.date_order,
            "columns": [{"header": h, "field": f} for h, f in zip(self.table.headers, self.table.fields)],
            "consent": {"column": consent_column, "applied": bool(consent_column and self.consent_confirmed),
                        "yes": self.consent_yes, "no": self.consent_no},
            "sample": self.sample,
        }


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _language(value: str) -> str:
    return _LANGUAGES.get(value.strip().lower(), value.strip())


def _row_payload(plan: Plan, line: int, cells: list[str]) -> tuple[dict, str | None, list[dict]]:
    """(payload for ClientSchema, the consent cell or None, errors) of one row."""
    headers, fields = plan.table.headers, plan.table.fields
    payload: dict = {}
    errors: list[dict] = []
    dates: list[dict] = []
    consent = None
    first = last = ""
    for index, name in enumerate(fields):
        value = _cell(cells, index)
        if name is None or name == "consent_source":
            continue
        if name == "marketing_consent":
            consent = value
        elif not value:
            continue
        elif name == "first_name":
            first = value
        elif name == "last_name":
            last = value
        elif name.startswith("date:"):
            try:
                dates.append({"kind": name[5:], "date": csv_format.parse_date(value, plan.date_order).isoformat()})
            except csv_format.DateAmbiguous:
                errors.append({"row": line, "column": headers[index], "field": name, "message":
                               f"{value!r} could be day/month or month/day: choose the date order."})
            except ValueError:
                errors.append({"row": line, "column": headers[index], "field": name,
                               "message": f"{value!r} is not a date this import reads."})
        elif name == "tags":
            payload["tags"] = sorted({tag.strip() for tag in _TAG_SPLIT.split(value) if tag.strip()})
        elif name == "locale":
            payload["locale"] = _language(value)
        else:
            payload[name] = value
    if "name" not in payload and (first or last):
        payload["name"] = " ".join(part for part in (first, last) if part)
    if dates:
        payload["important_dates"] = dates
    if len(cells) > len(fields) and any(cell.strip() for cell in cells[len(fields):]):
        errors.append({"row": line, "column": None, "field": None,
                       "message": f"{len(cells)} cells but {len(fields)} columns in the header."})
    return payload, consent, errors


def _column_of(plan: Plan, field_name: str) -> str | None:
    base = field_name.split(".")[0]
    wanted = {"name": ("name", "first_name", "last_name"), "important_dates": ()}.get(base, (base,))
    return next((h for h, f in zip(plan.table.headers, plan.table.fields) if f in wanted), None)


def _flatten(messages, prefix="") -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        return [pair for key, value in messages.items() for pair in _flatten(value, f"{prefix}{key}.")]
    return [(prefix.rstrip("."), message) for message in messages]


def plan_import(photographer_id: str, data: bytes, *, date_order: str = "auto",
                consent_confirmed: bool = False) -> Plan:
    """Read and check every row against the photographer's clients; nothing is written."""
    text, encoding = csv_format.decode(data)
    table = csv_format.read_table(text)
    order = None if date_order == "auto" else date_order
    if order is None:
        date_cells = [_cell(cells, i) for _, cells in table.rows for i, f in enumerate(table.fields)
                      if f and f.startswith("date:")]
        order = csv_format.evidence(date_cells)
    plan = Plan(table=table, encoding=encoding, date_order=order, consent_confirmed=consent_confirmed)
    existing = {c.email: c for c in db.session.scalars(
        select(Client).where(Client.photographer_id == photographer_id, Client.email.is_not(None))
        .options(selectinload(Client.important_dates)))}  # one query, not one per updated client
    seen: dict[str, int] = {}
    schema, partial = ClientSchema(), ClientSchema(partial=True)
    for line, cells in table.rows:
        payload, consent_cell, errors = _row_payload(plan, line, cells)
        email = normalize_email(payload["email"]) if payload.get("email") else None
        target = existing.get(email) if email else None
        try:
            loaded = (partial if target else schema).load(payload)
        except ValidationError as error:
            loaded = None
            errors += [{"row": line, "column": _column_of(plan, name), "field": name or None, "message": message}
                       for name, message in _flatten(error.messages)]
        if consent_cell is not None:
            answer = consent_cell.strip().lower()
            if answer not in _YES and answer not in _NO:
                errors.append({"row": line, "column": _column_of(plan, "marketing_consent"),
                               "field": "marketing_consent",
                               "message": f"{consent_cell!r} is neither yes nor no."})
            elif answer in _YES:
                plan.consent_yes += 1
            elif answer:
                plan.consent_no += 1
        if email and any(e["field"] == "email" for e in errors):
            pass  # not an address: its own error says so, and it is no one's duplicate
        elif email in seen:
            errors.append({"row": line, "column": _column_of(plan, "email"), "field": "email",
                           "message": f"The same email as row {seen[email]}."})
        elif email:
            seen[email] = line
        if errors or loaded is None:
            plan.errors += errors
            continue
        loaded.pop("marketing_consent", None)
        loaded.pop("consent_source", None)
        if consent_confirmed and consent_cell is not None and consent_cell.strip():
            loaded["marketing_consent"] = consent_cell.strip().lower() in _YES
        if target:
            plan.updates.append((target, loaded))
        else:
            plan.creates.append(loaded)
        if len(plan.sample) < _SHOWN_ROWS:
            plan.sample.append({"row": line, "action": "update" if target else "create",
                                "name": loaded.get("name") or (target.name if target else ""),
                                "email": loaded.get("email") or (target.email if target else None),
                                "tags": loaded.get("tags", []),
                                "marketing_consent": loaded.get("marketing_consent")})
    return plan


def _merge_dates(client: Client, dates: list[dict]) -> None:
    kinds = {d["kind"] for d in dates}
    client.important_dates = [d for d in client.important_dates if d.kind not in kinds] + [
        ImportantDate(kind=d["kind"], date=d["date"], month_day=d["date"].strftime("%m-%d")) for d in dates]


def _consent(client: Client, wanted: bool | None) -> None:
    if wanted is None or wanted == client.marketing_consent:
        return
    services.set_consent(client, wanted, IMPORT_SOURCE)


def commit_import(photographer_id: str, plan: Plan) -> dict:
    """Write every planned row, or nothing: any row error refuses the whole file (422 with the report)."""
    if plan.errors:
        raise Problem(422, f"{len({e['row'] for e in plan.errors})} rows have errors; nothing was imported.",
                      report=plan.report())
    for payload in plan.creates:
        payload = services.with_studio_defaults(photographer_id, payload)
        wanted = payload.pop("marketing_consent", None)
        dates = payload.pop("important_dates", [])
        client = Client(photographer_id=photographer_id, marketing_consent=False, **payload)
        client.important_dates = [ImportantDate(kind=d["kind"], date=d["date"], month_day=d["date"].strftime("%m-%d"))
                                  for d in dates]
        _consent(client, wanted)
        db.session.add(client)
    for client, changes in plan.updates:
        wanted = changes.pop("marketing_consent", None)
        if "important_dates" in changes:
            _merge_dates(client, changes.pop("important_dates"))
        if "tags" in changes:
            changes["tags"] = sorted(set(client.tags or []) | set(changes["tags"]))
        for key, value in changes.items():
            setattr(client, key, value)
        _consent(client, wanted)
    db.session.flush()
    return {**plan.report(), "imported": True}
