"""Reading a client list exported by another tool: the bytes, the delimiter, the headers and the dates.

- Text: UTF-8 with or without a byte-order mark. Anything else (Latin-1, UTF-16 without saying so, a binary
  file, a NUL byte) is refused with the line where it goes wrong, never guessed.
- Delimiter: comma, semicolon or tab, whichever splits the header line into the most columns.
- Headers: mapped by name in the languages of the studio and the spellings common tools use ("E-mail",
  "First name"/"Last name", "Phone", "Tags", "Wedding date"...). Unknown columns are reported and ignored.
- Dates: ISO (2025-06-14, 2025/06/14, with a time or not), 14.06.2025, 14-06-2025, 14/06/2025, 06/14/2025,
  "14 June 2025", "June 14, 2025". Day-month order of slash and dash dates is the photographer's choice
  (`dmy` or `mdy`), or, on `auto`, what the file proves (a first part above 12 means day first); a date
  that stays ambiguous is a row error that asks for the choice.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from gallery.errors import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
DATE_ORDERS = ("auto", "dmy", "mdy")

# Field -> header spellings (normalised: lower case, letters and digits only).
_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "clientname", "client", "contactname", "contact", "displayname", "navn",
             "fulltnavn", "imieinazwisko", "nazwa", "imeiprezime", "ime", "namalengkap", "nama"),
    "first_name": ("firstname", "givenname", "forename", "fornavn", "imie", "namadepan"),
    "last_name": ("lastname", "surname", "familyname", "etternavn", "nazwisko", "prezime", "namabelakang"),
    "email": ("email", "emailaddress", "mail", "epost", "epostadresse", "adresemail", "emailadresa",
              "primaryemail", "emailaddress1"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "cellphone",
              "telefon", "mobil", "telefonnummer", "nomortelepon", "telepon", "hp", "primaryphone"),
    "locale": ("language", "locale", "lang", "sprak", "jezyk", "jezik", "bahasa"),
    "timezone": ("timezone", "tz", "tidssone", "strefaczasowa", "vremenskazona", "zonawaktu"),
    "tags": ("tags", "tag", "labels", "label", "groups", "group", "categories", "stikkord", "tagi", "oznake"),
    "notes": ("notes", "note", "privatenotes", "comments", "comment", "remarks", "notater", "notatki",
              "biljeske", "catatan"),
    "marketing_consent": ("marketingconsent", "consent", "newsletter", "acceptsmarketing", "emailmarketing",
                          "marketingoptin", "optin", "subscribed", "emailsubscription", "samtykke",
                          "markedsforingssamtykke", "zgodamarketingowa", "privola", "persetujuan"),
    "date:wedding": ("weddingdate", "wedding", "dateofwedding", "bryllupsdato", "bryllup", "dataslubu",
                     "datumvjencanja", "tanggalpernikahan"),
    "date:birthday": ("birthday", "dateofbirth", "dob", "birthdate", "fodselsdato", "bursdag", "dataurodzenia",
                      "datumrodenja", "tanggallahir"),
    "date:child_birth": ("childsbirthday", "childbirthday", "childdateofbirth", "babybirthday", "babydob",
                         "babysbirthday", "kidsbirthday", "barnetsfodselsdato", "urodzinydziecka",
                         "rodendandjeteta", "ulangtahunanak"),
    "date:anniversary": ("anniversary", "weddinganniversary", "jubileum", "rocznica", "godisnjica"),
}
# The headers this studio's own export writes, so an export imports back unchanged.
_HEADERS["consent_source"] = ("consentsource",)
_LOOKUP = {spelling: name for name, spellings in _HEADERS.items() for spelling in spellings}

_MONTHS = {name: index for index, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_WORDY = re.compile(r"^(\d{1,2})\.? ([a-z]+)\.?,? (\d{4})$|^([a-z]+)\.? (\d{1,2}),? (\d{4})$")


class DateAmbiguous(ValueError):
    pass


def header_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def field_for(header: str) -> str | None:
    return _LOOKUP.get(header_key(header))


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of the file; a 413 when too big, a 422 naming the line when not UTF-8 text."""
    if len(data) > MAX_BYTES:
        raise Problem(413, f"The file is too large ({len(data)} bytes; at most {MAX_BYTES}).", max_bytes=MAX_BYTES)
    if not data.strip():
        raise Problem(422, "The file is empty.", errors={"file": ["Empty file."]})
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Problem(422, "The file is UTF-16; save it as CSV in UTF-8.", errors={"file": ["Not UTF-8."]})
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise Problem(422, f"The file is not UTF-8 text (line {line}); save it as CSV in UTF-8 and try again.",
                      errors={"file": [f"Not UTF-8 at line {line}."]}) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise Problem(422, f"The file holds a NUL character (line {line}): it is not a CSV text file.",
                      errors={"file": [f"NUL character at line {line}."]})
    return text, encoding


def delimiter_of(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {mark: first.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


@dataclass
class Table:
    delimiter: str
    headers: list[str]
    fields: list[str | None]  # the field each column maps to, or None (ignored)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number in the file, cells)


def read_table(text: str) -> Table:
    """The header and the rows (with their line numbers); a 422 when the shape is not a table."""
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        headers = next(reader)
    except StopIteration:
        raise Problem(422, "The file has no header line.", errors={"file": ["No header line."]}) from None
    except csv.Error as error:
        raise Problem(422, f"The header line cannot be read: {error}.", errors={"file": [str(error)]}) from None
    headers = [h.strip() for h in headers]
    mapped = [field_for(h) for h in headers]
    seen: set[str] = set()
    fields = []
    for name in mapped:  # a field mapped twice keeps its first column
        fields.append(name if name and name not in seen else None)
        if name:
            seen.add(name)
    if not ({"name", "first_name", "last_name", "email"} & seen):
        raise Problem(422, "No column holds a name or an email address; is this a client list?",
                      errors={"file": ["No name or email column."]}, columns=headers[:50])
    table = Table(delimiter=delimiter, headers=headers, fields=fields)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            table.rows.append((reader.line_num, cells))
            if len(table.rows) > MAX_ROWS:
                raise Problem(413, f"The file has more than {MAX_ROWS} clients; split it and import each part.",
                              max_rows=MAX_ROWS)
    except csv.Error as error:
        raise Problem(422, f"Line {reader.line_num} cannot be read: {error}.",
                      errors={"file": [f"Line {reader.line_num}: {error}."]}) from None
    return table


def evidence(values: list[str]) -> str | None:
    """The day-month order the file's slash and dash dates prove ('dmy', 'mdy'), or None."""
    proves = set()
    for value in values:
        match = _SLASHED.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                proves.add("dmy")
            elif second > 12 >= first:
                proves.add("mdy")
    return proves.pop() if len(proves) == 1 else None


def parse_date(value: str, order: str | None) -> date:
    """A date in one of the accepted forms; ValueError (DateAmbiguous when only the order is missing)."""
    text = " ".join(value.strip().lower().split())
    if match := _ISO.match(text):
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DOTTED.match(text):
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _SLASHED.match(text):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if order is None:
            if first > 12 >= second:
                order = "dmy"
            elif second > 12 >= first:
                order = "mdy"
            elif first != second:
                raise DateAmbiguous(value)
            else:
                order = "dmy"
        return date(year, second, first) if order == "dmy" else date(year, first, second)
    if match := _WORDY.match(text):
        day, month, year = (match.group(1), match.group(2), match.group(3)) if match.group(1) \
            else (match.group(5), match.group(4), match.group(6))
        if month in _MONTHS:
            return date(int(year), _MONTHS[month], int(day))
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise ValueError(value) from None
