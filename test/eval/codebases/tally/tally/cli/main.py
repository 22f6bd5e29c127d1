"""The ``tally`` command: argument parsing and dispatch to ``tally.cli.commands``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from contextlib import closing
from dataclasses import replace
from typing import Mapping, Sequence, TextIO

from tally import __version__
from tally.cli import commands
from tally.config import load_config
from tally.db.connection import open_database
from tally.errors import TallyError, ValidationError


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one sub-parser per command."""
    parser = argparse.ArgumentParser(prog="tally", description="Time tracking for small teams.")
    parser.add_argument("--version", action="version", version=f"tally {__version__}")
    parser.add_argument("--config", metavar="FILE", help="config file (default: $TALLY_CONFIG or ./tally.toml)")
    parser.add_argument("--db", metavar="PATH", help="database file, overriding the configuration")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create or upgrade the database")
    sub.add_parser("config", help="print the effective configuration")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    client = sub.add_parser("client", help="manage clients").add_subparsers(dest="action", required=True, metavar="ACTION")
    client_add = client.add_parser("add", help="add a client")
    client_add.add_argument("name")
    client_add.add_argument("--rate", default="0", help="hourly rate, e.g. 85 or 92.50")
    client_add.add_argument("--round", type=int, dest="round_to", metavar="MINUTES", help="bill in steps of MINUTES")
    client_list = client.add_parser("list", help="list clients")
    client_list.add_argument("--all", action="store_true", help="include archived clients")

    project = sub.add_parser("project", help="manage projects").add_subparsers(dest="action", required=True, metavar="ACTION")
    project_add = project.add_parser("add", help="add a project")
    project_add.add_argument("code")
    project_add.add_argument("name")
    project_add.add_argument("--client", help="client name")
    project_add.add_argument("--budget", help="time budget, e.g. 40h")
    project_add.add_argument("--non-billable", action="store_true")
    project_list = project.add_parser("list", help="list projects")
    project_list.add_argument("--all", action="store_true", help="include archived projects")
    project_list.add_argument("--client", help="only this client's projects")
    project_archive = project.add_parser("archive", help="archive a project")
    project_archive.add_argument("code")

    log = sub.add_parser("log", help="log time on a project")
    log.add_argument("code", help="project code")
    log.add_argument("duration", help="e.g. 1h30m, 1:30 or 90")
    log.add_argument("--day", default="today", help="YYYY-MM-DD, today or yesterday (default: today)")
    log.add_argument("--note", default="")
    log.add_argument("--tags", default="", help="comma-separated tags")
    log.add_argument("--non-billable", action="store_true")

    entries = sub.add_parser("entries", help="list time entries")
    entries.add_argument("--project", help="project code")
    entries.add_argument("--from", dest="start")
    entries.add_argument("--to", dest="end")
    entries.add_argument("--tag")
    entries.add_argument("--limit", type=int, default=50)

    start = sub.add_parser("start", help="start a timer")
    start.add_argument("code")
    start.add_argument("--note", default="")
    stop = sub.add_parser("stop", help="stop a timer and log its time")
    stop.add_argument("code")
    sub.add_parser("timers", help="list running timers")

    report = sub.add_parser("report", help="time per project over a period")
    report.add_argument("--from", dest="start")
    report.add_argument("--to", dest="end")
    report.add_argument("--week", metavar="DAY", help="the week containing DAY instead of --from/--to")

    week = sub.add_parser("week", help="the timesheet of one week")
    week.add_argument("--day", default="today")

    invoice = sub.add_parser("invoice", help="a client's billable time, priced")
    invoice.add_argument("client", help="client name")
    invoice.add_argument("--from", dest="start", required=True)
    invoice.add_argument("--to", dest="end", required=True)

    export = sub.add_parser("export", help="write entries as CSV")
    export.add_argument("--from", dest="start")
    export.add_argument("--to", dest="end")
    export.add_argument("--project", help="project code")
    export.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    import_ = sub.add_parser("import", help="read entries from a CSV file")
    import_.add_argument("file")
    return parser


HANDLERS = {
    ("client", "add"): commands.client_add,
    ("client", "list"): commands.client_list,
    ("project", "add"): commands.project_add,
    ("project", "list"): commands.project_list,
    ("project", "archive"): commands.project_archive,
    ("init", None): commands.init,
    ("config", None): commands.show_config,
    ("log", None): commands.log_time,
    ("entries", None): commands.list_entries,
    ("start", None): commands.start,
    ("stop", None): commands.stop,
    ("timers", None): commands.timers,
    ("report", None): commands.report,
    ("week", None): commands.week,
    ("invoice", None): commands.invoice,
    ("export", None): commands.export,
    ("import", None): commands.import_csv,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, env: Mapping[str, str] | None = None) -> int:
    """Runs one command; returns the exit status (0 ok, 1 error, 2 usage error)."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config, os.environ if env is None else env)
        if args.db:
            config = replace(config, database=args.db)
        if args.command == "serve":
            from tally.api.server import serve

            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
            serve(config, host=args.host, port=args.port)
            return 0
        handler = HANDLERS[(args.command, getattr(args, "action", None))]
        with closing(open_database(config.database)) as conn:
            handler(commands.CommandContext(args=args, conn=conn, config=config, out=out))
        return 0
    except ValidationError as error:
        for field, message in sorted(error.errors.items()):
            print(f"error: {field}: {message}", file=sys.stderr)
        return 1
    except (TallyError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
