"""Bearer-token authentication for the API.

With no ``api_token`` configured the API is open (meant for a server bound to localhost).
With one, every route except ``/health`` needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac

from tally.api.http import HttpError, Request

PUBLIC_PATHS = frozenset({"/health"})


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(request: Request, expected: str | None) -> None:
    """Raises a 401 unless the request may proceed."""
    if expected is None or request.path in PUBLIC_PATHS:
        return
    token = bearer_token(request)
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HttpError(401, "missing or wrong API token", headers={"WWW-Authenticate": 'Bearer realm="tally"'})
