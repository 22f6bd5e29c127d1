import io

import pytest

from tally.cli.main import main
from tally.config import load_config
from tally.errors import ConfigError


@pytest.fixture
def toml(tmp_path):
    file = tmp_path / "team.toml"
    file.write_text('[server]\nport = 9001\n[billing]\ncurrency = "USD"\n[api]\nmax_page_size = 300\n', encoding="utf-8")
    return file


def test_each_variable_beats_the_file_and_the_rest_of_the_file_stays(toml):
    config = load_config(toml, env={"TALLY_PORT": "9100", "TALLY_MAX_PAGE_SIZE": "40"})
    assert (config.port, config.max_page_size, config.currency) == (9100, 40, "USD")


def test_the_file_named_by_tally_config_is_overridden_too(toml):
    config = load_config(env={"TALLY_CONFIG": str(toml), "TALLY_CURRENCY": "GBP"})
    assert (config.currency, config.port) == ("GBP", 9001)


def test_a_bad_variable_is_still_an_error_when_the_file_sets_the_key(toml):
    with pytest.raises(ConfigError, match="TALLY_PORT"):
        load_config(toml, env={"TALLY_PORT": "ninety"})


def test_the_cli_shows_the_environment_value(toml, tmp_path):
    out = io.StringIO()
    status = main(["--config", str(toml), "--db", str(tmp_path / "x.db"), "config"], out=out, env={"TALLY_PORT": "9555"})
    assert status == 0
    assert "port = 9555" in out.getvalue()
