"""CSV export and import of time entries.

The file has a header row. Columns: ``date`` (YYYY-MM-DD), ``project`` (the project code),
``minutes`` (a number or any duration ``parse_duration`` reads), and optionally ``note``,
``billable`` (yes/no; empty means the project's own setting) and ``tags`` (comma-separated).
An import is all or nothing: one bad row and no row is stored.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Iterable, TextIO

from tally.db.connection import transaction
from tally.db.entries import EntryFilter, insert_entry, list_entries, parse_tags
from tally.db.projects import list_projects
from tally.errors import ValidationError
from tally.models import Entry
from tally.timeutil import parse_date, parse_duration

CSV_COLUMNS = ("date", "project", "minutes", "note", "billable", "tags")
REQUIRED_COLUMNS = ("date", "project", "minutes")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class ImportRow:
    """One parsed CSV row, not yet tied to a project id. ``billable`` None: the project decides."""

    line: int
    day: date
    project_code: str
    minutes: int
    note: str
    billable: bool | None
    tags: tuple[str, ...]


def write_entries_csv(entries: Iterable[Entry], project_codes: dict[int, str], out: TextIO) -> int:
    """Writes entries as CSV (header first) to ``out``; returns the number of rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow(
            [
                entry.day.isoformat(),
                project_codes[entry.project_id],
                entry.minutes,
                entry.note,
                "yes" if entry.billable else "no",
                ",".join(entry.tags),
            ]
        )
        count += 1
    return count


def export_entries(conn: sqlite3.Connection, entry_filter: EntryFilter = EntryFilter()) -> str:
    """The entries matching ``entry_filter`` as CSV text, oldest first."""
    codes = {p.id: p.code for p in list_projects(conn, include_archived=True)}
    entries = sorted(list_entries(conn, entry_filter), key=lambda e: (e.day, e.id))
    out = io.StringIO()
    write_entries_csv(entries, codes, out)
    return out.getvalue()


def read_entries_csv(text: str) -> list[ImportRow]:
    """Parses CSV text into rows, checking every field.

    Raises ``ValidationError`` with one key per bad line (``"line 3"``; the header is line 1),
    or ``"header"`` when a required column is missing.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ValidationError({"header": f"missing column(s): {', '.join(missing)}"})
    reader.fieldnames = header
    rows: list[ImportRow] = []
    errors: dict[str, str] = {}
    for line, record in enumerate(reader, start=1):
        try:
            rows.append(_read_row(line, record))
        except ValueError as error:
            errors[f"line {line}"] = str(error)
    if errors:
        raise ValidationError(errors)
    return rows


def _read_row(line: int, record: dict[str, str | None]) -> ImportRow:
    def value(name: str) -> str:
        return (record.get(name) or "").strip()

    code = value("project")
    if not code:
        raise ValueError("project is empty")
    billable_text = value("billable").lower()
    if billable_text in _YES:
        billable: bool | None = True
    elif billable_text in _NO:
        billable = False
    elif billable_text == "":
        billable = None
    else:
        raise ValueError(f"billable must be yes or no, not {billable_text!r}")
    return ImportRow(
        line=line,
        day=parse_date(value("date")),
        project_code=code,
        minutes=parse_duration(value("minutes")),
        note=value("note"),
        billable=billable,
        tags=parse_tags(value("tags")),
    )


def import_entries(conn: sqlite3.Connection, text: str) -> int:
    """Reads CSV text and stores every row as an entry; returns how many were stored.

    Project codes are matched ignoring case. Nothing is stored if any row is bad.
    """
    rows = read_entries_csv(text)
    projects = {p.code.lower(): p for p in list_projects(conn, include_archived=True)}
    unknown = {f"line {row.line}": f"no project {row.project_code!r}" for row in rows if row.project_code.lower() not in projects}
    if unknown:
        raise ValidationError(unknown)
    with transaction(conn):
        for row in rows:
            project = projects[row.project_code.lower()]
            insert_entry(
                conn,
                project.id,
                row.day,
                row.minutes,
                note=row.note,
                billable=project.billable if row.billable is None else row.billable,
                tags=row.tags,
            )
    return len(rows)
