"""Paging of list endpoints: ``?page=N&per_page=M`` in, an envelope with totals out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from tally.api.http import HttpError, Request
from tally.config import Config


@dataclass(frozen=True)
class Page:
    """Which slice of a list a request asked for. Pages count from 1."""

    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size


def page_params(request: Request, config: Config) -> Page:
    """Reads ``page`` and ``per_page`` from the query string.

    ``per_page`` defaults to ``config.default_page_size`` and is capped at
    ``config.max_page_size``, so no request can ask for an unbounded list.
    """
    number = request.query_int("page", default=1, minimum=1)
    size = request.query_int("per_page", default=config.default_page_size, minimum=1)
    return Page(number=number, size=min(size, config.max_page_size))


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` items fill at ``size`` per page (an empty list has one page)."""
    return max(1, -(-total // size))


def page_envelope(items: Sequence[Any], total: int, page: Page) -> dict[str, Any]:
    """The JSON body of a list response; asking past the last page is a 404."""
    pages = page_count(total, page.size)
    if page.number > pages:
        raise HttpError(404, f"page {page.number} is out of range (there are {pages})")
    return {
        "items": [item.to_dict() for item in items],
        "page": page.number,
        "per_page": page.size,
        "total": total,
        "pages": pages,
    }
