"""Handlers of ``/projects``."""

from __future__ import annotations

from tally.api.context import RequestContext
from tally.api.http import Response, json_response
from tally.db import projects as store
from tally.db.clients import get_client
from tally.db.connection import transaction
from tally.validation import Field, validate

CODE_PATTERN = r"[A-Za-z][A-Za-z0-9-]{1,15}"

PROJECT_FIELDS = (
    Field("code", "str", pattern=CODE_PATTERN, hint="must be 2-16 letters, digits or hyphens, starting with a letter"),
    Field("name", "str", minimum=1, maximum=120),
    Field("client_id", "int", required=False, minimum=1, nullable=True),
    Field("billable", "bool", required=False),
    Field("budget_minutes", "duration", required=False, minimum=1, nullable=True),
)
UPDATE_FIELDS = tuple(f for f in PROJECT_FIELDS if f.name != "code") + (Field("archived", "bool", required=False),)


def index(ctx: RequestContext) -> Response:
    """``GET /projects[?client_id=N][&archived=true]``: projects by code."""
    client_id = ctx.request.query_int("client_id", minimum=1)
    include_archived = ctx.request.query_bool("archived") or False
    items = store.list_projects(ctx.conn, client_id=client_id, include_archived=include_archived)
    return json_response({"items": [p.to_dict() for p in items]})


def create(ctx: RequestContext) -> Response:
    """``POST /projects``: adds a project; 409 if the code is taken, 404 for an unknown client."""
    data = validate(ctx.request.json(), PROJECT_FIELDS)
    with transaction(ctx.conn):
        if data.get("client_id") is not None:
            get_client(ctx.conn, data["client_id"])
        project = store.create_project(ctx.conn, **data)
    return json_response(project.to_dict(), status=201, headers={"Location": f"/projects/{project.id}"})


def show(ctx: RequestContext, project_id: int) -> Response:
    """``GET /projects/{id}``."""
    return json_response(store.get_project(ctx.conn, project_id).to_dict())


def update(ctx: RequestContext, project_id: int) -> Response:
    """``PATCH /projects/{id}``: renames, re-assigns, (un)archives or re-budgets a project."""
    changes = validate(ctx.request.json(), UPDATE_FIELDS, partial=True)
    with transaction(ctx.conn):
        if changes.get("client_id") is not None:
            get_client(ctx.conn, changes["client_id"])
        project = store.update_project(ctx.conn, project_id, **changes)
    return json_response(project.to_dict())
