from datetime import date, datetime, timedelta, timezone

import pytest

from tally.timeutil import (
    days,
    elapsed_minutes,
    format_duration,
    format_hours,
    format_instant,
    parse_date,
    parse_duration,
    parse_instant,
)


@pytest.mark.parametrize(
    "text, minutes",
    [("90", 90), ("1:30", 90), ("1h30m", 90), ("1h 30m", 90), ("1.5h", 90), ("45m", 45), ("2H", 120), (" 0:05 ", 5)],
)
def test_parse_duration_accepts_common_forms(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "0", "0m", "abc", "1:75", "30m1h", "1h1h", "h", "1x", "-5"])
def test_parse_duration_rejects_the_rest(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_duration_and_hours():
    assert format_duration(90) == "1:30"
    assert format_duration(5) == "0:05"
    assert format_duration(-61) == "-1:01"
    assert format_hours(90) == "1.50"
    assert format_hours(20) == "0.33"


def test_parse_date_understands_relative_words():
    today = date(2024, 3, 1)
    assert parse_date("today", today) == today
    assert parse_date("Yesterday", today) == date(2024, 2, 29)
    assert parse_date("2024-05-03") == date(2024, 5, 3)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("03/05/2024")


def test_days_includes_both_ends():
    assert list(days(date(2024, 1, 30), date(2024, 2, 1))) == [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1)]
    assert list(days(date(2024, 1, 2), date(2024, 1, 1))) == []


def test_instants_round_trip_in_utc():
    value = datetime(2024, 5, 15, 11, 30, 5, 999, tzinfo=timezone(timedelta(hours=2)))
    assert format_instant(value) == "2024-05-15T09:30:05Z"
    assert parse_instant("2024-05-15T09:30:05Z") == datetime(2024, 5, 15, 9, 30, 5, tzinfo=timezone.utc)
    assert parse_instant("2024-05-15T09:30:05").tzinfo is timezone.utc


def test_elapsed_minutes_rounds_and_is_at_least_one():
    start = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)
    assert elapsed_minutes(start, start + timedelta(seconds=20)) == 1
    assert elapsed_minutes(start, start + timedelta(minutes=44, seconds=31)) == 45
    with pytest.raises(ValueError):
        elapsed_minutes(start, start - timedelta(minutes=1))
