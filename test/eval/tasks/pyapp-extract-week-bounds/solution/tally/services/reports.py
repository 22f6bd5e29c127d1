"""Reports over logged time: totals per project, a weekly timesheet, budget status."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from tally.db.clients import list_clients
from tally.db.entries import entries_between
from tally.db.projects import get_project, list_projects, minutes_logged
from tally.timeutil import days, week_bounds


@dataclass(frozen=True)
class ProjectTotal:
    """Time on one project over a period."""

    code: str
    name: str
    client: str | None
    minutes: int
    billable_minutes: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Summary:
    """Totals per project over ``start``..``end``, most time first."""

    start: date
    end: date
    projects: list[ProjectTotal]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.projects)

    @property
    def billable_minutes(self) -> int:
        return sum(p.billable_minutes for p in self.projects)

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "projects": [p.to_dict() for p in self.projects],
            "minutes": self.minutes,
            "billable_minutes": self.billable_minutes,
        }


def summarize(conn: sqlite3.Connection, start: date, end: date) -> Summary:
    """Adds up the time of every project from ``start`` to ``end`` (inclusive)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    projects = {p.id: p for p in list_projects(conn, include_archived=True)}
    clients = {c.id: c.name for c in list_clients(conn, include_archived=True)}
    minutes: dict[int, int] = {}
    billable: dict[int, int] = {}
    for entry in entries_between(conn, start, end):
        minutes[entry.project_id] = minutes.get(entry.project_id, 0) + entry.minutes
        if entry.billable and projects[entry.project_id].billable:
            billable[entry.project_id] = billable.get(entry.project_id, 0) + entry.minutes
    totals = [
        ProjectTotal(
            code=projects[pid].code,
            name=projects[pid].name,
            client=clients.get(projects[pid].client_id) if projects[pid].client_id else None,
            minutes=total,
            billable_minutes=billable.get(pid, 0),
        )
        for pid, total in minutes.items()
    ]
    totals.sort(key=lambda t: (-t.minutes, t.code))
    return Summary(start=start, end=end, projects=totals)


@dataclass(frozen=True)
class TimesheetRow:
    """One project's minutes on each day of the week."""

    code: str
    per_day: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_day)


@dataclass(frozen=True)
class Timesheet:
    """A week of time, one row per project that has any."""

    start: date
    end: date
    rows: list[TimesheetRow] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return list(days(self.start, self.end))

    @property
    def day_totals(self) -> list[int]:
        return [sum(row.per_day[i] for row in self.rows) for i in range(7)]

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": [d.isoformat() for d in self.days],
            "rows": [{"code": r.code, "per_day": r.per_day, "total": r.total} for r in self.rows],
            "day_totals": self.day_totals,
        }


def weekly_timesheet(conn: sqlite3.Connection, day: date, week_start: str = "monday") -> Timesheet:
    """The timesheet of the week that contains ``day``; weeks start on ``week_start``."""
    start, end = week_bounds(day, week_start)
    codes = {p.id: p.code for p in list_projects(conn, include_archived=True)}
    grid: dict[str, list[int]] = {}
    for entry in entries_between(conn, start, end):
        row = grid.setdefault(codes[entry.project_id], [0] * 7)
        row[(entry.day - start).days] += entry.minutes
    rows = [TimesheetRow(code=code, per_day=per_day) for code, per_day in sorted(grid.items())]
    return Timesheet(start=start, end=end, rows=rows)


@dataclass(frozen=True)
class BudgetStatus:
    """How much of a project's budget is used."""

    code: str
    budget_minutes: int | None
    used_minutes: int

    @property
    def remaining_minutes(self) -> int | None:
        return None if self.budget_minutes is None else self.budget_minutes - self.used_minutes

    @property
    def percent_used(self) -> float | None:
        if not self.budget_minutes:
            return None
        return round(100 * self.used_minutes / self.budget_minutes, 1)

    @property
    def over_budget(self) -> bool:
        return self.budget_minutes is not None and self.used_minutes > self.budget_minutes

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "budget_minutes": self.budget_minutes,
            "used_minutes": self.used_minutes,
            "remaining_minutes": self.remaining_minutes,
            "percent_used": self.percent_used,
            "over_budget": self.over_budget,
        }


def budget_status(conn: sqlite3.Connection, project_id: int) -> BudgetStatus:
    """Compares the minutes logged on a project with its budget (if it has one)."""
    project = get_project(conn, project_id)
    return BudgetStatus(code=project.code, budget_minutes=project.budget_minutes, used_minutes=minutes_logged(conn, project.id))
