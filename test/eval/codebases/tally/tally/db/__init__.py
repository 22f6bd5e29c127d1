"""The data layer: one SQLite database, opened per unit of work, migrated on open."""

from tally.db.connection import connect, open_database, transaction

__all__ = ["connect", "open_database", "transaction"]
