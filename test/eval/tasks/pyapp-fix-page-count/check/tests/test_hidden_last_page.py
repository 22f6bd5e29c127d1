from contextlib import closing
from datetime import date

from tally.db.connection import open_database, transaction
from tally.db.entries import insert_entry


def add_entries(config, project, count):
    with closing(open_database(config.database)) as conn, transaction(conn):
        for i in range(count):
            insert_entry(conn, project, date(2024, 6, 1 + i % 30), 5 + i)


def test_a_partial_last_page_can_be_fetched(api, config, project):
    add_entries(config, project, 30)
    first = api.get("/entries").json
    assert (first["total"], first["pages"], len(first["items"])) == (30, 2, 25)
    last = api.get("/entries?page=2")
    assert last.status == 200, last
    assert len(last.json["items"]) == 5
    seen = {e["id"] for e in first["items"]} | {e["id"] for e in last.json["items"]}
    assert len(seen) == 30
    assert api.get("/entries?page=3").status == 404


def test_small_pages(api, config, project):
    add_entries(config, project, 26)
    listing = api.get("/entries?per_page=5&page=6").json
    assert listing["pages"] == 6 and len(listing["items"]) == 1
    assert api.get("/entries?per_page=5&page=7").status == 404


def test_page_counts_round_up(api, config, project):
    expected = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 3}
    for total, pages in expected.items():
        add_entries(config, project, 1)
        listing = api.get("/entries?per_page=3").json
        assert (listing["total"], listing["pages"]) == (total, pages)
        last = api.get(f"/entries?per_page=3&page={pages}")
        assert last.status == 200 and len(last.json["items"]) == total - 3 * (pages - 1)


def test_an_empty_list_has_one_page(api):
    listing = api.get("/entries").json
    assert (listing["total"], listing["pages"], listing["items"]) == (0, 1, [])
