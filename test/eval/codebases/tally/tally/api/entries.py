"""Handlers of ``/entries``."""

from __future__ import annotations

from tally.api.context import RequestContext
from tally.api.http import Response, json_response
from tally.api.pagination import page_envelope, page_params
from tally.db import entries as store
from tally.db.connection import transaction
from tally.db.projects import get_project
from tally.errors import ConflictError, ValidationError
from tally.validation import Field, validate

MAX_ENTRY_MINUTES = 24 * 60

ENTRY_FIELDS = (
    Field("project_id", "int", minimum=1),
    Field("day", "date"),
    Field("minutes", "duration", minimum=1, maximum=MAX_ENTRY_MINUTES),
    Field("note", "str", required=False, maximum=500),
    Field("billable", "bool", required=False),
    Field("tags", "tags", required=False),
)


def _filter(ctx: RequestContext) -> store.EntryFilter:
    request = ctx.request
    start = request.query_date("from")
    end = request.query_date("to")
    if start and end and end < start:
        raise ValidationError({"to": "must not be before from"})
    return store.EntryFilter(
        project_id=request.query_int("project_id", minimum=1),
        start=start,
        end=end,
        billable=request.query_bool("billable"),
        tag=request.query.get("tag") or None,
    )


def index(ctx: RequestContext) -> Response:
    """``GET /entries``: newest first, paged; filters ``project_id``, ``from``, ``to``, ``billable``, ``tag``."""
    entry_filter = _filter(ctx)
    page = page_params(ctx.request, ctx.config)
    total = store.count_entries(ctx.conn, entry_filter)
    items = store.list_entries(ctx.conn, entry_filter, limit=page.limit, offset=page.offset)
    return json_response(page_envelope(items, total, page))


def create(ctx: RequestContext) -> Response:
    """``POST /entries``: logs time. ``billable`` defaults to the project's setting."""
    data = validate(ctx.request.json(), ENTRY_FIELDS)
    with transaction(ctx.conn):
        project = get_project(ctx.conn, data["project_id"])
        if project.archived:
            raise ConflictError(f"project {project.code} is archived")
        data.setdefault("billable", project.billable)
        entry = store.insert_entry(ctx.conn, **data)
    return json_response(entry.to_dict(), status=201, headers={"Location": f"/entries/{entry.id}"})


def show(ctx: RequestContext, entry_id: int) -> Response:
    """``GET /entries/{id}``."""
    return json_response(store.get_entry(ctx.conn, entry_id).to_dict())


def update(ctx: RequestContext, entry_id: int) -> Response:
    """``PATCH /entries/{id}``: corrects any field of an entry."""
    changes = validate(ctx.request.json(), ENTRY_FIELDS, partial=True)
    with transaction(ctx.conn):
        if "project_id" in changes:
            get_project(ctx.conn, changes["project_id"])
        entry = store.update_entry(ctx.conn, entry_id, **changes)
    return json_response(entry.to_dict())


def remove(ctx: RequestContext, entry_id: int) -> Response:
    """``DELETE /entries/{id}``."""
    with transaction(ctx.conn):
        store.delete_entry(ctx.conn, entry_id)
    return json_response(None, status=204)
