"""connect_wal: runs that make one state file at the same moment all open it (CI saw one exit 2
with ``database is locked`` beside another spider's run)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from newscrawl.wal import connect_wal


def _open_together(path: Path, openers: int) -> list[str]:
    errors: list[str] = []
    start = threading.Barrier(openers)

    def open_one() -> None:
        start.wait()
        try:
            db = connect_wal(path, timeout_s=10, autocommit=True)
            db.execute("CREATE TABLE IF NOT EXISTS t (x)")
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            db.close()
        except (sqlite3.Error, AssertionError) as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=open_one) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_connections_opening_one_new_file_together_all_get_it(tmp_path: Path) -> None:
    # sqlite3.connect + PRAGMA journal_mode=WAL alone: about 1 round in 8 fails here.
    errors = [e for n in range(150) for e in _open_together(tmp_path / f"{n}.sqlite3", 3)]
    assert errors == []


def test_a_file_locked_for_longer_than_the_timeout_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "held.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    began = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        connect_wal(path, timeout_s=0.3)
    assert 0.3 <= time.monotonic() - began < 5
    holder.close()


def test_an_error_other_than_busy_is_raised_at_once(tmp_path: Path) -> None:
    began = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        connect_wal(tmp_path / "no such folder" / "state.sqlite3", timeout_s=30)
    assert time.monotonic() - began < 5
