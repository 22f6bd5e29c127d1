import pytest

from tally.errors import ValidationError
from tally.validation import Field, validate


@pytest.mark.parametrize("minutes", [2000, 1441, 0, -30])
def test_out_of_range_minutes_are_refused(api, project, minutes):
    result = api.post("/entries", {"project_id": project, "day": "2024-05-06", "minutes": minutes})
    assert result.status == 400, result
    assert "minutes" in result.json["fields"]


@pytest.mark.parametrize("minutes, stored", [(1, 1), (1440, 1440), ("1h", 60), (95, 95)])
def test_valid_minutes_are_stored(api, project, minutes, stored):
    result = api.post("/entries", {"project_id": project, "day": "2024-05-06", "minutes": minutes})
    assert result.status == 201, result
    assert result.json["minutes"] == stored


def test_updates_are_bounded_too(api, project):
    entry = api.post("/entries", {"project_id": project, "day": "2024-05-06", "minutes": 30}).json
    assert api.patch(f"/entries/{entry['id']}", {"minutes": 5000}).status == 400
    assert api.get(f"/entries/{entry['id']}").json["minutes"] == 30


def test_duration_fields_bound_plain_numbers():
    spec = (Field("minutes", "duration", minimum=5, maximum=100),)
    assert validate({"minutes": 50}, spec) == {"minutes": 50}
    for bad in (4, 101, "2h", True):
        with pytest.raises(ValidationError):
            validate({"minutes": bad}, spec)
