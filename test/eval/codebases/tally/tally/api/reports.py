"""Handlers of ``/reports``, invoices and budgets."""

from __future__ import annotations

from tally.api.context import RequestContext
from tally.api.http import Response, json_response
from tally.errors import ValidationError
from tally.services.billing import build_invoice
from tally.services.reports import budget_status, summarize, weekly_timesheet


def _period(ctx: RequestContext):
    start = ctx.request.query_date("from")
    end = ctx.request.query_date("to")
    missing = {name: "is required" for name, value in (("from", start), ("to", end)) if value is None}
    if missing:
        raise ValidationError(missing)
    if end < start:
        raise ValidationError({"to": "must not be before from"})
    return start, end


def summary(ctx: RequestContext) -> Response:
    """``GET /reports/summary?from=..&to=..``: minutes per project."""
    start, end = _period(ctx)
    return json_response(summarize(ctx.conn, start, end).to_dict())


def week(ctx: RequestContext) -> Response:
    """``GET /reports/week[?day=..]``: the timesheet of the week containing ``day`` (default today)."""
    day = ctx.request.query_date("day", default=ctx.now().date())
    return json_response(weekly_timesheet(ctx.conn, day, ctx.config.week_start).to_dict())


def invoice(ctx: RequestContext, client_id: int) -> Response:
    """``GET /clients/{id}/invoice?from=..&to=..``: the client's billable time, priced."""
    start, end = _period(ctx)
    return json_response(build_invoice(ctx.conn, client_id, start, end, ctx.config).to_dict())


def budget(ctx: RequestContext, project_id: int) -> Response:
    """``GET /projects/{id}/budget``: budget use of a project."""
    return json_response(budget_status(ctx.conn, project_id).to_dict())
