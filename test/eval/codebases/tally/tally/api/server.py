"""Serving the API with the standard library's ``wsgiref`` server."""

from __future__ import annotations

import logging
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from tally.api.app import App
from tally.config import Config

log = logging.getLogger("tally.api")


class _QuietHandler(WSGIRequestHandler):
    """Leaves request logging to the app (which knows ``log_requests``)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_api_server(config: Config, host: str | None = None, port: int | None = None) -> WSGIServer:
    """Builds (and binds) the server; ``host``/``port`` override the config. Port 0 picks a free one."""
    app = App(config)
    return make_server(host or config.host, config.port if port is None else port, app, handler_class=_QuietHandler)


def serve(config: Config, host: str | None = None, port: int | None = None) -> None:
    """Serves until interrupted (Ctrl-C)."""
    server = make_api_server(config, host, port)
    address, bound_port = server.server_address[:2]
    log.info("tally API on http://%s:%d (database %s)", address, bound_port, config.database)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        server.server_close()
