from datetime import date

from tally.db.entries import EntryFilter, count_entries, insert_entry, list_entries


def test_the_last_day_of_a_range_is_included(conn, seeded):
    web = seeded["web"].id
    for day in (date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)):
        insert_entry(conn, web, day, 30)
    feb = EntryFilter(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert [e.day for e in list_entries(conn, feb)] == [date(2024, 2, 29), date(2024, 2, 28)]
    assert count_entries(conn, feb) == 2
    assert count_entries(conn, EntryFilter(end=date(2024, 2, 28))) == 1
    assert count_entries(conn, EntryFilter(start=date(2024, 3, 1), end=date(2024, 3, 1))) == 1


def test_a_one_day_range_over_http(api, project):
    for day in ("2024-07-01", "2024-07-02", "2024-07-02", "2024-07-03"):
        api.post("/entries", {"project_id": project, "day": day, "minutes": 20})
    result = api.get("/entries?from=2024-07-02&to=2024-07-02").json
    assert result["total"] == 2 and {e["day"] for e in result["items"]} == {"2024-07-02"}
    assert api.get("/entries?to=2024-07-03").json["total"] == 4
