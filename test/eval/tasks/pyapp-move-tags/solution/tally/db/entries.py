"""Storage of time entries, with the filters the API and the reports need."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from tally.errors import NotFoundError
from tally.models import Entry
from tally.tags import format_tags, parse_tags

_UPDATABLE = ("project_id", "day", "minutes", "note", "billable", "tags")


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to list. Every condition is optional; ``start``/``end`` are inclusive."""

    project_id: int | None = None
    start: date | None = None
    end: date | None = None
    billable: bool | None = None
    tag: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL ``WHERE`` clause (possibly empty) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.project_id is not None:
            clauses.append("project_id = ?")
            params.append(self.project_id)
        if self.start is not None:
            clauses.append("day >= ?")
            params.append(self.start.isoformat())
        if self.end is not None:
            clauses.append("day <= ?")
            params.append(self.end.isoformat())
        if self.billable is not None:
            clauses.append("billable = ?")
            params.append(int(self.billable))
        if self.tag is not None:
            clauses.append("tags LIKE ?")
            params.append(f"%,{self.tag.strip().lower()},%")
        return (f" WHERE {' AND '.join(clauses)}" if clauses else "", params)


def _to_entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        project_id=row["project_id"],
        day=date.fromisoformat(row["day"]),
        minutes=row["minutes"],
        note=row["note"],
        billable=bool(row["billable"]),
        tags=parse_tags(row["tags"]),
    )


def insert_entry(
    conn: sqlite3.Connection,
    project_id: int,
    day: date,
    minutes: int,
    note: str = "",
    billable: bool = True,
    tags: Sequence[str] = (),
) -> Entry:
    """Stores a new entry and returns it. The project must exist."""
    try:
        cursor = conn.execute(
            "INSERT INTO entries (project_id, day, minutes, note, billable, tags) VALUES (?, ?, ?, ?, ?, ?)",
            (project_id, day.isoformat(), minutes, note, int(billable), format_tags(tags)),
        )
    except sqlite3.IntegrityError as error:
        if "FOREIGN KEY" in str(error):
            raise NotFoundError("project", project_id) from error
        raise
    return get_entry(conn, cursor.lastrowid)


def get_entry(conn: sqlite3.Connection, entry_id: int) -> Entry:
    """Returns the entry with this id, or raises ``NotFoundError``."""
    row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NotFoundError("entry", entry_id)
    return _to_entry(row)


def update_entry(conn: sqlite3.Connection, entry_id: int, **changes: Any) -> Entry:
    """Changes the given fields of an entry and returns it as stored."""
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise TypeError(f"cannot update entry field(s): {', '.join(sorted(unknown))}")
    get_entry(conn, entry_id)
    columns: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "day":
            value = value.isoformat()
        elif name == "tags":
            value = format_tags(value)
        elif name == "billable":
            value = int(value)
        columns[name] = value
    if columns:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        try:
            conn.execute(f"UPDATE entries SET {assignments} WHERE id = ?", (*columns.values(), entry_id))
        except sqlite3.IntegrityError as error:
            raise NotFoundError("project", changes.get("project_id")) from error
    return get_entry(conn, entry_id)


def delete_entry(conn: sqlite3.Connection, entry_id: int) -> None:
    """Deletes an entry, or raises ``NotFoundError`` if there is none with this id."""
    cursor = conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    if cursor.rowcount == 0:
        raise NotFoundError("entry", entry_id)


def list_entries(
    conn: sqlite3.Connection, entry_filter: EntryFilter = EntryFilter(), limit: int | None = None, offset: int = 0
) -> list[Entry]:
    """Entries matching the filter, newest day first (then newest id first)."""
    where, params = entry_filter.where()
    sql = f"SELECT * FROM entries{where} ORDER BY day DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [_to_entry(row) for row in conn.execute(sql, params)]


def count_entries(conn: sqlite3.Connection, entry_filter: EntryFilter = EntryFilter()) -> int:
    """How many entries match the filter."""
    where, params = entry_filter.where()
    return conn.execute(f"SELECT COUNT(*) FROM entries{where}", params).fetchone()[0]


def entries_between(
    conn: sqlite3.Connection, start: date, end: date, project_ids: Sequence[int] | None = None
) -> list[Entry]:
    """Every entry from ``start`` to ``end`` (inclusive), oldest first: the input of reports."""
    sql = "SELECT * FROM entries WHERE day BETWEEN ? AND ?"
    params: list[Any] = [start.isoformat(), end.isoformat()]
    if project_ids is not None:
        if not project_ids:
            return []
        sql += f" AND project_id IN ({', '.join('?' for _ in project_ids)})"
        params.extend(project_ids)
    return [_to_entry(row) for row in conn.execute(sql + " ORDER BY day, id", params)]
