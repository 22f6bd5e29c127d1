"""Handlers of ``/timers``."""

from __future__ import annotations

from tally.api.context import RequestContext
from tally.api.http import Response, json_response
from tally.services.timers import discard_timer, running_timers, start_timer, stop_running_timer
from tally.validation import Field, validate

START_FIELDS = (Field("project_id", "int", minimum=1), Field("note", "str", required=False, maximum=500))
STOP_FIELDS = (Field("project_id", "int", minimum=1),)


def index(ctx: RequestContext) -> Response:
    """``GET /timers``: running timers with the minutes so far."""
    items = [{**r.timer.to_dict(), "minutes": r.minutes} for r in running_timers(ctx.conn, ctx.now())]
    return json_response({"items": items})


def start(ctx: RequestContext) -> Response:
    """``POST /timers/start``: 409 if the project already has a running timer."""
    data = validate(ctx.request.json(), START_FIELDS)
    timer = start_timer(ctx.conn, data["project_id"], data.get("note", ""), now=ctx.now())
    return json_response(timer.to_dict(), status=201)


def stop(ctx: RequestContext) -> Response:
    """``POST /timers/stop``: logs the elapsed time as an entry and returns it."""
    data = validate(ctx.request.json(), STOP_FIELDS)
    stopped = stop_running_timer(ctx.conn, data["project_id"], ctx.config.timer_limit_hours, now=ctx.now())
    return json_response({"entry": stopped.entry.to_dict(), "capped": stopped.capped}, status=201)


def discard(ctx: RequestContext, project_id: int) -> Response:
    """``DELETE /timers/{project_id}``: drops a running timer without logging time."""
    discard_timer(ctx.conn, project_id)
    return json_response(None, status=204)
