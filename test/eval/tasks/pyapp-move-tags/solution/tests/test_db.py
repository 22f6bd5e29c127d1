from datetime import date

import pytest

from tally.db.clients import create_client, find_client_by_name, get_client, list_clients, update_client
from tally.db.connection import transaction
from tally.db.entries import (
    EntryFilter,
    count_entries,
    delete_entry,
    entries_between,
    get_entry,
    insert_entry,
    list_entries,
    update_entry,
)
from tally.db.projects import create_project, find_project_by_code, list_projects, minutes_logged, update_project
from tally.db.schema import MIGRATIONS, migrate, schema_version
from tally.errors import ConflictError, NotFoundError
from tally.tags import format_tags, parse_tags


def test_migrations_run_once(conn):
    assert schema_version(conn) == len(MIGRATIONS)
    assert migrate(conn) == 0


def test_a_newer_database_is_refused(conn):
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="upgrade Tally"):
        migrate(conn)


def test_transaction_rolls_back_on_error(conn):
    with pytest.raises(ZeroDivisionError):
        with transaction(conn):
            create_client(conn, "Gone")
            1 / 0
    assert list_clients(conn) == []


def test_clients(conn):
    acme = create_client(conn, "Acme", 9000)
    assert acme.round_to_minutes == 15
    assert create_client(conn, "Globex", 12000, round_to_minutes=6).round_to_minutes == 6
    with pytest.raises(ConflictError):
        create_client(conn, "ACME")
    assert find_client_by_name(conn, "acme").id == acme.id
    update_client(conn, acme.id, archived=True)
    assert [c.name for c in list_clients(conn)] == ["Globex"]
    assert [c.name for c in list_clients(conn, include_archived=True)] == ["Acme", "Globex"]
    with pytest.raises(NotFoundError):
        get_client(conn, 99)
    with pytest.raises(TypeError):
        update_client(conn, acme.id, id=5)


def test_projects(conn, seeded):
    assert [p.code for p in list_projects(conn)] == ["admin", "web"]
    assert [p.code for p in list_projects(conn, client_id=seeded["client"].id)] == ["web"]
    assert find_project_by_code(conn, "WEB").id == seeded["web"].id
    with pytest.raises(ConflictError):
        create_project(conn, "Web", "Another")
    with pytest.raises(NotFoundError):
        create_project(conn, "new", "New", client_id=42)
    archived = update_project(conn, seeded["admin"].id, archived=True, budget_minutes=600)
    assert archived.archived and archived.budget_minutes == 600
    assert [p.code for p in list_projects(conn)] == ["web"]


def test_tags_are_stored_between_commas():
    assert format_tags(["Ops", " api ", "ops", ""]) == ",api,ops,"
    assert format_tags([]) == ""
    assert parse_tags(",api,ops,") == ("api", "ops")
    assert parse_tags("Ops, api,,") == ("api", "ops")


def test_entries_crud(conn, seeded):
    entry = insert_entry(conn, seeded["web"].id, date(2024, 5, 3), 90, note="design", tags=["ux"])
    assert get_entry(conn, entry.id) == entry
    assert entry.tags == ("ux",) and entry.billable
    changed = update_entry(conn, entry.id, minutes=60, tags=["ux", "review"], billable=False, day=date(2024, 5, 4))
    assert (changed.minutes, changed.tags, changed.billable, changed.day) == (60, ("review", "ux"), False, date(2024, 5, 4))
    assert minutes_logged(conn, seeded["web"].id) == 60
    delete_entry(conn, entry.id)
    with pytest.raises(NotFoundError):
        delete_entry(conn, entry.id)
    with pytest.raises(NotFoundError):
        insert_entry(conn, 999, date(2024, 5, 3), 10)


@pytest.fixture
def month(conn, seeded):
    web, admin = seeded["web"].id, seeded["admin"].id
    for day, project, minutes, tags, billable in [
        (date(2024, 4, 30), web, 60, ["ops"], True),
        (date(2024, 5, 1), web, 30, ["devops"], True),
        (date(2024, 5, 15), admin, 45, [], False),
        (date(2024, 5, 31), web, 120, ["ops", "api"], True),
        (date(2024, 6, 1), web, 15, [], True),
    ]:
        insert_entry(conn, project, day, minutes, billable=billable, tags=tags)
    return seeded


def test_list_entries_date_range_is_inclusive(conn, month):
    may = EntryFilter(start=date(2024, 5, 1), end=date(2024, 5, 31))
    assert [e.day.isoformat() for e in list_entries(conn, may)] == ["2024-05-31", "2024-05-15", "2024-05-01"]
    assert count_entries(conn, may) == 3


def test_list_entries_filters_combine(conn, month):
    web = month["web"].id
    assert count_entries(conn, EntryFilter(project_id=web)) == 4
    assert count_entries(conn, EntryFilter(billable=False)) == 1
    assert [e.minutes for e in list_entries(conn, EntryFilter(tag="ops"))] == [120, 60]
    assert count_entries(conn, EntryFilter(project_id=web, start=date(2024, 5, 1), tag="api")) == 1


def test_list_entries_pages_newest_first(conn, month):
    assert [e.minutes for e in list_entries(conn, limit=2)] == [15, 120]
    assert [e.minutes for e in list_entries(conn, limit=2, offset=2)] == [45, 30]


def test_entries_between_oldest_first(conn, month):
    between = entries_between(conn, date(2024, 5, 1), date(2024, 6, 1))
    assert [e.minutes for e in between] == [30, 45, 120, 15]
    assert [e.minutes for e in entries_between(conn, date(2024, 5, 1), date(2024, 6, 1), [month["admin"].id])] == [45]
    assert entries_between(conn, date(2024, 5, 1), date(2024, 6, 1), []) == []
