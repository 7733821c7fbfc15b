"""Clients as CSV: a 2,000-row list from another tool (semicolon or comma, UTF-8 with or without BOM, dates in
several formats) previewed with its row errors and imported all or nothing; consent only when confirmed;
export through the safe CSV writer; hostile files refused as problems."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from gallery.clients.models import Client, ImportantDate
from gallery.extensions import db
from tests.plugins.problems import problem

HEADER = ["First name", "Last name", "E-mail", "Phone", "Tags", "Wedding date", "Child's birthday", "Newsletter",
          "Notes", "Lead source"]


def wedding(index: int, style: str) -> str:
    day, month, year = 1 + index % 28, 1 + index % 12, 2015 + index % 10
    return {"iso": f"{year}-{month:02d}-{day:02d}", "dotted": f"{day:02d}.{month:02d}.{year}",
            "dmy": f"{day:02d}/{month:02d}/{year}", "mdy": f"{month:02d}/{day:02d}/{year}",
            "words": f"{day} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} {year}"}[style]


def other_tool_csv(n=2000, *, delimiter=";", bom=True, styles=("iso", "dotted", "words"), bad=()) -> bytes:
    """A client list as another tool exports it; rows in `bad` carry one error each."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(n):
        row = [f"Åse{i}", f"Ødegård-{i}", f"client{i}@example.com", f"+47 4{i:07d}", "wedding, vip" if i % 3 else "",
               wedding(i, styles[i % len(styles)]), "" if i % 4 else wedding(i + 5, "iso"), "yes" if i % 2 else "no",
               "Met at the fair; likes film" if i % 5 == 0 else "", "Instagram"]
        if i in bad:
            kind = bad[i]
            if kind == "email":
                row[2] = "not-an-email"
            elif kind == "date":
                row[5] = "31.02.2024"
            elif kind == "consent":
                row[7] = "maybe"
            elif kind == "name":
                row[0] = row[1] = ""
        writer.writerow(row)
    text = out.getvalue()
    return ("\ufeff" + text if bom else text).encode()


def count_clients(photographer):
    db.session.expire_all()
    return db.session.scalar(select(func.count(Client.id)).where(Client.photographer_id == photographer.id))


@pytest.mark.parametrize("delimiter,bom,styles,order", [
    (";", True, ("iso", "dotted", "words"), "auto"),
    (",", False, ("mdy", "iso"), "mdy"),
])
def test_two_thousand_rows_preview_errors_then_all_or_nothing(make_photographer, delimiter, bom, styles, order):
    photographer, api = make_photographer()
    bad = {17: "email", 404: "date", 999: "consent", 1500: "name"}
    data = other_tool_csv(delimiter=delimiter, bom=bom, styles=styles, bad=bad)

    preview = api.post(f"/api/v1/clients/import/preview?date_order={order}", data=data, content_type="text/csv")
    assert preview.status_code == 200, preview.get_json()
    report = preview.json
    assert report["rows"] == 2000 and report["delimiter"] == delimiter
    assert report["encoding"] == ("utf-8-sig" if bom else "utf-8")
    assert report["error_rows"] == 4 and report["create"] == 1996 and report["update"] == 0
    assert {e["row"] for e in report["errors"]} == {i + 2 for i in bad}  # line numbers (the header is line 1)
    by_row = {e["row"]: e for e in report["errors"]}
    assert by_row[19]["column"] == "E-mail" and by_row[406]["column"] == "Wedding date"
    assert by_row[1001]["column"] == "Newsletter" and by_row[1502]["field"] == "name"
    fields = {c["header"]: c["field"] for c in report["columns"]}
    assert fields["E-mail"] == "email" and fields["Lead source"] is None and fields["Newsletter"] == "marketing_consent"
    assert report["consent"] == {"column": "Newsletter", "applied": False, "yes": 999, "no": 1000}
    assert count_clients(photographer) == 0

    refused = problem(api.post(f"/api/v1/clients/import?date_order={order}", data=data, content_type="text/csv"), 422)
    assert refused["report"]["error_rows"] == 4
    assert count_clients(photographer) == 0  # nothing half-imported

    good = other_tool_csv(delimiter=delimiter, bom=bom, styles=styles)
    done = api.post(f"/api/v1/clients/import?date_order={order}", data=good, content_type="text/csv")
    assert done.status_code == 201, done.get_json()
    assert done.json["create"] == 2000 and done.json["imported"] is True
    assert count_clients(photographer) == 2000
    client = db.session.scalar(select(Client).where(Client.email == "client16@example.com"))
    assert client.name == "Åse16 Ødegård-16" and client.tags == ["vip", "wedding"]
    assert client.marketing_consent is False and client.consent_given_at is None  # not confirmed: not read
    kinds = {d.kind: d.date.isoformat() for d in client.important_dates}
    assert kinds["wedding"] == "2021-05-17" and kinds["child_birth"] == "2016-10-22"
    assert db.session.scalar(select(func.count(ImportantDate.id))) == 2000 + 500

    again = api.post(f"/api/v1/clients/import/preview?date_order={order}", data=good, content_type="text/csv").json
    assert again["create"] == 0 and again["update"] == 2000  # matched by email


def test_consent_only_when_confirmed_with_source_import_and_withdrawal_recorded(make_photographer, make_client):
    photographer, api = make_photographer()
    make_client(photographer, name="Had consent", email="had@example.com", marketing_consent=True,
                consent_source="contract")
    data = ("Name,Email,Accepts marketing\nNew One,new@example.com,yes\nHad consent,had@example.com,no\n"
            "Silent,silent@example.com,\n").encode()
    api.post("/api/v1/clients/import", data=data, content_type="text/csv")
    db.session.expire_all()
    new = db.session.scalar(select(Client).where(Client.email == "new@example.com"))
    assert new.marketing_consent is False and new.consent_source is None
    had = db.session.scalar(select(Client).where(Client.email == "had@example.com"))
    assert had.marketing_consent is True and had.consent_withdrawn_at is None

    done = api.post("/api/v1/clients/import?consent_confirmed=true", data=data, content_type="text/csv")
    assert done.status_code == 201 and done.json["consent"]["applied"] is True
    db.session.expire_all()
    new = db.session.scalar(select(Client).where(Client.email == "new@example.com"))
    assert new.marketing_consent is True and new.consent_source == "import" and new.consent_given_at
    had = db.session.scalar(select(Client).where(Client.email == "had@example.com"))
    assert had.marketing_consent is False and had.consent_withdrawn_at
    silent = db.session.scalar(select(Client).where(Client.email == "silent@example.com"))
    assert silent.marketing_consent is False and silent.consent_given_at is None


def test_ambiguous_dates_ask_for_the_order(photographer_api):
    data = b"Name;Email;Wedding date\nA;a@example.com;03/04/2024\nB;b@example.com;05/06/2024\n"
    report = photographer_api.post("/api/v1/clients/import/preview", data=data, content_type="text/csv").json
    assert report["error_rows"] == 2 and "date order" in report["errors"][0]["message"]
    report = photographer_api.post("/api/v1/clients/import/preview?date_order=dmy", data=data,
                                   content_type="text/csv").json
    assert report["error_rows"] == 0 and report["date_order"] == "dmy"
    proven = b"Name;Email;Wedding date\nA;a@example.com;03/04/2024\nB;b@example.com;25/06/2024\n"
    report = photographer_api.post("/api/v1/clients/import/preview", data=proven, content_type="text/csv").json
    assert report["error_rows"] == 0 and report["date_order"] == "dmy"


def test_export_neutralises_formulas_and_imports_back(make_photographer, make_client):
    photographer, api = make_photographer()
    make_client(photographer, name="=HYPERLINK(\"http://evil.example\",\"x\")", email="evil@example.com",
                notes="+cmd|' /C calc'!A0", tags=["@risk"], important_dates=[{"kind": "wedding", "date": date(2024, 5, 4)}])
    make_client(photographer, name="Kari Nordmann", email="kari@example.no", marketing_consent=True,
                consent_source="booking form")
    other, _ = make_photographer()
    make_client(other, name="Not mine", email="secret@example.com")
    answer = api.get("/api/v1/clients/export")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff") and "secret@example.com" not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    evil = next(r for r in rows if r[1] == "evil@example.com")
    assert evil[0].startswith("'=") and evil[6].startswith("'+") and evil[5] == "'@risk"
    assert evil[11] == "2024-05-04"
    kari = next(r for r in rows if r[1] == "kari@example.no")
    assert kari[7] == "yes" and kari[8] == "booking form"

    _, fresh = make_photographer()
    report = fresh.post("/api/v1/clients/import/preview", data=answer.get_data(), content_type="text/csv").json
    assert report["error_rows"] == 0 and report["create"] == 2
    assert report["consent"]["column"] == "Marketing consent" and report["consent"]["applied"] is False


@pytest.mark.parametrize("data,status,words", [
    (b"", 422, "empty"),
    (b"Name,Email\nA,a@example.com\nB\x00,b@example.com\n", 422, "NUL"),
    ("Name;Email\nJos\u00e9;jose@example.com\n".encode("latin-1"), 422, "not UTF-8"),
    ("Name,Email\nA,a@example.com\n".encode("utf-16"), 422, "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 422, "UTF-8"),
    (b"Colour,Size\nred,XL\n", 422, "client list"),
])
def test_hostile_files_are_problems(photographer_api, data, status, words):
    body = problem(photographer_api.post("/api/v1/clients/import/preview", data=data, content_type="text/csv"), status)
    assert words.lower() in body["detail"].lower()


def test_huge_files_and_bad_options(photographer_api):
    huge = b"Name,Email\n" + b"A,a@example.com\n" * 400_000  # 6.4 MB
    problem(photographer_api.post("/api/v1/clients/import/preview", data=huge, content_type="text/csv"), 413)
    many = b"Name\n" + b"A\n" * 10_001
    problem(photographer_api.post("/api/v1/clients/import", data=many, content_type="text/csv"), 413)
    long_cell = b"Name,Email\n" + b"x" * 300_000 + b",a@example.com\n"
    body = photographer_api.post("/api/v1/clients/import/preview", data=long_cell, content_type="text/csv")
    assert body.status_code in (200, 422) and body.mimetype in ("application/json", "application/problem+json")
    problem(photographer_api.post("/api/v1/clients/import/preview?date_order=ydm", data=b"Name\nA\n",
                                  content_type="text/csv"), 422)
    problem(photographer_api.post("/api/v1/clients/import?consent_confirmed=perhaps", data=b"Name\nA\n",
                                  content_type="text/csv"), 422)


def test_duplicates_within_the_file_and_existing_clients_updated_not_overwritten(make_photographer, make_client):
    photographer, api = make_photographer()
    make_client(photographer, name="Kari Nordmann", email="kari@example.no", phone="+47 1", tags=["old"],
                important_dates=[{"kind": "birthday", "date": date(1990, 1, 2)}])
    data = ("Name;E-mail;Phone;Tags;Wedding date\n"
            "Kari N.;KARI@example.no;;new;14.06.2025\n"
            "Broken;nope;;;\nBroken too;nope;;;\n"
            "Again;kari@example.no;;;\n").encode()
    report = api.post("/api/v1/clients/import/preview", data=data, content_type="text/csv").json
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert set(messages) == {3, 4, 5} and "row 2" in messages[5] and "row" not in messages[4]
    fixed = data.replace(b"Broken;nope;;;\nBroken too;nope;;;\nAgain;kari@example.no;;;\n", b"")
    assert api.post("/api/v1/clients/import", data=fixed, content_type="text/csv").status_code == 201
    db.session.expire_all()
    kari = db.session.scalar(select(Client).where(Client.email == "kari@example.no"))
    assert kari.name == "Kari N." and kari.phone == "+47 1" and kari.tags == ["new", "old"]
    assert sorted(d.kind for d in kari.important_dates) == ["birthday", "wedding"]
