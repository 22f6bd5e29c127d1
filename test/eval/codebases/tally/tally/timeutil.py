"""Parsing and formatting of durations, dates and instants.

Durations are whole minutes everywhere in Tally. Days are ``datetime.date`` values stored as ISO
text (``2024-05-03``); instants are timezone-aware UTC ``datetime`` values.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

_UNITS = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>h|m)", re.IGNORECASE)
_CLOCK = re.compile(r"^(?P<hours>\d+):(?P<minutes>[0-5]\d)$")


def parse_duration(text: str) -> int:
    """Returns the number of minutes in ``text``.

    Accepted forms: ``90`` (minutes), ``1:30``, ``1h30m``, ``1h 30m``, ``1.5h``, ``45m``.
    Raises ``ValueError`` for anything else, and for durations that round to zero minutes.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        raise ValueError("empty duration")
    if cleaned.isdigit():
        minutes = int(cleaned)
    elif match := _CLOCK.match(cleaned):
        minutes = int(match["hours"]) * 60 + int(match["minutes"])
    else:
        minutes = _parse_units(cleaned)
    if minutes <= 0:
        raise ValueError(f"duration {text!r} is zero")
    return minutes


def _parse_units(cleaned: str) -> int:
    position = 0
    total = 0.0
    seen: set[str] = set()
    for match in _UNITS.finditer(cleaned):
        if cleaned[position:match.start()].strip():
            break
        unit = match["unit"]
        if unit in seen or (unit == "h" and "m" in seen):
            raise ValueError(f"duration {cleaned!r} repeats or misorders its units")
        seen.add(unit)
        value = float(match["value"])
        total += value * 60 if unit == "h" else value
        position = match.end()
    if not seen or cleaned[position:].strip():
        raise ValueError(f"cannot read {cleaned!r} as a duration (try 1h30m, 1:30 or 90)")
    return round(total)


def format_duration(minutes: int) -> str:
    """Formats minutes as ``H:MM`` (``90`` -> ``1:30``); negative values get a leading minus."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def format_hours(minutes: int) -> str:
    """Formats minutes as decimal hours with two places (``90`` -> ``1.50``), for invoices."""
    return f"{minutes / 60:.2f}"


def parse_date(text: str, today: date | None = None) -> date:
    """Reads ``YYYY-MM-DD``, ``today`` or ``yesterday`` (relative to ``today``, default: now)."""
    cleaned = text.strip().lower()
    today = today or date.today()
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a date (use YYYY-MM-DD)") from None


def days(start: date, end: date) -> Iterator[date]:
    """Yields every day from ``start`` to ``end``, both included."""
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def utc_now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def parse_instant(text: str) -> datetime:
    """Reads an ISO 8601 instant; one without a zone is taken to be UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def format_instant(value: datetime) -> str:
    """Formats an instant as ISO 8601 in UTC with a ``Z`` suffix, to the second."""
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes from ``start`` to ``end``, rounded to the nearest minute, at least 1."""
    seconds = (end - start).total_seconds()
    if seconds < 0:
        raise ValueError("end is before start")
    return max(1, round(seconds / 60))
