"""One CSV writer and one text sanitiser for everything that leaves as a file, a filter line or a mail.

- `csv_writer(out)`: rows written through it have every text cell neutralised: a cell a spreadsheet would
  run as a formula (starting with = + - @, a tab or a carriage return, in ASCII or full-width forms) gets a
  leading apostrophe (OWASP's advice), so `=HYPERLINK(...)` in a visitor's name stays text.
- `one_line(text)`: control characters, line and paragraph separators become single spaces, so a name or
  note can never start a new line in a Lightroom filter, an export, or a mail header.
"""
from __future__ import annotations

import csv
import re
from datetime import date, datetime

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text) -> str:
    if text is None:
        return ""
    return " ".join(_BREAKS.sub(" ", str(text)).split())


def csv_cell(value):
    if isinstance(value, datetime) or isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})


def csv_writer(out, **kwargs) -> _SafeWriter:
    return _SafeWriter(out, **kwargs)


def csv_dict_writer(out, fieldnames, **kwargs) -> csv.DictWriter:
    return _SafeDictWriter(out, fieldnames=fieldnames, **kwargs)
