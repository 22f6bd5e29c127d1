"""Storage of running timers (at most one per project)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from tally.errors import ConflictError, NotFoundError
from tally.models import Timer
from tally.timeutil import format_instant, parse_instant


def _to_timer(row: sqlite3.Row) -> Timer:
    return Timer(id=row["id"], project_id=row["project_id"], started_at=parse_instant(row["started_at"]), note=row["note"])


def insert_timer(conn: sqlite3.Connection, project_id: int, started_at: datetime, note: str = "") -> Timer:
    """Records a timer started on a project; a second one on the same project is a conflict."""
    try:
        cursor = conn.execute(
            "INSERT INTO timers (project_id, started_at, note) VALUES (?, ?, ?)",
            (project_id, format_instant(started_at), note),
        )
    except sqlite3.IntegrityError as error:
        if "FOREIGN KEY" in str(error):
            raise NotFoundError("project", project_id) from error
        raise ConflictError(f"a timer is already running on project {project_id}") from error
    row = conn.execute("SELECT * FROM timers WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return _to_timer(row)


def timer_for_project(conn: sqlite3.Connection, project_id: int) -> Timer:
    """The running timer of a project, or ``NotFoundError``."""
    row = conn.execute("SELECT * FROM timers WHERE project_id = ?", (project_id,)).fetchone()
    if row is None:
        raise NotFoundError("running timer on project", project_id)
    return _to_timer(row)


def list_timers(conn: sqlite3.Connection) -> list[Timer]:
    """All running timers, oldest first."""
    return [_to_timer(row) for row in conn.execute("SELECT * FROM timers ORDER BY started_at, id")]


def delete_timer(conn: sqlite3.Connection, timer_id: int) -> None:
    """Removes a timer (when it is stopped or discarded)."""
    conn.execute("DELETE FROM timers WHERE id = ?", (timer_id,))
