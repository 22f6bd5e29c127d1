"""Configuration: built-in defaults, then a TOML file, then ``TALLY_*`` environment variables.

Later sources win. The file is ``tally.toml`` in the working directory unless ``--config`` or
``TALLY_CONFIG`` names another one; a missing default file is fine, a missing named file is an
error. Every value is validated once, here, so the rest of the code can trust a ``Config``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from tally.errors import ConfigError

DEFAULT_CONFIG_FILE = "tally.toml"
CONFIG_PATH_ENV = "TALLY_CONFIG"
WEEK_STARTS = ("monday", "sunday")


@dataclass(frozen=True)
class Config:
    """Every setting Tally reads, with its default."""

    database: str = "tally.db"
    host: str = "127.0.0.1"
    port: int = 8350
    api_token: str | None = None
    max_body_bytes: int = 64 * 1024
    log_requests: bool = True
    default_page_size: int = 25
    max_page_size: int = 200
    currency: str = "EUR"
    round_to_minutes: int = 0
    week_start: str = "monday"
    timer_limit_hours: int = 12


# (TOML section, key) -> Config field.
FILE_KEYS: dict[tuple[str, str], str] = {
    ("database", "path"): "database",
    ("server", "host"): "host",
    ("server", "port"): "port",
    ("server", "api_token"): "api_token",
    ("server", "max_body_bytes"): "max_body_bytes",
    ("server", "log_requests"): "log_requests",
    ("api", "default_page_size"): "default_page_size",
    ("api", "max_page_size"): "max_page_size",
    ("billing", "currency"): "currency",
    ("billing", "round_to_minutes"): "round_to_minutes",
    ("reports", "week_start"): "week_start",
    ("timers", "limit_hours"): "timer_limit_hours",
}

# Environment variable -> Config field.
ENV_VARS: dict[str, str] = {
    "TALLY_DB": "database",
    "TALLY_HOST": "host",
    "TALLY_PORT": "port",
    "TALLY_API_TOKEN": "api_token",
    "TALLY_MAX_BODY_BYTES": "max_body_bytes",
    "TALLY_LOG_REQUESTS": "log_requests",
    "TALLY_PAGE_SIZE": "default_page_size",
    "TALLY_MAX_PAGE_SIZE": "max_page_size",
    "TALLY_CURRENCY": "currency",
    "TALLY_ROUND_TO_MINUTES": "round_to_minutes",
    "TALLY_WEEK_START": "week_start",
    "TALLY_TIMER_LIMIT_HOURS": "timer_limit_hours",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def load_config(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Builds the effective configuration.

    ``path`` is an explicit config file (it must exist); without it, ``TALLY_CONFIG`` or
    ``./tally.toml`` is used when present. ``env`` defaults to ``os.environ``.
    Raises ``ConfigError`` naming the source and the key of the first bad value.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    file = _config_file(path, env)
    if file is not None:
        values.update(read_config_file(file))
    values.update(read_env(env))
    config = replace(Config(), **values)
    validate_config(config)
    return config


def _config_file(path: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    explicit = path if path is not None else env.get(CONFIG_PATH_ENV)
    if explicit:
        file = Path(explicit)
        if not file.is_file():
            raise ConfigError(f"config file {file} does not exist")
        return file
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def read_config_file(file: Path) -> dict[str, Any]:
    """Reads a TOML config file into ``{field: value}``; unknown sections or keys are errors."""
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{file}: not valid TOML ({error})") from error
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: top-level key {section!r} must be a [section]")
        for key, value in table.items():
            name = FILE_KEYS.get((section, key))
            if name is None:
                raise ConfigError(f"{file}: unknown setting [{section}] {key}")
            values[name] = _check_type(name, value, f"{file}: [{section}] {key}")
    return values


def read_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Reads the ``TALLY_*`` variables that are set (and not empty) into ``{field: value}``."""
    values: dict[str, Any] = {}
    for var, name in ENV_VARS.items():
        raw = env.get(var)
        if raw is None or raw.strip() == "":
            continue
        values[name] = _from_text(name, raw.strip(), var)
    return values


def _field_type(name: str) -> str:
    for f in fields(Config):
        if f.name == name:
            return str(f.type)
    raise KeyError(name)


def _check_type(name: str, value: Any, where: str) -> Any:
    kind = _field_type(name)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected a whole number, got {value!r}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
    elif not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string, got {value!r}")
    return value


def _from_text(name: str, raw: str, where: str) -> Any:
    kind = _field_type(name)
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{where}: expected a whole number, got {raw!r}") from None
    if kind == "bool":
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    return raw


def validate_config(config: Config) -> None:
    """Raises ``ConfigError`` if any value is out of range or inconsistent with another."""
    if not config.database:
        raise ConfigError("database: the path must not be empty")
    if not 1 <= config.port <= 65535:
        raise ConfigError(f"port: {config.port} is not between 1 and 65535")
    if config.max_body_bytes < 1024:
        raise ConfigError(f"max_body_bytes: {config.max_body_bytes} is below the minimum of 1024")
    if config.default_page_size < 1:
        raise ConfigError("default_page_size: must be at least 1")
    if config.max_page_size < config.default_page_size:
        raise ConfigError(
            f"max_page_size: {config.max_page_size} is smaller than default_page_size {config.default_page_size}"
        )
    if len(config.currency) != 3 or not config.currency.isalpha() or not config.currency.isupper():
        raise ConfigError(f"currency: {config.currency!r} is not a three-letter code such as EUR")
    if config.round_to_minutes < 0 or (config.round_to_minutes and 60 % config.round_to_minutes):
        raise ConfigError(f"round_to_minutes: {config.round_to_minutes} must be 0 or divide 60")
    if config.week_start not in WEEK_STARTS:
        raise ConfigError(f"week_start: {config.week_start!r} must be one of {', '.join(WEEK_STARTS)}")
    if not 1 <= config.timer_limit_hours <= 24:
        raise ConfigError(f"timer_limit_hours: {config.timer_limit_hours} is not between 1 and 24")
    if config.api_token is not None and len(config.api_token) < 16:
        raise ConfigError("api_token: use at least 16 characters")
