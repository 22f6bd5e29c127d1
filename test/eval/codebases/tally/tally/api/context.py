"""The value every request handler receives."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from tally.api.http import Request
from tally.config import Config


@dataclass
class RequestContext:
    """The request, an open connection (closed after the handler returns), the config and a clock."""

    request: Request
    conn: sqlite3.Connection
    config: Config
    now: Callable[[], datetime]
