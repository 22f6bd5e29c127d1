"""Handlers of ``/clients``."""

from __future__ import annotations

from tally.api.context import RequestContext
from tally.api.http import Response, json_response
from tally.db import clients as store
from tally.db.connection import transaction
from tally.validation import Field, validate

CLIENT_FIELDS = (
    Field("name", "str", minimum=1, maximum=80),
    Field("hourly_rate_cents", "int", minimum=0, maximum=10_000_000),
    Field("round_to_minutes", "int", required=False, minimum=0, maximum=60),
    Field("archived", "bool", required=False),
)


def index(ctx: RequestContext) -> Response:
    """``GET /clients[?archived=true]``: every active client (or every client), by name."""
    include_archived = ctx.request.query_bool("archived") or False
    return json_response({"items": [c.to_dict() for c in store.list_clients(ctx.conn, include_archived)]})


def create(ctx: RequestContext) -> Response:
    """``POST /clients``: adds a client; 409 if the name is taken."""
    data = validate(ctx.request.json(), CLIENT_FIELDS)
    data.pop("archived", None)
    with transaction(ctx.conn):
        client = store.create_client(ctx.conn, **data)
    return json_response(client.to_dict(), status=201, headers={"Location": f"/clients/{client.id}"})


def show(ctx: RequestContext, client_id: int) -> Response:
    """``GET /clients/{id}``."""
    return json_response(store.get_client(ctx.conn, client_id).to_dict())


def update(ctx: RequestContext, client_id: int) -> Response:
    """``PATCH /clients/{id}``: changes any of the client's fields."""
    changes = validate(ctx.request.json(), CLIENT_FIELDS, partial=True)
    with transaction(ctx.conn):
        client = store.update_client(ctx.conn, client_id, **changes)
    return json_response(client.to_dict())
