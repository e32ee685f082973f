"""Project commands, and how each ends when it cannot go on: one line on stderr, an exit
status (1 failed, 2 bad usage, 75 another run holds the lock), no help text, no traceback."""

from __future__ import annotations

import sys

EX_USAGE, EX_TEMPFAIL = 2, 75


def fail(status: int, message: str) -> None:
    """One line on stderr (``newscrawl: message``), then exit with ``status``."""
    print(f"newscrawl: {message}", file=sys.stderr)
    sys.exit(status)
