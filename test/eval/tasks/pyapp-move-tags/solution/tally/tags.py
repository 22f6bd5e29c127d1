"""Tags on time entries: normalising what users type, and the form stored in the database."""

from __future__ import annotations

from typing import Iterable


def format_tags(tags: Iterable[str]) -> str:
    """Encodes tags for the ``tags`` column: ``("api", "ops")`` -> ``",api,ops,"``.

    The surrounding commas let one ``LIKE '%,tag,%'`` match a whole tag and never part of one.
    """
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    return f",{','.join(cleaned)}," if cleaned else ""


def parse_tags(text: str) -> tuple[str, ...]:
    """Reads comma-separated tags (the ``tags`` column, or what a user typed) into a sorted tuple.

    Tags are lower-cased and stripped; empty ones and duplicates are dropped, so
    ``parse_tags(format_tags(tags))`` gives back the normalised tags.
    """
    return tuple(sorted({tag.strip().lower() for tag in text.split(",") if tag.strip()}))
