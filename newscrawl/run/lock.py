"""The run's lock: one run of a spider per state at a time (CONTRACT §1, exit status 75)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class StateLocked(Exception):
    """Another run holds the lock on this state."""


class StateLock:
    """An exclusive, non-blocking lock beside the state file, one per spider: two runs of one
    spider never share a state at once, two spiders may. The OS frees it if we die."""

    def __init__(self, state_path: str, source: str) -> None:
        self.path = Path(f"{state_path}.{source}.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise StateLocked; OSError if the lock file cannot be opened or
        written (a read-only output, another user's file, a folder in its place)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StateLocked(f"another run holds the lock {self.path}") from None
        try:
            handle.truncate(0)  # ours now: say who holds it
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except OSError:  # a full disk: the lock is given back with the file
            handle.close()
            raise
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
