"""What each ``tally`` command does, once its arguments are parsed.

Every command takes a ``CommandContext`` and writes its result to ``ctx.out``; errors are raised
(``TallyError`` or ``ValueError``) and printed by ``tally.cli.main``.
"""

from __future__ import annotations

import argparse
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from tally.cli.output import render_table, yes_no
from tally.config import Config
from tally.db import clients as client_store
from tally.db import entries as entry_store
from tally.db import projects as project_store
from tally.db.connection import transaction
from tally.db.entries import parse_tags
from tally.db.schema import schema_version
from tally.services.billing import build_invoice, format_money, parse_money
from tally.services.export import export_entries, import_entries
from tally.services.reports import summarize, weekly_timesheet
from tally.services.timers import running_timers, start_timer, stop_running_timer
from tally.timeutil import format_duration, format_hours, parse_date, parse_duration, week_bounds


@dataclass
class CommandContext:
    """The parsed arguments, an open database, the effective config and where to write."""

    args: argparse.Namespace
    conn: sqlite3.Connection
    config: Config
    out: TextIO

    def say(self, text: str) -> None:
        print(text, file=self.out)


def init(ctx: CommandContext) -> None:
    """``tally init``: the database is migrated on open; report where it is."""
    ctx.say(f"database {ctx.config.database} is at schema version {schema_version(ctx.conn)}")


def show_config(ctx: CommandContext) -> None:
    """``tally config``: every effective setting, the API token masked."""
    for name, value in asdict(ctx.config).items():
        if name == "api_token" and value:
            value = value[:4] + "..."
        ctx.say(f"{name} = {value}")


def client_add(ctx: CommandContext) -> None:
    """``tally client add NAME [--rate R] [--round M]``."""
    with transaction(ctx.conn):
        client = client_store.create_client(ctx.conn, ctx.args.name.strip(), parse_money(ctx.args.rate), ctx.args.round_to)
    ctx.say(f"added client {client.name} (id {client.id})")


def client_list(ctx: CommandContext) -> None:
    """``tally client list [--all]``."""
    rows = [
        (c.id, c.name, format_money(c.hourly_rate_cents, ctx.config.currency), c.round_to_minutes, yes_no(c.archived))
        for c in client_store.list_clients(ctx.conn, include_archived=ctx.args.all)
    ]
    ctx.say(render_table(("id", "name", "rate", "round", "archived"), rows, numeric=(0, 2, 3)))


def project_add(ctx: CommandContext) -> None:
    """``tally project add CODE NAME [--client C] [--budget D] [--non-billable]``."""
    client_id = client_store.find_client_by_name(ctx.conn, ctx.args.client).id if ctx.args.client else None
    budget = parse_duration(ctx.args.budget) if ctx.args.budget else None
    with transaction(ctx.conn):
        project = project_store.create_project(
            ctx.conn, ctx.args.code, ctx.args.name, client_id, billable=not ctx.args.non_billable, budget_minutes=budget
        )
    ctx.say(f"added project {project.code} (id {project.id})")


def project_list(ctx: CommandContext) -> None:
    """``tally project list [--all] [--client C]``."""
    client_id = client_store.find_client_by_name(ctx.conn, ctx.args.client).id if ctx.args.client else None
    clients = {c.id: c.name for c in client_store.list_clients(ctx.conn, include_archived=True)}
    rows = [
        (
            p.code,
            p.name,
            clients.get(p.client_id, "-"),
            yes_no(p.billable),
            format_duration(p.budget_minutes) if p.budget_minutes else "-",
        )
        for p in project_store.list_projects(ctx.conn, client_id=client_id, include_archived=ctx.args.all)
    ]
    ctx.say(render_table(("code", "name", "client", "billable", "budget"), rows, numeric=(4,)))


def project_archive(ctx: CommandContext) -> None:
    """``tally project archive CODE``."""
    project = project_store.find_project_by_code(ctx.conn, ctx.args.code)
    with transaction(ctx.conn):
        project_store.update_project(ctx.conn, project.id, archived=True)
    ctx.say(f"archived project {project.code}")


def log_time(ctx: CommandContext) -> None:
    """``tally log CODE DURATION [--day D] [--note N] [--tags a,b] [--non-billable]``."""
    project = project_store.find_project_by_code(ctx.conn, ctx.args.code)
    if project.archived:
        raise ValueError(f"project {project.code} is archived")
    minutes = parse_duration(ctx.args.duration)
    day = parse_date(ctx.args.day)
    billable = project.billable and not ctx.args.non_billable
    with transaction(ctx.conn):
        entry = entry_store.insert_entry(
            ctx.conn, project.id, day, minutes, note=ctx.args.note, billable=billable, tags=parse_tags(ctx.args.tags)
        )
    ctx.say(f"logged {format_duration(entry.minutes)} on {project.code} for {entry.day.isoformat()} (entry {entry.id})")


def list_entries(ctx: CommandContext) -> None:
    """``tally entries [--project C] [--from D] [--to D] [--tag T] [--limit N]``."""
    project_id = project_store.find_project_by_code(ctx.conn, ctx.args.project).id if ctx.args.project else None
    entry_filter = entry_store.EntryFilter(
        project_id=project_id,
        start=parse_date(ctx.args.start) if ctx.args.start else None,
        end=parse_date(ctx.args.end) if ctx.args.end else None,
        tag=ctx.args.tag,
    )
    codes = {p.id: p.code for p in project_store.list_projects(ctx.conn, include_archived=True)}
    rows = [
        (e.id, e.day.isoformat(), codes[e.project_id], format_duration(e.minutes), yes_no(e.billable), ",".join(e.tags), e.note)
        for e in entry_store.list_entries(ctx.conn, entry_filter, limit=ctx.args.limit)
    ]
    ctx.say(render_table(("id", "day", "project", "time", "billable", "tags", "note"), rows, numeric=(0, 3)))


def start(ctx: CommandContext) -> None:
    """``tally start CODE [--note N]``."""
    project = project_store.find_project_by_code(ctx.conn, ctx.args.code)
    start_timer(ctx.conn, project.id, ctx.args.note)
    ctx.say(f"timer started on {project.code}")


def stop(ctx: CommandContext) -> None:
    """``tally stop CODE``."""
    project = project_store.find_project_by_code(ctx.conn, ctx.args.code)
    stopped = stop_running_timer(ctx.conn, project.id, ctx.config.timer_limit_hours)
    note = f" (capped at {ctx.config.timer_limit_hours}h)" if stopped.capped else ""
    ctx.say(f"logged {format_duration(stopped.entry.minutes)} on {project.code}{note}")


def timers(ctx: CommandContext) -> None:
    """``tally timers``."""
    codes = {p.id: p.code for p in project_store.list_projects(ctx.conn, include_archived=True)}
    rows = [(codes[r.timer.project_id], format_duration(r.minutes), r.timer.note) for r in running_timers(ctx.conn)]
    ctx.say(render_table(("project", "running", "note"), rows, numeric=(1,)))


def report(ctx: CommandContext) -> None:
    """``tally report --from D --to D`` or ``tally report --week DAY``."""
    if ctx.args.week:
        start, end = week_bounds(parse_date(ctx.args.week), ctx.config.week_start)
    elif ctx.args.start and ctx.args.end:
        start, end = parse_date(ctx.args.start), parse_date(ctx.args.end)
    else:
        raise ValueError("give --from and --to, or --week")
    summary = summarize(ctx.conn, start, end)
    rows = [
        (p.code, p.client or "-", format_duration(p.minutes), format_duration(p.billable_minutes))
        for p in summary.projects
    ]
    if rows:
        rows.append(("total", "", format_duration(summary.minutes), format_duration(summary.billable_minutes)))
    ctx.say(f"{start.isoformat()} to {end.isoformat()}")
    ctx.say(render_table(("project", "client", "time", "billable"), rows, numeric=(2, 3)))


def week(ctx: CommandContext) -> None:
    """``tally week [--day D]``: one row per project, one column per day."""
    sheet = weekly_timesheet(ctx.conn, parse_date(ctx.args.day), ctx.config.week_start)
    headers = ("project", *(d.strftime("%a %d") for d in sheet.days), "total")
    rows = [(r.code, *(format_duration(m) if m else "." for m in r.per_day), format_duration(r.total)) for r in sheet.rows]
    if rows:
        rows.append(("total", *(format_duration(m) for m in sheet.day_totals), format_duration(sum(sheet.day_totals))))
    ctx.say(render_table(headers, rows, numeric=tuple(range(1, 9))))


def invoice(ctx: CommandContext) -> None:
    """``tally invoice CLIENT --from D --to D``."""
    client = client_store.find_client_by_name(ctx.conn, ctx.args.client)
    bill = build_invoice(ctx.conn, client.id, parse_date(ctx.args.start), parse_date(ctx.args.end), ctx.config)
    ctx.say(f"Invoice for {client.name}, {bill.start.isoformat()} to {bill.end.isoformat()}")
    ctx.say(f"rate {format_money(client.hourly_rate_cents, bill.currency)}/h, billed in {bill.rounding}-minute steps")
    rows = [
        (line.project_code, line.entries, format_hours(line.billed_minutes), format_money(line.amount_cents, bill.currency))
        for line in bill.lines
    ]
    if rows:
        rows.append(("total", "", format_hours(bill.total_minutes), format_money(bill.total_cents, bill.currency)))
    ctx.say(render_table(("project", "entries", "hours", "amount"), rows, numeric=(1, 2, 3)))


def export(ctx: CommandContext) -> None:
    """``tally export [--from D] [--to D] [--project C] [-o FILE]``."""
    project_id = project_store.find_project_by_code(ctx.conn, ctx.args.project).id if ctx.args.project else None
    entry_filter = entry_store.EntryFilter(
        project_id=project_id,
        start=parse_date(ctx.args.start) if ctx.args.start else None,
        end=parse_date(ctx.args.end) if ctx.args.end else None,
    )
    text = export_entries(ctx.conn, entry_filter)
    if ctx.args.output:
        Path(ctx.args.output).write_text(text, encoding="utf-8")
        ctx.say(f"wrote {text.count(chr(10)) - 1} entries to {ctx.args.output}")
    else:
        ctx.out.write(text)


def import_csv(ctx: CommandContext) -> None:
    """``tally import FILE``: all rows or none."""
    path = Path(ctx.args.file)
    if not path.is_file():
        raise ValueError(f"no file {path}")
    count = import_entries(ctx.conn, path.read_text(encoding="utf-8"))
    ctx.say(f"imported {count} entries from {path}")
