from datetime import date

import pytest

from tally.errors import ValidationError
from tally.validation import Field, validate

SPECS = (
    Field("name", "str", minimum=1, maximum=10),
    Field("count", "int", required=False, minimum=0, maximum=5),
    Field("day", "date", required=False),
    Field("minutes", "duration", required=False, minimum=1, maximum=600),
    Field("flag", "bool", required=False),
    Field("tags", "tags", required=False),
    Field("kind", "str", required=False, choices=("a", "b")),
    Field("code", "str", required=False, pattern=r"[a-z]{2,4}", hint="must be 2-4 letters"),
    Field("parent", "int", required=False, nullable=True),
)


def errors_of(payload, **kwargs):
    with pytest.raises(ValidationError) as caught:
        validate(payload, SPECS, **kwargs)
    return caught.value.errors


def test_clean_values_are_converted():
    data = validate(
        {"name": "  x ", "count": 3, "day": "2024-05-03", "minutes": "1h", "flag": False, "tags": ["Ops", "api", "ops"], "parent": None},
        SPECS,
    )
    assert data == {"name": "x", "count": 3, "day": date(2024, 5, 3), "minutes": 60, "flag": False, "tags": ("api", "ops"), "parent": None}


def test_missing_unknown_and_null_fields_are_all_reported():
    assert errors_of({"nmae": "x", "count": None}) == {"nmae": "unknown field", "name": "is required", "count": "must not be null"}


def test_types_are_strict():
    errors = errors_of({"name": 5, "count": True, "flag": "yes", "day": 20240503, "tags": "ops"})
    assert set(errors) == {"name", "count", "flag", "day", "tags"}


def test_bounds_apply_to_numbers_and_string_lengths():
    assert errors_of({"name": "", "count": 6}) == {"name": "must not be empty", "count": "must be at most 5"}
    assert errors_of({"name": "x" * 11}) == {"name": "must be at most 10 characters"}


def test_durations_are_read_and_bounded():
    assert validate({"name": "x", "minutes": 90}, SPECS)["minutes"] == 90
    assert "at most 600" in errors_of({"name": "x", "minutes": "11h"})["minutes"]
    assert "duration" in errors_of({"name": "x", "minutes": "soon"})["minutes"]


def test_choices_patterns_and_tags():
    assert errors_of({"name": "x", "kind": "c"}) == {"kind": "must be one of a, b"}
    assert errors_of({"name": "x", "code": "A1"}) == {"code": "must be 2-4 letters"}
    assert "tag" in errors_of({"name": "x", "tags": ["no spaces"]})["tags"]
    assert "at most 10" in errors_of({"name": "x", "tags": [f"t{i}" for i in range(11)]})["tags"]


def test_partial_validation_needs_one_field():
    assert validate({"count": 1}, SPECS, partial=True) == {"count": 1}
    assert errors_of({}, partial=True) == {"body": "give at least one field to change"}
    assert errors_of([1, 2]) == {"body": "expected a JSON object"}


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        Field("x", "float")
