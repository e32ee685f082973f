"""Open an SQLite file in WAL mode that other processes open at the same moment.

Two runs starting together on a new output folder both make its state: SQLite answers
``PRAGMA journal_mode=WAL`` with SQLITE_BUSY at once, without calling the busy handler, when
the other connection is switching the same file (its deadlock avoidance: "the presence of a
busy handler does not guarantee that it will be invoked", https://sqlite.org/c3ref/busy_handler.html).
Seen on CI as a run that exited 2 with ``database is locked`` beside another spider's run;
three threads opening one new file together failed 1 round in 8 here.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

_FIRST_PAUSE_S = 0.005
_LONGEST_PAUSE_S = 0.1


def connect_wal(
    path: str | Path, *, timeout_s: float, autocommit: bool = False
) -> sqlite3.Connection:
    """A connection to ``path`` (``":memory:"`` too) in WAL mode, whose busy handler waits up
    to ``timeout_s`` seconds. The mode switch is tried again until ``timeout_s`` has passed.
    ``autocommit``: no implicit transactions (``isolation_level=None``).

    Raises sqlite3.Error as ``sqlite3.connect`` does, or the last SQLITE_BUSY once the time is
    up.
    """
    db = sqlite3.connect(
        path, timeout=timeout_s, isolation_level=None if autocommit else "DEFERRED"
    )
    deadline = time.monotonic() + timeout_s
    pause = _FIRST_PAUSE_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                db.close()
                raise
        time.sleep(pause)
        pause = min(pause * 2, _LONGEST_PAUSE_S)
