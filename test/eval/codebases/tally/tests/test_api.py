from contextlib import closing
from dataclasses import replace
from datetime import date

from tally.api.app import App
from tally.db.connection import open_database, transaction
from tally.db.entries import insert_entry

from conftest import ApiClient, FIXED_NOW


def test_health_reports_version_and_schema(api):
    result = api.get("/health")
    assert result.status == 200
    assert result.json["status"] == "ok" and result.json["schema"] >= 3


def test_clients_create_list_update(api):
    created = api.post("/clients", {"name": "Acme", "hourly_rate_cents": 9000})
    assert created.status == 201 and created.headers["Location"] == f"/clients/{created.json['id']}"
    assert created.json["round_to_minutes"] == 15
    assert api.post("/clients", {"name": "acme", "hourly_rate_cents": 1}).status == 409
    updated = api.patch(f"/clients/{created.json['id']}", {"hourly_rate_cents": 9500})
    assert updated.json["hourly_rate_cents"] == 9500
    assert [c["name"] for c in api.get("/clients").json["items"]] == ["Acme"]
    assert api.get("/clients/99").status == 404


def test_projects_validate_codes_and_clients(api, project):
    bad = api.post("/projects", {"code": "1x", "name": "", "client_id": 0})
    assert bad.status == 400
    assert set(bad.json["fields"]) == {"code", "name", "client_id"}
    assert api.post("/projects", {"code": "new", "name": "New", "client_id": 77}).status == 404
    assert api.post("/projects", {"code": "WEB", "name": "Dup"}).status == 409
    budget = api.post("/projects", {"code": "ops", "name": "Ops", "budget_minutes": "40h"})
    assert budget.json["budget_minutes"] == 2400
    archived = api.patch(f"/projects/{budget.json['id']}", {"archived": True})
    assert archived.json["archived"] is True
    assert [p["code"] for p in api.get("/projects").json["items"]] == ["web"]
    assert [p["code"] for p in api.get("/projects?archived=true").json["items"]] == ["ops", "web"]


def test_entries_crud(api, project):
    created = api.post("/entries", {"project_id": project, "day": "2024-05-03", "minutes": "1h30m", "note": "kickoff", "tags": ["Meeting"]})
    assert created.status == 201
    entry = created.json
    assert (entry["minutes"], entry["billable"], entry["tags"]) == (90, True, ["meeting"])
    assert api.get(f"/entries/{entry['id']}").json == entry
    assert api.patch(f"/entries/{entry['id']}", {"minutes": 60}).json["minutes"] == 60
    assert api.delete(f"/entries/{entry['id']}").status == 204
    assert api.get(f"/entries/{entry['id']}").status == 404


def test_entries_are_validated(api, project):
    result = api.post("/entries", {"project_id": project, "day": "May 3rd", "minutes": "25h", "colour": "red"})
    assert result.status == 400
    assert set(result.json["fields"]) == {"day", "minutes", "colour"}
    assert api.post("/entries", {"project_id": 99, "day": "2024-05-03", "minutes": 10}).status == 404


def test_entries_on_archived_projects_are_refused(api, project):
    api.patch(f"/projects/{project}", {"archived": True})
    assert api.post("/entries", {"project_id": project, "day": "2024-05-03", "minutes": 10}).status == 409


def test_entries_list_filters_and_pages(api, config, project):
    with closing(open_database(config.database)) as conn, transaction(conn):
        for i in range(50):
            insert_entry(conn, project, date(2024, 5, 1 + i % 28), 10 + i)
    first = api.get("/entries").json
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (50, 2, 1, 25)
    second = api.get("/entries?page=2").json
    assert len(second["items"]) == 25
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert api.get("/entries?page=3").status == 404
    assert api.get("/entries?per_page=1000").json["per_page"] == 200
    may_first = api.get("/entries?from=2024-05-01&to=2024-05-01").json
    assert may_first["total"] == 2
    assert api.get("/entries?page=0").status == 400
    assert api.get("/entries?from=2024-05-02&to=2024-05-01").status == 400


def test_request_errors(api, project):
    assert api.request("PUT", "/entries").status == 405
    assert api.request("PUT", "/entries").headers["Allow"] == "GET, POST"
    assert api.get("/nowhere").status == 404
    assert api.post("/clients", raw=b"{not json").status == 400
    assert api.post("/clients").status == 400
    huge = api.post("/clients", {"name": "x" * 70_000, "hourly_rate_cents": 1})
    assert huge.status == 413


def test_a_configured_token_is_required(config):
    secured = ApiClient(App(replace(config, api_token="s3cret-token-0123"), clock=lambda: FIXED_NOW))
    assert secured.get("/clients").status == 401
    assert secured.get("/clients", headers={"Authorization": "Bearer wrong"}).status == 401
    assert secured.get("/clients", headers={"Authorization": "Bearer s3cret-token-0123"}).status == 200
    assert secured.get("/health").status == 200


def test_reports_over_http(api, project):
    for day, minutes in [("2024-05-13", 60), ("2024-05-15", 30), ("2024-05-20", 45)]:
        api.post("/entries", {"project_id": project, "day": day, "minutes": minutes})
    summary = api.get("/reports/summary?from=2024-05-01&to=2024-05-31").json
    assert summary["minutes"] == 135 and summary["projects"][0]["client"] == "Acme"
    assert api.get("/reports/summary?from=2024-05-01").status == 400
    week = api.get("/reports/week").json
    assert week["start"] == "2024-05-13" and week["rows"] == [{"code": "web", "per_day": [60, 0, 30, 0, 0, 0, 0], "total": 90}]
    invoice = api.get("/clients/1/invoice?from=2024-05-01&to=2024-05-31").json
    assert invoice["total_minutes"] == 135 and invoice["total_cents"] == 20250
    api.patch(f"/projects/{project}", {"budget_minutes": 120})
    assert api.get(f"/projects/{project}/budget").json["over_budget"] is True
