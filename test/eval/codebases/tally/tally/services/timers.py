"""Starting and stopping timers; a stopped timer becomes a time entry."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from tally.db.connection import transaction
from tally.db.entries import insert_entry
from tally.db.projects import get_project
from tally.db.timers import delete_timer, insert_timer, list_timers, timer_for_project
from tally.errors import ConflictError
from tally.models import Entry, Timer
from tally.timeutil import elapsed_minutes, utc_now


@dataclass(frozen=True)
class StoppedTimer:
    """The entry a stopped timer produced; ``capped`` when it ran past the configured limit."""

    entry: Entry
    capped: bool


@dataclass(frozen=True)
class RunningTimer:
    """A timer and the minutes it has run so far."""

    timer: Timer
    minutes: int


def start_timer(conn: sqlite3.Connection, project_id: int, note: str = "", now: datetime | None = None) -> Timer:
    """Starts a timer on an active project. One running timer per project at a time."""
    with transaction(conn):
        project = get_project(conn, project_id)
        if project.archived:
            raise ConflictError(f"project {project.code} is archived; unarchive it to track time")
        return insert_timer(conn, project.id, now or utc_now(), note)


def stop_running_timer(
    conn: sqlite3.Connection, project_id: int, limit_hours: int, now: datetime | None = None
) -> StoppedTimer:
    """Stops the project's timer and logs the time on the day it was started.

    A timer left running longer than ``limit_hours`` is logged as exactly the limit and
    reported as capped, so a forgotten timer never bills a whole weekend.
    """
    now = now or utc_now()
    with transaction(conn):
        timer = timer_for_project(conn, project_id)
        project = get_project(conn, project_id)
        minutes = elapsed_minutes(timer.started_at, now)
        limit = limit_hours * 60
        entry = insert_entry(
            conn,
            project.id,
            timer.started_at.date(),
            min(minutes, limit),
            note=timer.note,
            billable=project.billable,
        )
        delete_timer(conn, timer.id)
    return StoppedTimer(entry=entry, capped=minutes > limit)


def discard_timer(conn: sqlite3.Connection, project_id: int) -> Timer:
    """Throws a running timer away without logging anything."""
    with transaction(conn):
        timer = timer_for_project(conn, project_id)
        delete_timer(conn, timer.id)
    return timer


def running_timers(conn: sqlite3.Connection, now: datetime | None = None) -> list[RunningTimer]:
    """Every running timer with its elapsed minutes."""
    now = now or utc_now()
    return [RunningTimer(timer, elapsed_minutes(timer.started_at, now)) for timer in list_timers(conn)]
