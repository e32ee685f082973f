"""The seen store: which stories were written, shared by all runs.

SQLite here; Redis (one store for N workers) in ``newscrawl.distributed.seen``. A run's life in
the store: ``begin_run`` (state ``started``), ``claim`` per story, ``commit`` (returns the ids
whose lines must leave the file), state ``committed``, the file renamed, ``done``, ``listed``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Protocol

from newscrawl.clusters import ClusterIndex, Fingerprint, Member
from newscrawl.clusters.scheme import sqlite_record, sqlite_recorded

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,            -- '<source>:<story id>' or '<source>:h<hash>'
    content_hash TEXT NOT NULL,
    run TEXT NOT NULL               -- the run that wrote it
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_by_hash ON stories (content_hash);
CREATE TABLE IF NOT EXISTS cluster_members (
    member INTEGER PRIMARY KEY,     -- the article's row, for the band index
    story TEXT NOT NULL,            -- its id
    cluster TEXT NOT NULL,          -- the id of its story's first article
    signature BLOB NOT NULL,        -- 8-bit MinHash values (newscrawl.clusters)
    features BLOB NOT NULL,         -- its filled slots (newscrawl.clusters.features)
    run TEXT NOT NULL               -- the run that wrote it
);
CREATE INDEX IF NOT EXISTS cluster_members_by_run ON cluster_members (run);
CREATE TABLE IF NOT EXISTS cluster_bands (
    band INTEGER NOT NULL,          -- an LSH band key
    member INTEGER NOT NULL,
    PRIMARY KEY (band, member)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run TEXT PRIMARY KEY,           -- '<source>/<run name>'
    file TEXT NOT NULL,             -- the final name of its JSON lines file
    state TEXT NOT NULL             -- 'started', 'committed', 'done' (file final), 'listed'
) WITHOUT ROWID;
"""
# Another spider's run may share the file (one state per output folder, a lock per spider):
# writes commit at once, so no transaction holds the file while a crawl waits on the network,
# and a writer finding the file busy waits for its turn instead of failing.
_BUSY_TIMEOUT_MS = 60_000


class StateLocked(Exception):
    """Another run holds the lock on this state."""


class StoreUnavailable(Exception):
    """The store cannot be reached (a Redis server gone mid-run); the run cannot commit."""


class SeenStore(Protocol):
    """What runs need from a store of seen stories. A run's claims stay pending until commit.

    Run states, as ``unfinished_runs`` reports them: ``started`` (nothing committed: roll
    back), ``committed`` (stories committed, the ``.part`` file complete: roll forward),
    ``done`` (file final, not yet in ``runs.jsonl``).
    """

    def known_ids(self, ids: Iterable[str]) -> set[str]: ...
    def has_id(self, story_id: str) -> bool: ...
    def has_hash(self, content_hash: str, source: str | None = None) -> bool: ...
    def add(self, story_id: str, content_hash: str, run: str) -> None: ...
    def claim(self, story_id: str, content_hash: str, run: str) -> bool: ...
    def begin_run(self, run: str, file: str) -> bool: ...
    def commit(self, run: str) -> set[str]: ...
    def flush(self) -> None: ...
    def set_run_state(self, run: str, state: str) -> None: ...
    def unfinished_runs(self) -> list[tuple[str, str, str]]: ...
    def run_names(self, source: str) -> set[str]: ...
    def forget_run(self, run: str) -> None: ...
    def cluster_index(self) -> ClusterIndex: ...
    def close(self) -> None: ...


class SqliteSeenStore:
    """SeenStore in one SQLite file (WAL: a killed run leaves a database that opens cleanly).

    An empty path keeps the store in memory, for this run only.
    """

    def __init__(self, path: str) -> None:
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path or ":memory:", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        self.db.executescript(_SCHEMA)

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM stories WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def has_id(self, story_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone()
            is not None
        )

    def has_hash(self, content_hash: str, source: str | None = None) -> bool:
        """Whether a story with this content hash was written (by ``source``, if given)."""
        query = "SELECT id FROM stories WHERE content_hash = ?"
        rows = self.db.execute(query, (content_hash,))
        return any(source is None or r[0].startswith(f"{source}:") for r in rows)

    def claim(self, story_id: str, content_hash: str, run: str) -> bool:
        """Hold a story for ``run`` unless its id or content hash is known: True if new."""
        if self.has_id(story_id) or self.has_hash(content_hash, story_id.split(":", 1)[0]):
            return False
        self.add(story_id, content_hash, run)
        return True

    def add(self, story_id: str, content_hash: str, run: str) -> None:
        self.write("INSERT INTO stories VALUES (?, ?, ?)", (story_id, content_hash, run))

    def write(self, sql: str, *rows: tuple[object, ...]) -> None:
        """Rows written and committed at once (about 0.1 ms on WAL without fsync), or with the
        caller's ``transaction()``."""
        with self.transaction():
            self.db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``: the file's write lock from the start, so
        what is read inside stays true until ``COMMIT``); rolled back if the body raises.
        Nested, it joins the outer one."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def cluster_index(self) -> ClusterIndex:
        """The cluster state in the same file, committed with each article like the stories."""
        return SqliteClusterIndex(self)

    def flush(self) -> None:
        """Every write is committed already (the Redis store batches; this one need not)."""

    def begin_run(self, run: str, file: str) -> bool:
        """Record a new run as ``started``; False if the name is taken."""
        cursor = self.db.execute("INSERT OR IGNORE INTO runs VALUES (?, ?, 'started')", (run, file))
        return cursor.rowcount == 1

    def commit(self, run: str) -> set[str]:
        """Make the run's stories durable: each write is committed already; one writer per
        spider, so nothing is ever lost."""
        return set()

    def set_run_state(self, run: str, state: str) -> None:
        self.db.execute("UPDATE runs SET state = ? WHERE run = ?", (state, run))

    def unfinished_runs(self) -> list[tuple[str, str, str]]:
        """(run, file, state) of runs that did not get as far as their runs.jsonl line."""
        rows = self.db.execute("SELECT run, file, state FROM runs WHERE state != 'listed'")
        return [(r[0], r[1], r[2]) for r in rows]

    def run_names(self, source: str) -> set[str]:
        """Names of the runs of ``source`` this state has seen (from any output folder)."""
        rows = self.db.execute("SELECT run FROM runs WHERE run LIKE ?", (f"{source}/%",))
        return {row[0].split("/", 1)[1] for row in rows}

    def forget_run(self, run: str) -> None:
        """Roll a run back: its stories were never written to a complete file."""
        with self.transaction():
            self.db.execute("DELETE FROM stories WHERE run = ?", (run,))
            self.db.execute(
                "DELETE FROM cluster_bands WHERE member IN "
                "(SELECT member FROM cluster_members WHERE run = ?)",
                (run,),
            )
            self.db.execute("DELETE FROM cluster_members WHERE run = ?", (run,))
            self.db.execute("DELETE FROM runs WHERE run = ?", (run,))

    def close(self) -> None:
        self.db.close()


class SqliteClusterIndex:
    """ClusterIndex in the seen store's SQLite file: members, and their LSH band keys indexed."""

    def __init__(self, store: SqliteSeenStore) -> None:
        self.store = store

    def candidates(self, bands: Sequence[int], limit: int) -> list[Member]:
        marks = ",".join("?" * len(bands))
        rows = self.store.db.execute(
            "SELECT story, cluster, signature, features FROM cluster_members WHERE member IN "
            f"(SELECT member FROM cluster_bands WHERE band IN ({marks})) "
            "ORDER BY member DESC LIMIT ?",
            (*bands, limit),
        )
        return [Member(r[0], r[1], r[2], r[3]) for r in rows]

    def add(self, story_id: str, cluster_id: str, fingerprint: Fingerprint, run: str) -> None:
        with self.store.transaction():
            member = self.store.db.execute(
                "INSERT INTO cluster_members (story, cluster, signature, features, run) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, cluster_id, fingerprint.signature, fingerprint.features, run),
            ).lastrowid
            self.store.db.executemany(
                "INSERT OR IGNORE INTO cluster_bands VALUES (?, ?)",
                ((band, member) for band in fingerprint.bands),
            )

    def assigning(self) -> AbstractContextManager[None]:
        """The look-up and the add in one transaction: a second process sharing the file
        waits for it (``busy_timeout``), then finds this article among the candidates."""
        return self.store.transaction()

    def recorded_scheme(self) -> str | None:
        return sqlite_recorded(self.store.db)

    def record_scheme(self, scheme: str) -> None:
        with self.store.transaction():
            sqlite_record(self.store.db, scheme)


class StateLock:
    """An exclusive, non-blocking lock beside the state file, one per spider: two runs of one
    spider never share a state at once, two spiders may (CONTRACT §1, exit status 75). The OS
    frees it if we die."""

    def __init__(self, state_path: str, source: str) -> None:
        self.path = Path(f"{state_path}.{source}.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StateLocked(f"another run holds the lock {self.path}") from None
        handle.truncate(0)  # ours now: say who holds it
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
