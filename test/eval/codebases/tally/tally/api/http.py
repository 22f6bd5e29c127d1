"""Requests and responses on top of WSGI, without a framework."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from tally.errors import ValidationError
from tally.timeutil import parse_date


class HttpError(Exception):
    """Ends a request with ``status`` and a JSON ``{"error": message}`` body."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Request:
    """What a handler needs to know about an incoming request."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def from_environ(cls, environ: dict[str, Any], max_body_bytes: int) -> "Request":
        """Reads a WSGI environ; a body over ``max_body_bytes`` is refused with 413."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HttpError(400, "Content-Length is not a number") from None
        if length > max_body_bytes:
            raise HttpError(413, f"request body is larger than {max_body_bytes} bytes")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        return cls(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=environ.get("PATH_INFO", "/") or "/",
            query=query,
            headers=headers,
            body=body,
        )

    def json(self) -> Any:
        """The body parsed as JSON; a missing, mistyped or malformed body is a 400/415."""
        if not self.body:
            raise HttpError(400, "this request needs a JSON body")
        content_type = self.headers.get("content-type", "application/json").split(";")[0].strip()
        if content_type != "application/json":
            raise HttpError(415, f"expected Content-Type application/json, got {content_type}")
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise HttpError(400, f"body is not valid JSON: {error}") from None

    def query_int(self, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
        """A whole-number query parameter, or ``default`` when absent; anything else is a 400."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: "must be a whole number"}) from None
        if minimum is not None and value < minimum:
            raise ValidationError({name: f"must be at least {minimum}"})
        return value

    def query_date(self, name: str, default: date | None = None) -> date | None:
        """A ``YYYY-MM-DD`` query parameter, or ``default`` when absent; anything else is a 400."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return parse_date(raw)
        except ValueError as error:
            raise ValidationError({name: str(error)}) from None

    def query_bool(self, name: str) -> bool | None:
        """A ``true``/``false`` query parameter, or None when absent."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return None
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise ValidationError({name: "must be true or false"})


@dataclass
class Response:
    """A status, headers and a body, ready for ``start_response``."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def status_line(self) -> str:
        return f"{self.status} {HTTPStatus(self.status).phrase}"


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response; ``data`` of None with 204 gives an empty body."""
    body = b"" if status == 204 else json.dumps(data, indent=None, separators=(",", ":")).encode("utf-8")
    merged = {"Content-Type": "application/json"} if body else {}
    merged.update(headers or {})
    return Response(status=status, body=body, headers=merged)


def error_response(status: int, message: str, details: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Response:
    """The JSON body every error has: ``{"error": message, "fields": {...}}``."""
    data: dict[str, Any] = {"error": message}
    if details:
        data["fields"] = details
    return json_response(data, status=status, headers=headers)
