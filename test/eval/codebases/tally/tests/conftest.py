"""Shared fixtures: a migrated in-memory database, a config on a temp file, and an API client."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from tally.api.app import App
from tally.config import Config
from tally.db.clients import create_client
from tally.db.connection import open_database
from tally.db.projects import create_project

FIXED_NOW = datetime(2024, 5, 15, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def conn():
    connection = open_database(":memory:")
    yield connection
    connection.close()


@pytest.fixture
def seeded(conn):
    """A client (Acme, 90.00/h, 15-minute rounding) with a billable and an internal project."""
    acme = create_client(conn, "Acme", hourly_rate_cents=9000)
    web = create_project(conn, "web", "Acme website", client_id=acme.id)
    internal = create_project(conn, "admin", "Internal admin", billable=False)
    return {"client": acme, "web": web, "admin": internal}


@pytest.fixture
def config(tmp_path):
    return Config(database=str(tmp_path / "tally.db"), log_requests=False)


class ApiClient:
    """Calls the WSGI app in-process, the way a server would."""

    def __init__(self, app: App):
        self.app = app

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None):
        path, _, query = path.partition("?")
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": str(len(data)),
            "CONTENT_TYPE": "application/json" if data else "",
            "wsgi.input": io.BytesIO(data),
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        setup_testing_defaults(environ)
        captured: dict[str, Any] = {}

        def start_response(status, response_headers):
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(response_headers)

        payload = b"".join(self.app(environ, start_response))
        return Result(captured["status"], json.loads(payload) if payload else None, captured["headers"])

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("DELETE", path, **kwargs)


class Result:
    def __init__(self, status: int, json: Any, headers: dict[str, str]):
        self.status = status
        self.json = json
        self.headers = headers

    def __repr__(self) -> str:
        return f"Result({self.status}, {self.json!r})"


@pytest.fixture
def api(config):
    return ApiClient(App(config, clock=lambda: FIXED_NOW))


@pytest.fixture
def project(api):
    """A billable project on a client, created through the API; returns its id."""
    client = api.post("/clients", {"name": "Acme", "hourly_rate_cents": 9000}).json
    return api.post("/projects", {"code": "web", "name": "Acme website", "client_id": client["id"]}).json["id"]
