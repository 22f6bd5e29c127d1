"""Exceptions shared by every layer of Tally.

The HTTP layer maps them to status codes (see ``tally.api.app``) and the CLI prints them as one
line, so each message is written for the person who has to act on it.
"""

from __future__ import annotations


class TallyError(Exception):
    """Base class of every error Tally raises on purpose."""


class ConfigError(TallyError):
    """The configuration file or an environment variable holds a value Tally cannot use."""


class ValidationError(TallyError):
    """Input was rejected. ``errors`` maps each offending field to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        summary = "; ".join(f"{name}: {message}" for name, message in sorted(self.errors.items()))
        super().__init__(f"invalid input ({summary})")


class NotFoundError(TallyError):
    """A record that was asked for by id or code does not exist."""

    def __init__(self, kind: str, key: object):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key!r}")


class ConflictError(TallyError):
    """The request clashes with existing data (a duplicate name, a timer already running)."""
