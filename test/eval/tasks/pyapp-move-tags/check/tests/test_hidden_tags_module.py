from datetime import date

from tally import tags
from tally.db.entries import EntryFilter, insert_entry, list_entries


def test_tags_module():
    assert tags.format_tags(["Ops", " api ", "ops", ""]) == ",api,ops,"
    assert tags.format_tags([]) == ""
    assert tags.parse_tags(",api,ops,") == ("api", "ops")
    assert tags.parse_tags(" UX, ux,design ") == ("design", "ux")


def test_entries_still_store_and_filter_tags(conn, seeded):
    insert_entry(conn, seeded["web"].id, date(2024, 5, 3), 30, tags=["Ops", "api"])
    insert_entry(conn, seeded["web"].id, date(2024, 5, 4), 30, tags=["devops"])
    assert [e.tags for e in list_entries(conn, EntryFilter(tag="ops"))] == [("api", "ops")]
