"""Storage of clients."""

from __future__ import annotations

import sqlite3
from typing import Any

from tally.errors import ConflictError, NotFoundError
from tally.models import Client

_UPDATABLE = ("name", "hourly_rate_cents", "round_to_minutes", "archived")


def _to_client(row: sqlite3.Row) -> Client:
    return Client(
        id=row["id"],
        name=row["name"],
        hourly_rate_cents=row["hourly_rate_cents"],
        round_to_minutes=row["round_to_minutes"],
        archived=bool(row["archived"]),
    )


def create_client(
    conn: sqlite3.Connection,
    name: str,
    hourly_rate_cents: int = 0,
    round_to_minutes: int | None = None,
) -> Client:
    """Adds a client. Without ``round_to_minutes`` the schema's default applies.

    Raises ``ConflictError`` if a client of that name (ignoring case) exists.
    """
    columns = ["name", "hourly_rate_cents"]
    values: list[Any] = [name, hourly_rate_cents]
    if round_to_minutes is not None:
        columns.append("round_to_minutes")
        values.append(round_to_minutes)
    placeholders = ", ".join("?" for _ in columns)
    try:
        cursor = conn.execute(f"INSERT INTO clients ({', '.join(columns)}) VALUES ({placeholders})", values)
    except sqlite3.IntegrityError as error:
        raise ConflictError(f"a client named {name!r} already exists") from error
    return get_client(conn, cursor.lastrowid)


def get_client(conn: sqlite3.Connection, client_id: int) -> Client:
    """Returns the client with this id, or raises ``NotFoundError``."""
    row = conn.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise NotFoundError("client", client_id)
    return _to_client(row)


def find_client_by_name(conn: sqlite3.Connection, name: str) -> Client:
    """Returns the client with this name (ignoring case), or raises ``NotFoundError``."""
    row = conn.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFoundError("client", name)
    return _to_client(row)


def list_clients(conn: sqlite3.Connection, include_archived: bool = False) -> list[Client]:
    """All clients by name; archived ones only when asked for."""
    sql = "SELECT * FROM clients"
    if not include_archived:
        sql += " WHERE archived = 0"
    return [_to_client(row) for row in conn.execute(sql + " ORDER BY name")]


def update_client(conn: sqlite3.Connection, client_id: int, **changes: Any) -> Client:
    """Changes the given columns of a client and returns it as stored."""
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise TypeError(f"cannot update client column(s): {', '.join(sorted(unknown))}")
    get_client(conn, client_id)
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        try:
            conn.execute(f"UPDATE clients SET {assignments} WHERE id = ?", (*changes.values(), client_id))
        except sqlite3.IntegrityError as error:
            raise ConflictError(f"a client named {changes.get('name')!r} already exists") from error
    return get_client(conn, client_id)
