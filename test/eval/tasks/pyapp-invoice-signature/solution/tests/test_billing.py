from datetime import date

import pytest

from tally.db.clients import create_client
from tally.db.entries import insert_entry
from tally.db.projects import create_project
from tally.services.billing import amount_cents, build_invoice, format_money, parse_money, round_minutes


@pytest.mark.parametrize("minutes, increment, expected", [(7, 15, 15), (15, 15, 15), (16, 15, 30), (0, 15, 0), (7, 0, 7), (7, 1, 7), (61, 6, 66)])
def test_round_minutes_rounds_up(minutes, increment, expected):
    assert round_minutes(minutes, increment) == expected


def test_amounts_and_money():
    assert amount_cents(90, 9000) == 13500
    assert amount_cents(1, 100) == 2  # 1.666... cents
    assert format_money(123450, "EUR") == "EUR 1,234.50"
    assert format_money(-300, "USD") == "USD -3.00"
    assert parse_money("92.5") == 9250
    assert parse_money("1,200") == 120000
    for bad in ("abc", "-1", "1.005"):
        with pytest.raises(ValueError):
            parse_money(bad)


def test_invoice_rounds_each_entry_and_skips_non_billable(conn, seeded):
    web = seeded["web"].id
    for day, minutes, billable in [(3, 7, True), (4, 50, True), (5, 60, False)]:
        insert_entry(conn, web, date(2024, 5, day), minutes, billable=billable)
    other = create_project(conn, "app", "Acme app", client_id=seeded["client"].id)
    insert_entry(conn, other.id, date(2024, 5, 6), 30)
    insert_entry(conn, seeded["admin"].id, date(2024, 5, 6), 30)
    insert_entry(conn, web, date(2024, 6, 1), 30)

    invoice = build_invoice(conn, seeded["client"].id, date(2024, 5, 1), date(2024, 5, 31))
    assert invoice.rounding == 15
    assert [(l.project_code, l.entries, l.minutes, l.billed_minutes) for l in invoice.lines] == [("app", 1, 30, 30), ("web", 2, 57, 75)]
    assert invoice.total_minutes == 105 and invoice.total_cents == 15750


def test_configured_rounding_wins_over_the_clients(conn):
    client = create_client(conn, "Globex", 6000, round_to_minutes=30)
    project = create_project(conn, "gx", "Globex", client_id=client.id)
    insert_entry(conn, project.id, date(2024, 5, 3), 7)
    assert build_invoice(conn, client.id, date(2024, 5, 1), date(2024, 5, 31)).total_minutes == 30
    configured = build_invoice(conn, client.id, date(2024, 5, 1), date(2024, 5, 31), round_to_minutes=6, currency="CHF")
    assert (configured.total_minutes, configured.currency) == (12, "CHF")
    with pytest.raises(ValueError):
        build_invoice(conn, client.id, date(2024, 5, 31), date(2024, 5, 1))
