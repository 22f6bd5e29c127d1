"""The database schema, as an ordered list of migrations tracked in ``PRAGMA user_version``.

Never edit a migration that has shipped: append a new one. ``migrate`` applies the missing ones
in order, each in its own transaction.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: clients, projects, entries
    """
    CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        hourly_rate_cents INTEGER NOT NULL DEFAULT 0 CHECK (hourly_rate_cents >= 0),
        round_to_minutes INTEGER NOT NULL DEFAULT 15 CHECK (round_to_minutes BETWEEN 0 AND 60),
        archived INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        client_id INTEGER REFERENCES clients (id),
        billable INTEGER NOT NULL DEFAULT 1,
        archived INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        minutes INTEGER NOT NULL CHECK (minutes > 0),
        note TEXT NOT NULL DEFAULT '',
        billable INTEGER NOT NULL DEFAULT 1,
        tags TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX entries_by_day ON entries (day);
    CREATE INDEX entries_by_project_day ON entries (project_id, day);
    """,
    # 2: running timers, at most one per project
    """
    CREATE TABLE timers (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    """,
    # 3: optional budgets on projects
    """
    ALTER TABLE projects ADD COLUMN budget_minutes INTEGER CHECK (budget_minutes > 0);
    """,
)


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to this database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Applies every migration the database lacks; returns how many were applied.

    A database newer than this code (a higher ``user_version``) is refused rather than guessed at.
    """
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the database is at schema version {current}, newer than this Tally ({len(MIGRATIONS)}); upgrade Tally"
        )
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        statements = [s.strip() for s in script.split(";") if s.strip()]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(MIGRATIONS) - current
