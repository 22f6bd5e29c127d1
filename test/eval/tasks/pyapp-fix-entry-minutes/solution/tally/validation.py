"""Declarative validation of JSON request bodies.

A handler lists its ``Field`` specs and calls ``validate(payload, specs)``; it gets back a dict of
clean, converted values or a ``ValidationError`` that names every bad field at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from tally.errors import ValidationError
from tally.timeutil import parse_date, parse_duration

KINDS = ("str", "int", "bool", "date", "duration", "tags")
MAX_TAGS = 10
MAX_TAG_LENGTH = 24


@dataclass(frozen=True)
class Field:
    """One accepted key of a request body.

    ``kind`` is one of ``KINDS``. ``minimum``/``maximum`` bound numbers and durations (minutes),
    or the length of strings. ``choices`` limits strings to a fixed set; ``pattern`` is a regular
    expression a whole string must match, described to the user by ``hint``.
    """

    name: str
    kind: str
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    hint: str = ""
    nullable: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


def validate(payload: Any, specs: Sequence[Field], *, partial: bool = False) -> dict[str, Any]:
    """Checks ``payload`` against ``specs`` and returns the converted values.

    With ``partial=True`` (updates) no field is required, but at least one must be given.
    Unknown keys are errors, so a typo in a client never passes silently.
    """
    if not isinstance(payload, dict):
        raise ValidationError({"body": "expected a JSON object"})
    by_name = {spec.name: spec for spec in specs}
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key in payload:
        if key not in by_name:
            errors[key] = "unknown field"
    for spec in specs:
        if spec.name not in payload:
            if spec.required and not partial:
                errors[spec.name] = "is required"
            continue
        value = payload[spec.name]
        if value is None:
            if spec.nullable:
                clean[spec.name] = None
            else:
                errors[spec.name] = "must not be null"
            continue
        try:
            clean[spec.name] = _convert(spec, value)
        except ValueError as error:
            errors[spec.name] = str(error)
    if partial and not clean and not errors:
        errors["body"] = "give at least one field to change"
    if errors:
        raise ValidationError(errors)
    return clean


def _convert(spec: Field, value: Any) -> Any:
    if spec.kind == "str":
        return _check_string(spec, value)
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return _check_bounds(spec, value)
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if spec.kind == "date":
        if not isinstance(value, str):
            raise ValueError("must be a date string (YYYY-MM-DD)")
        return _check_date(value)
    if spec.kind == "duration":
        return _check_bounds(spec, _to_minutes(value))
    if spec.kind == "tags":
        return _check_tags(value)
    raise AssertionError(spec.kind)


def _check_string(spec: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    text = value.strip()
    if spec.choices is not None and text not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}")
    if spec.minimum is not None and len(text) < spec.minimum:
        raise ValueError("must not be empty" if spec.minimum == 1 else f"must be at least {spec.minimum} characters")
    if spec.maximum is not None and len(text) > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum} characters")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        raise ValueError(spec.hint or f"must match {spec.pattern}")
    return text


def _check_bounds(spec: Field, value: int) -> int:
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"must be at least {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum}")
    return value


def _to_minutes(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be minutes (a number) or a duration such as 1h30m")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    raise ValueError("must be minutes (a number) or a duration such as 1h30m")


def _check_date(value: str) -> date:
    day = parse_date(value)
    if day.year < 2000:
        raise ValueError("must be in the year 2000 or later")
    return day


def _check_tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError("must be a list of strings")
    tags: list[str] = []
    for raw in value:
        tag = raw.strip().lower()
        if not tag or len(tag) > MAX_TAG_LENGTH or not tag.replace("-", "").isalnum():
            raise ValueError(f"tag {raw!r} must be 1-{MAX_TAG_LENGTH} letters, digits or hyphens")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return tuple(sorted(tags))
