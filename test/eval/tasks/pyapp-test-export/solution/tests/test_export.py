from datetime import date

import pytest

from tally.db.clients import create_client
from tally.db.connection import open_database
from tally.db.entries import EntryFilter, count_entries, insert_entry, list_entries
from tally.db.projects import create_project
from tally.errors import ValidationError
from tally.services.export import export_entries, import_entries, read_entries_csv


def fields(entries, codes):
    return sorted((codes[e.project_id], e.day, e.minutes, e.note, e.billable, e.tags) for e in entries)


@pytest.fixture
def target():
    """A second database with the same projects (different ids) to import into."""
    conn = open_database(":memory:")
    create_project(conn, "admin", "Internal admin", billable=False)
    client = create_client(conn, "Acme")
    create_project(conn, "web", "Acme website", client_id=client.id)
    yield conn
    conn.close()


def test_export_then_import_gives_back_the_same_entries(conn, seeded, target):
    web, admin = seeded["web"].id, seeded["admin"].id
    insert_entry(conn, web, date(2024, 5, 3), 90, note="design, round 2", tags=["ux", "review"])
    insert_entry(conn, web, date(2024, 5, 4), 15, note='said "no"', billable=False)
    insert_entry(conn, admin, date(2024, 5, 2), 30, billable=False, tags=["ops"])
    text = export_entries(conn)
    assert text.splitlines()[0] == "date,project,minutes,note,billable,tags"
    assert len(text.splitlines()) == 4
    assert import_entries(target, text) == 3
    source_codes = {seeded["web"].id: "web", seeded["admin"].id: "admin"}
    target_codes = {1: "admin", 2: "web"}
    assert fields(list_entries(target), target_codes) == fields(list_entries(conn), source_codes)


def test_export_follows_the_filter_oldest_first(conn, seeded):
    for day in (5, 3, 4):
        insert_entry(conn, seeded["web"].id, date(2024, 5, day), day)
    insert_entry(conn, seeded["admin"].id, date(2024, 5, 3), 60)
    lines = export_entries(conn, EntryFilter(project_id=seeded["web"].id, start=date(2024, 5, 4))).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["2024-05-04", "2024-05-05"]


def test_import_reads_durations_case_and_default_billable(target):
    text = "Date,Project,Minutes\n2024-05-03,WEB,1h30m\n2024-05-04,admin,0:45\n"
    assert import_entries(target, text) == 2
    entries = {e.minutes: e for e in list_entries(target)}
    assert set(entries) == {90, 45}
    assert entries[90].billable is True and entries[45].billable is False


@pytest.mark.parametrize(
    "bad_row, problem",
    [("2024-05-04,nope,30,,yes,", "nope"), ("2024-05-04,web,soon,,yes,", "soon"), ("04/05/2024,web,30,,yes,", "date"), ("2024-05-04,web,30,,maybe,", "billable")],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(target, bad_row, problem):
    text = "date,project,minutes,note,billable,tags\n2024-05-03,web,60,fine,yes,\n" + bad_row + "\n2024-05-05,web,60,,no,\n"
    with pytest.raises(ValidationError) as caught:
        import_entries(target, text)
    assert list(caught.value.errors) == ["line 3"]
    assert problem in caught.value.errors["line 3"]
    assert count_entries(target) == 0


def test_a_missing_column_is_a_header_error():
    with pytest.raises(ValidationError) as caught:
        read_entries_csv("date,minutes\n2024-05-03,30\n")
    assert caught.value.errors == {"header": "missing column(s): project"}
