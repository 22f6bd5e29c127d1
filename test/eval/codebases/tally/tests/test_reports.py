from datetime import date

from tally.db.entries import insert_entry
from tally.db.projects import update_project
from tally.services.reports import budget_status, summarize, weekly_timesheet


def test_summary_orders_projects_by_time(conn, seeded):
    web, admin = seeded["web"].id, seeded["admin"].id
    insert_entry(conn, web, date(2024, 5, 2), 60)
    insert_entry(conn, web, date(2024, 5, 3), 30, billable=False)
    insert_entry(conn, admin, date(2024, 5, 3), 120)
    insert_entry(conn, admin, date(2024, 6, 3), 500)
    summary = summarize(conn, date(2024, 5, 1), date(2024, 5, 31))
    assert [(p.code, p.client, p.minutes, p.billable_minutes) for p in summary.projects] == [
        ("admin", None, 120, 0),
        ("web", "Acme", 90, 60),
    ]
    assert (summary.minutes, summary.billable_minutes) == (210, 60)


def test_weekly_timesheet_starts_on_monday(conn, seeded):
    web = seeded["web"].id
    for day, minutes in [(12, 15), (13, 60), (15, 30), (19, 45), (20, 99)]:
        insert_entry(conn, web, date(2024, 5, day), minutes)
    sheet = weekly_timesheet(conn, date(2024, 5, 15))
    assert (sheet.start, sheet.end) == (date(2024, 5, 13), date(2024, 5, 19))
    assert sheet.rows[0].per_day == [60, 0, 30, 0, 0, 0, 45]
    assert sheet.day_totals[0] == 60 and sheet.rows[0].total == 135


def test_weekly_timesheet_can_start_on_sunday(conn, seeded):
    insert_entry(conn, seeded["web"].id, date(2024, 5, 12), 15)
    sheet = weekly_timesheet(conn, date(2024, 5, 18), week_start="sunday")
    assert (sheet.start, sheet.end) == (date(2024, 5, 12), date(2024, 5, 18))
    assert sheet.rows[0].per_day[0] == 15
    assert weekly_timesheet(conn, date(2024, 5, 12), week_start="sunday").start == date(2024, 5, 12)


def test_budget_status(conn, seeded):
    web = seeded["web"].id
    insert_entry(conn, web, date(2024, 5, 2), 90)
    assert budget_status(conn, web).percent_used is None
    update_project(conn, web, budget_minutes=60)
    status = budget_status(conn, web)
    assert (status.remaining_minutes, status.percent_used, status.over_budget) == (-30, 150.0, True)
