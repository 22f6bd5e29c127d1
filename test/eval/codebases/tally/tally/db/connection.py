"""Opening SQLite connections and running units of work in a transaction."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tally.db.schema import migrate


def connect(path: str) -> sqlite3.Connection:
    """Opens the database at ``path`` (``":memory:"`` for a throwaway one) with Tally's settings.

    Rows come back as ``sqlite3.Row``; foreign keys are enforced; the connection is in
    autocommit mode so that ``transaction`` decides where units of work begin and end. File
    databases use the write-ahead log, so readers never wait for a writer.
    """
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_database(path: str) -> sqlite3.Connection:
    """Connects and brings the schema up to date: what every entry point calls first."""
    conn = connect(path)
    migrate(conn)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Runs the block in one transaction: committed on success, rolled back on any exception.

    Nested use joins the outer transaction instead of starting a new one.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
