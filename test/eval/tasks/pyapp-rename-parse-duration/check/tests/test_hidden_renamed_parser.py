import pytest

import tally.timeutil
from tally.validation import Field, validate


def test_the_new_name_parses_durations():
    assert tally.timeutil.parse_minutes("1h30m") == 90
    assert tally.timeutil.parse_minutes("0:45") == 45
    with pytest.raises(ValueError):
        tally.timeutil.parse_minutes("soon")


def test_the_old_name_is_gone():
    assert not hasattr(tally.timeutil, "parse_" + "duration")


def test_callers_use_it():
    assert validate({"m": "2h"}, (Field("m", "duration"),)) == {"m": 120}
