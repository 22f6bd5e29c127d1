from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tally.config import Config
from tally.db.clients import get_client
from tally.db.entries import entries_between
from tally.db.projects import list_projects
from tally.models import Client


def round_minutes(minutes: int, increment: int) -> int:
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if increment <= 1:
        return minutes
    return -(-minutes // increment) * increment


def effective_rounding(configured: int, client: Client) -> int:
    return configured if configured else client.round_to_minutes


def amount_cents(minutes: int, hourly_rate_cents: int) -> int:
    exact = Decimal(hourly_rate_cents) * Decimal(minutes) / Decimal(60)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{currency} {sign}{units:,}.{rest:02d}"


def parse_money(text: str) -> int:
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError(f"cannot read {text!r} as an amount") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"amount {text!r} must be zero or more")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"amount {text!r} has more than two decimals")
    return int(value * 100)


@dataclass(frozen=True)
class InvoiceLine:
    project_code: str
    project_name: str
    entries: int
    minutes: int
    billed_minutes: int
    amount_cents: int


@dataclass(frozen=True)
class Invoice:
    client: Client
    start: date
    end: date
    currency: str
    rounding: int
    lines: list[InvoiceLine] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(line.billed_minutes for line in self.lines)

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def to_dict(self) -> dict:
        return {
            "client": self.client.to_dict(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "currency": self.currency,
            "rounding_minutes": self.rounding,
            "lines": [line.__dict__ for line in self.lines],
            "total_minutes": self.total_minutes,
            "total_cents": self.total_cents,
        }


def build_invoice(conn: sqlite3.Connection, client_id: int, start: date, end: date, config: Config) -> Invoice:
    if end < start:
        raise ValueError("the invoice period ends before it starts")
    client = get_client(conn, client_id)
    rounding = effective_rounding(config.round_to_minutes, client)
    projects = {p.id: p for p in list_projects(conn, client_id=client.id, include_archived=True) if p.billable}
    totals: dict[int, list[int]] = {}
    for entry in entries_between(conn, start, end, project_ids=list(projects)):
        if not entry.billable:
            continue
        count, raw, billed = totals.setdefault(entry.project_id, [0, 0, 0])
        totals[entry.project_id] = [count + 1, raw + entry.minutes, billed + round_minutes(entry.minutes, rounding)]
    lines = [
        InvoiceLine(
            project_code=projects[project_id].code,
            project_name=projects[project_id].name,
            entries=count,
            minutes=raw,
            billed_minutes=billed,
            amount_cents=amount_cents(billed, client.hourly_rate_cents),
        )
        for project_id, (count, raw, billed) in sorted(totals.items(), key=lambda item: projects[item[0]].code)
    ]
    return Invoice(client=client, start=start, end=end, currency=config.currency, rounding=rounding, lines=lines)
