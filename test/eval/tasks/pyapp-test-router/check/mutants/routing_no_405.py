"""A small router: ``/projects/{id:int}`` style patterns mapped to handler functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from tally.api.http import HttpError

Handler = Callable[..., Any]

_PARAM = re.compile(r"\{(?P<name>[a-z_][a-z0-9_]*)(?::(?P<kind>int|str))?\}")
_KINDS = {"int": (r"[0-9]+", int), "str": (r"[^/]+", str)}


@dataclass(frozen=True)
class Route:
    """One method + pattern, compiled, and the handler it leads to."""

    method: str
    pattern: str
    regex: re.Pattern[str]
    converters: dict[str, Callable[[str], Any]]
    handler: Handler


def compile_pattern(pattern: str) -> tuple[re.Pattern[str], dict[str, Callable[[str], Any]]]:
    """Turns ``/a/{id:int}`` into a regex with named groups and the converter of each group.

    A parameter without a kind is ``str`` (one path segment).
    """
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern {pattern!r} must start with /")
    converters: dict[str, Callable[[str], Any]] = {}
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[position:match.start()]))
        name, kind = match["name"], match["kind"] or "str"
        if name in converters:
            raise ValueError(f"route pattern {pattern!r} repeats the parameter {name!r}")
        regex, convert = _KINDS[kind]
        parts.append(f"(?P<{name}>{regex})")
        converters[name] = convert
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("^" + "".join(parts) + "$"), converters


class Router:
    """Finds the handler of a request by method and path.

    A path that matches no pattern is a 404; a path that matches only under other methods is a
    405 with an ``Allow`` header. A trailing slash is ignored (``/projects/`` is ``/projects``).
    """

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Registers ``handler`` for ``method`` requests whose path matches ``pattern``."""
        regex, converters = compile_pattern(pattern)
        method = method.upper()
        if any(r.method == method and r.pattern == pattern for r in self.routes):
            raise ValueError(f"route {method} {pattern} is registered twice")
        self.routes.append(Route(method, pattern, regex, converters, handler))

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        """Decorator form of ``add``."""

        def register(handler: Handler) -> Handler:
            self.add(method, pattern, handler)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, Any]]:
        """The handler for ``method path`` and its converted path parameters."""
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        allowed: list[str] = []
        for route in self.routes:
            found = route.regex.match(path)
            if found is None:
                continue
            if route.method != method.upper():
                continue
            params = {name: route.converters[name](value) for name, value in found.groupdict().items()}
            return route.handler, params
        if allowed:
            raise HttpError(405, f"{method} is not allowed on {path}", headers={"Allow": ", ".join(sorted(set(allowed)))})
        raise HttpError(404, f"no route for {path}")
