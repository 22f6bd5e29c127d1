from datetime import timedelta

import pytest

from tally.db.projects import update_project
from tally.errors import ConflictError, NotFoundError
from tally.services.timers import discard_timer, running_timers, start_timer, stop_running_timer

from conftest import FIXED_NOW


def test_a_stopped_timer_becomes_an_entry(conn, seeded):
    web = seeded["web"].id
    start_timer(conn, web, "bugfix", now=FIXED_NOW)
    assert [r.minutes for r in running_timers(conn, FIXED_NOW + timedelta(minutes=10))] == [10]
    stopped = stop_running_timer(conn, web, limit_hours=12, now=FIXED_NOW + timedelta(minutes=95))
    assert (stopped.entry.minutes, stopped.entry.note, stopped.entry.day, stopped.capped) == (95, "bugfix", FIXED_NOW.date(), False)
    assert running_timers(conn) == []


def test_timers_take_the_projects_billable_setting(conn, seeded):
    start_timer(conn, seeded["admin"].id, now=FIXED_NOW)
    assert stop_running_timer(conn, seeded["admin"].id, 12, now=FIXED_NOW + timedelta(hours=1)).entry.billable is False


def test_a_forgotten_timer_is_capped(conn, seeded):
    start_timer(conn, seeded["web"].id, now=FIXED_NOW)
    stopped = stop_running_timer(conn, seeded["web"].id, limit_hours=8, now=FIXED_NOW + timedelta(days=2))
    assert stopped.capped and stopped.entry.minutes == 8 * 60


def test_one_timer_per_project(conn, seeded):
    start_timer(conn, seeded["web"].id, now=FIXED_NOW)
    with pytest.raises(ConflictError):
        start_timer(conn, seeded["web"].id, now=FIXED_NOW)
    start_timer(conn, seeded["admin"].id, now=FIXED_NOW)
    discard_timer(conn, seeded["web"].id)
    assert [r.timer.project_id for r in running_timers(conn, FIXED_NOW)] == [seeded["admin"].id]
    with pytest.raises(NotFoundError):
        stop_running_timer(conn, seeded["web"].id, 12)


def test_no_timers_on_archived_projects(conn, seeded):
    update_project(conn, seeded["web"].id, archived=True)
    with pytest.raises(ConflictError, match="archived"):
        start_timer(conn, seeded["web"].id)


def test_timers_over_http(api, project):
    assert api.post("/timers/start", {"project_id": project, "note": "call"}).status == 201
    assert api.post("/timers/start", {"project_id": project}).status == 409
    assert api.get("/timers").json["items"][0]["note"] == "call"
    stopped = api.post("/timers/stop", {"project_id": project})
    assert stopped.status == 201 and stopped.json["entry"]["minutes"] == 1
    assert api.post("/timers/stop", {"project_id": project}).status == 404
    api.post("/timers/start", {"project_id": project})
    assert api.delete(f"/timers/{project}").status == 204
    assert api.get("/timers").json["items"] == []
