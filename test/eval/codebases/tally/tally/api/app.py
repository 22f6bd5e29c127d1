"""The WSGI application: routing table, per-request database connection, error mapping."""

from __future__ import annotations

import logging
import time
from contextlib import closing
from datetime import datetime
from typing import Any, Callable, Iterable

from tally import __version__
from tally.api import clients, entries, projects, reports, timers
from tally.api.auth import authenticate
from tally.api.context import RequestContext
from tally.api.http import HttpError, Request, Response, error_response, json_response
from tally.api.routing import Router
from tally.config import Config
from tally.db.connection import connect, open_database
from tally.db.schema import schema_version
from tally.errors import ConflictError, NotFoundError, ValidationError
from tally.timeutil import utc_now

log = logging.getLogger("tally.api")


def health(ctx: RequestContext) -> Response:
    """``GET /health``: liveness, version and schema version; never needs a token."""
    return json_response({"status": "ok", "version": __version__, "schema": schema_version(ctx.conn)})


def build_router() -> Router:
    """Every route of the API, in one table."""
    router = Router()
    table: list[tuple[str, str, Callable[..., Response]]] = [
        ("GET", "/health", health),
        ("GET", "/clients", clients.index),
        ("POST", "/clients", clients.create),
        ("GET", "/clients/{client_id:int}", clients.show),
        ("PATCH", "/clients/{client_id:int}", clients.update),
        ("GET", "/clients/{client_id:int}/invoice", reports.invoice),
        ("GET", "/projects", projects.index),
        ("POST", "/projects", projects.create),
        ("GET", "/projects/{project_id:int}", projects.show),
        ("PATCH", "/projects/{project_id:int}", projects.update),
        ("GET", "/projects/{project_id:int}/budget", reports.budget),
        ("GET", "/entries", entries.index),
        ("POST", "/entries", entries.create),
        ("GET", "/entries/{entry_id:int}", entries.show),
        ("PATCH", "/entries/{entry_id:int}", entries.update),
        ("DELETE", "/entries/{entry_id:int}", entries.remove),
        ("GET", "/timers", timers.index),
        ("POST", "/timers/start", timers.start),
        ("POST", "/timers/stop", timers.stop),
        ("DELETE", "/timers/{project_id:int}", timers.discard),
        ("GET", "/reports/summary", reports.summary),
        ("GET", "/reports/week", reports.week),
    ]
    for method, pattern, handler in table:
        router.add(method, pattern, handler)
    return router


class App:
    """The Tally API as a WSGI callable. The schema is migrated once, when the app is built."""

    def __init__(self, config: Config, clock: Callable[[], datetime] = utc_now):
        self.config = config
        self.clock = clock
        self.router = build_router()
        with closing(open_database(config.database)):
            pass

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        response = self.handle(environ)
        headers = [*response.headers.items(), ("Content-Length", str(len(response.body)))]
        start_response(response.status_line, headers)
        if self.config.log_requests:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.1fms", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), response.status, elapsed)
        return [response.body]

    def handle(self, environ: dict[str, Any]) -> Response:
        """Turns one WSGI request into a response; never raises."""
        try:
            request = Request.from_environ(environ, self.config.max_body_bytes)
            authenticate(request, self.config.api_token)
            handler, params = self.router.match(request.method, request.path)
            with closing(connect(self.config.database)) as conn:
                return handler(RequestContext(request, conn, self.config, self.clock), **params)
        except HttpError as error:
            return error_response(error.status, error.message, headers=error.headers)
        except ValidationError as error:
            return error_response(400, "invalid input", details=error.errors)
        except NotFoundError as error:
            return error_response(404, str(error))
        except ConflictError as error:
            return error_response(409, str(error))
        except Exception:
            log.exception("unhandled error on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            return error_response(500, "internal error; see the server log")
