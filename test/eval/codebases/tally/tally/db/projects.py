"""Storage of projects."""

from __future__ import annotations

import sqlite3
from typing import Any

from tally.errors import ConflictError, NotFoundError
from tally.models import Project

_UPDATABLE = ("name", "client_id", "billable", "budget_minutes", "archived")


def _to_project(row: sqlite3.Row) -> Project:
    return Project(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        client_id=row["client_id"],
        billable=bool(row["billable"]),
        budget_minutes=row["budget_minutes"],
        archived=bool(row["archived"]),
    )


def create_project(
    conn: sqlite3.Connection,
    code: str,
    name: str,
    client_id: int | None = None,
    billable: bool = True,
    budget_minutes: int | None = None,
) -> Project:
    """Adds a project. Codes are unique, ignoring case; a clash raises ``ConflictError``."""
    try:
        cursor = conn.execute(
            "INSERT INTO projects (code, name, client_id, billable, budget_minutes) VALUES (?, ?, ?, ?, ?)",
            (code, name, client_id, int(billable), budget_minutes),
        )
    except sqlite3.IntegrityError as error:
        if "FOREIGN KEY" in str(error):
            raise NotFoundError("client", client_id) from error
        raise ConflictError(f"a project with code {code!r} already exists") from error
    return get_project(conn, cursor.lastrowid)


def get_project(conn: sqlite3.Connection, project_id: int) -> Project:
    """Returns the project with this id, or raises ``NotFoundError``."""
    row = conn.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
    if row is None:
        raise NotFoundError("project", project_id)
    return _to_project(row)


def find_project_by_code(conn: sqlite3.Connection, code: str) -> Project:
    """Returns the project with this code (ignoring case), or raises ``NotFoundError``."""
    row = conn.execute("SELECT * FROM projects WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFoundError("project", code)
    return _to_project(row)


def list_projects(
    conn: sqlite3.Connection, client_id: int | None = None, include_archived: bool = False
) -> list[Project]:
    """Projects ordered by code, optionally of one client only."""
    clauses: list[str] = []
    params: list[Any] = []
    if client_id is not None:
        clauses.append("client_id = ?")
        params.append(client_id)
    if not include_archived:
        clauses.append("archived = 0")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return [_to_project(row) for row in conn.execute(f"SELECT * FROM projects{where} ORDER BY code", params)]


def update_project(conn: sqlite3.Connection, project_id: int, **changes: Any) -> Project:
    """Changes the given columns of a project and returns it as stored."""
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise TypeError(f"cannot update project column(s): {', '.join(sorted(unknown))}")
    get_project(conn, project_id)
    if "billable" in changes:
        changes["billable"] = int(changes["billable"])
    if "archived" in changes:
        changes["archived"] = int(changes["archived"])
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        try:
            conn.execute(f"UPDATE projects SET {assignments} WHERE id = ?", (*changes.values(), project_id))
        except sqlite3.IntegrityError as error:
            raise NotFoundError("client", changes.get("client_id")) from error
    return get_project(conn, project_id)


def minutes_logged(conn: sqlite3.Connection, project_id: int) -> int:
    """Total minutes ever logged on a project."""
    row = conn.execute("SELECT COALESCE(SUM(minutes), 0) FROM entries WHERE project_id = ?", (project_id,)).fetchone()
    return row[0]
