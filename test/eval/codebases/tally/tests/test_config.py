from pathlib import Path

import pytest

from tally.config import Config, load_config
from tally.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "tally.toml"
    file.write_text(text, encoding="utf-8")
    return file


def test_defaults_when_there_is_no_file_and_no_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    assert config == Config()
    assert config.port == 8350 and config.default_page_size == 25


def test_file_values_replace_defaults(tmp_path):
    file = write(tmp_path, '[server]\nport = 9001\nhost = "0.0.0.0"\n[api]\nmax_page_size = 500\n[billing]\ncurrency = "USD"\n')
    config = load_config(file, env={})
    assert (config.port, config.host, config.max_page_size, config.currency) == (9001, "0.0.0.0", 500, "USD")
    assert config.database == "tally.db"


def test_default_file_in_the_working_directory_is_read(tmp_path, monkeypatch):
    write(tmp_path, '[database]\npath = "data/t.db"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config(env={}).database == "data/t.db"


def test_tally_config_names_the_file(tmp_path):
    file = tmp_path / "elsewhere.toml"
    file.write_text("[timers]\nlimit_hours = 8\n")
    assert load_config(env={"TALLY_CONFIG": str(file)}).timer_limit_hours == 8


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={"TALLY_PORT": "9100", "TALLY_LOG_REQUESTS": "off", "TALLY_WEEK_START": "sunday"})
    assert (config.port, config.log_requests, config.week_start) == (9100, False, "sunday")


def test_environment_overrides_file(tmp_path):
    file = write(tmp_path, '[database]\npath = "from-file.db"\n[server]\nport = 9001\n')
    config = load_config(file, env={"TALLY_DB": "from-env.db"})
    assert config.database == "from-env.db"
    assert config.port == 9001


def test_empty_environment_variables_are_ignored(tmp_path):
    file = write(tmp_path, "[server]\nport = 9001\n")
    assert load_config(file, env={"TALLY_PORT": " "}).port == 9001


@pytest.mark.parametrize(
    "text, message",
    [
        ("[server]\nprot = 1\n", "unknown setting [server] prot"),
        ("port = 1\n", "must be a [section]"),
        ('[server]\nport = "80"\n', "expected a whole number"),
        ("[server]\nlog_requests = 1\n", "expected true or false"),
        ("[server\n", "not valid TOML"),
        ("[server]\nport = 70000\n", "port: 70000"),
        ('[billing]\ncurrency = "euro"\n', "three-letter code"),
        ("[billing]\nround_to_minutes = 7\n", "must be 0 or divide 60"),
        ("[api]\ndefault_page_size = 50\nmax_page_size = 20\n", "smaller than default_page_size"),
        ('[reports]\nweek_start = "friday"\n', "must be one of monday, sunday"),
        ('[server]\napi_token = "short"\n', "at least 16 characters"),
    ],
)
def test_bad_files_are_rejected_with_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(write(tmp_path, text), env={})


def test_bad_environment_values_name_the_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="TALLY_PORT"):
        load_config(env={"TALLY_PORT": "eighty"})
    with pytest.raises(ConfigError, match="TALLY_LOG_REQUESTS"):
        load_config(env={"TALLY_LOG_REQUESTS": "maybe"})


def test_a_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml", env={})
