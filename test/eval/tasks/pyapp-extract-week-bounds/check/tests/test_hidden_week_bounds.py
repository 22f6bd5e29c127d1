from datetime import date, timedelta

import pytest

from tally.timeutil import week_bounds


@pytest.mark.parametrize(
    "day, week_start, first, last",
    [
        (date(2024, 5, 15), "monday", date(2024, 5, 13), date(2024, 5, 19)),
        (date(2024, 5, 13), "monday", date(2024, 5, 13), date(2024, 5, 19)),
        (date(2024, 5, 19), "monday", date(2024, 5, 13), date(2024, 5, 19)),
        (date(2024, 5, 15), "sunday", date(2024, 5, 12), date(2024, 5, 18)),
        (date(2024, 5, 12), "sunday", date(2024, 5, 12), date(2024, 5, 18)),
        (date(2024, 5, 18), "sunday", date(2024, 5, 12), date(2024, 5, 18)),
        (date(2024, 12, 31), "monday", date(2024, 12, 30), date(2025, 1, 5)),
    ],
)
def test_week_bounds(day, week_start, first, last):
    assert tuple(week_bounds(day, week_start)) == (first, last)


def test_every_day_of_a_year_lies_in_its_week():
    day = date(2023, 1, 1)
    while day.year == 2023:
        for week_start, weekday in (("monday", 0), ("sunday", 6)):
            first, last = week_bounds(day, week_start)
            assert first <= day <= last and last - first == timedelta(days=6) and first.weekday() == weekday
        day += timedelta(days=1)
