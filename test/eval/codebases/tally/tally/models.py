"""The records Tally stores, as plain frozen dataclasses.

Money is always an integer number of cents; durations are whole minutes; days are ``date``.
``to_dict`` gives the JSON shape the HTTP API returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tally.timeutil import format_instant


@dataclass(frozen=True)
class Client:
    """Someone who is billed for work. ``round_to_minutes`` applies to their invoices."""

    id: int
    name: str
    hourly_rate_cents: int
    round_to_minutes: int
    archived: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "hourly_rate_cents": self.hourly_rate_cents,
            "round_to_minutes": self.round_to_minutes,
            "archived": self.archived,
        }


@dataclass(frozen=True)
class Project:
    """A piece of work time is logged against, identified by a short unique ``code``."""

    id: int
    code: str
    name: str
    client_id: int | None
    billable: bool = True
    budget_minutes: int | None = None
    archived: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "client_id": self.client_id,
            "billable": self.billable,
            "budget_minutes": self.budget_minutes,
            "archived": self.archived,
        }


@dataclass(frozen=True)
class Entry:
    """Time spent on a project on one day."""

    id: int
    project_id: int
    day: date
    minutes: int
    note: str = ""
    billable: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "project_id": self.project_id,
            "day": self.day.isoformat(),
            "minutes": self.minutes,
            "note": self.note,
            "billable": self.billable,
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class Timer:
    """A running stopwatch on a project; stopping it turns it into an ``Entry``."""

    id: int
    project_id: int
    started_at: datetime
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "project_id": self.project_id,
            "started_at": format_instant(self.started_at),
            "note": self.note,
        }
