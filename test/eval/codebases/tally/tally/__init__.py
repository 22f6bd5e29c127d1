"""Tally: time tracking for small teams.

Log time against projects, run timers, and turn billable hours into reports and invoices,
from the command line (``python3 -m tally``) or over a small JSON HTTP API.
"""

__version__ = "0.9.2"
