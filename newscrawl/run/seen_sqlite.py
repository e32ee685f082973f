"""SqliteSeenStore: the seen store (``seen.py``) in one SQLite file, shared by the runs and the
spiders writing to one output folder; its cluster state (``newscrawl.clusters``) beside it.

Claims wait in ``claims`` until their run commits, which moves them into ``stories`` (seen).
A story claimed again (a re-extraction) waits in ``rewrites`` with its ``stories`` row as it
was: the commit makes the run its writer, a roll-back puts the row back; the listed run's
``rewrites`` go.

Durability (WAL): a claim, a release and a cluster row commit without an fsync (NORMAL, about
0.1 ms; a kill -9 loses nothing, the OS still has the page). A run's state changes
(``begin_run``, ``commit``, ``set_run_state``, ``forget_run``) commit with synchronous=FULL:
their COMMIT fsyncs the WAL, and since the WAL is appended in order, every earlier
transaction with it. So a power loss or an OS crash may lose the claims of a run still
``started`` (rolled back anyway), never those of a run whose file was renamed: the commit
protocol (``commit.py``) renames only after the ``committed`` state is durable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newscrawl.clusters import ClusterIndex
from newscrawl.run.seen import DONE, LISTED, STARTED, StoreUnavailable
from newscrawl.wal import connect_wal

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,            -- '<source>:<story id>' or '<source>:h<hash>'
    content_hash TEXT NOT NULL,
    run TEXT NOT NULL               -- the run that wrote it
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_by_hash ON stories (content_hash);
CREATE TABLE IF NOT EXISTS claims (  -- held by a run that has not committed yet
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    run TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_by_hash ON claims (content_hash);
CREATE INDEX IF NOT EXISTS claims_by_run ON claims (run);
CREATE TABLE IF NOT EXISTS rewrites (  -- seen stories a run claimed again (a re-extraction)
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,     -- the hash it is written with now
    run TEXT NOT NULL,
    earlier_hash TEXT NOT NULL,     -- its stories row before the run: put back on a roll-back
    earlier_run TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rewrites_by_hash ON rewrites (content_hash);
CREATE INDEX IF NOT EXISTS rewrites_by_run ON rewrites (run);
CREATE TABLE IF NOT EXISTS cluster_members (
    member INTEGER PRIMARY KEY,     -- the article's row, for the band index
    story TEXT NOT NULL,            -- its id
    cluster TEXT NOT NULL,          -- the id of its story's first article
    signature BLOB NOT NULL,        -- 8-bit MinHash values (newscrawl.clusters)
    features BLOB NOT NULL,         -- its filled slots (newscrawl.clusters.features)
    run TEXT NOT NULL               -- the run that wrote it
);
CREATE INDEX IF NOT EXISTS cluster_members_by_run ON cluster_members (run);
CREATE INDEX IF NOT EXISTS cluster_members_by_story ON cluster_members (story);
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
_BUSY_TIMEOUT_S = 60.0
_HOLDING = ("stories", "claims", "rewrites")  # where a story's id or content hash is held
_FORGET_CLUSTERS = (
    "DELETE FROM cluster_bands WHERE member IN "
    "(SELECT member FROM cluster_members WHERE run = ?{story})",
    "DELETE FROM cluster_members WHERE run = ?{story}",
)


# The stories rows of a run's claims again: made the run's ({new}: its rewrites' values), or
# put back ({new}: the earlier ones; a row the run did not commit is put back as it is).
_REWRITE = (
    "UPDATE stories SET (content_hash, run) = "
    "(SELECT {new} FROM rewrites AS r WHERE r.id = stories.id) "
    "WHERE id IN (SELECT id FROM rewrites WHERE run = ?)"
)


def _source(story_id: str) -> str:
    return story_id.split(":", 1)[0]


class SqliteSeenStore:
    """SeenStore in one SQLite file (WAL: a killed run leaves a database that opens cleanly).

    An empty path keeps the store in memory, for this run only.
    """

    def __init__(self, path: str) -> None:
        """Open (or make) the store at ``path``. Raises OSError (its folder cannot be made) or
        StoreUnavailable (SQLite cannot open it), naming it."""
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = connect_wal(path or ":memory:", timeout_s=_BUSY_TIMEOUT_S, autocommit=True)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"the state {path} cannot be used: {exc}") from None

    # -- look-ups: committed stories only -------------------------------------------------
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
        return self._held("stories", story_id)

    def has_hash(self, content_hash: str, source: str | None = None) -> bool:
        """Whether a story with this content hash was written (by ``source``, if given)."""
        return self._hash_in("stories", content_hash, source)

    def _held(self, table: str, story_id: str) -> bool:
        row = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (story_id,)).fetchone()
        return row is not None

    def _hash_in(
        self, table: str, content_hash: str, source: str | None, other_than: str = ""
    ) -> bool:
        rows = self.db.execute(f"SELECT id FROM {table} WHERE content_hash = ?", (content_hash,))
        return any((source is None or _source(r[0]) == source) and r[0] != other_than for r in rows)

    # -- a run's claims ---------------------------------------------------------------------
    def claim(self, story_id: str, content_hash: str, run: str) -> bool:
        """Hold a story for ``run`` unless its id or content hash is seen or held: True if new."""
        source = _source(story_id)
        with self.transaction():
            for table in _HOLDING:
                if self._held(table, story_id) or self._hash_in(table, content_hash, source):
                    return False
            self.db.execute("INSERT INTO claims VALUES (?, ?, ?)", (story_id, content_hash, run))
        return True

    def claim_again(self, story_id: str, content_hash: str, run: str) -> str | None:
        """Hold a seen story for ``run`` to write again: the run that wrote it, or None (see
        ``SeenStore.claim_again``)."""
        source = _source(story_id)
        with self.transaction():
            query = "SELECT content_hash, run FROM stories WHERE id = ?"
            earlier = self.db.execute(query, (story_id,)).fetchone()
            if earlier is None or any(self._held(t, story_id) for t in _HOLDING[1:]):
                return None
            if any(self._hash_in(t, content_hash, source, story_id) for t in _HOLDING):
                return None
            row = (story_id, content_hash, run, *earlier)
            self.db.execute("INSERT INTO rewrites VALUES (?, ?, ?, ?, ?)", row)
        return str(earlier[1])

    def release(self, story_id: str, content_hash: str, run: str) -> None:
        """Give back a claim of ``run`` and its cluster row (the story is new again), or a claim
        again (the story stays its earlier writer's)."""
        with self.transaction():
            self.db.execute("DELETE FROM claims WHERE id = ? AND run = ?", (story_id, run))
            self.db.execute("DELETE FROM rewrites WHERE id = ? AND run = ?", (story_id, run))
            for sql in _FORGET_CLUSTERS:
                self.db.execute(sql.format(story=" AND story = ?"), (run, story_id))

    def add(self, story_id: str, content_hash: str, run: str) -> None:
        """Record a story as written by ``run`` (what a committed claim becomes): for filling
        a state in tests and benchmarks."""
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

    @contextmanager
    def durable(self) -> Iterator[None]:
        """A transaction whose COMMIT fsyncs the WAL (synchronous=FULL), and so makes it and
        every earlier transaction survive a power loss (see the module's docstring)."""
        self.db.execute("PRAGMA synchronous=FULL")
        try:
            with self.transaction():
                yield
        finally:
            self.db.execute("PRAGMA synchronous=NORMAL")

    def cluster_index(self) -> ClusterIndex:
        """The cluster state in the same file, committed with each article like the stories."""
        from newscrawl.run.clusters_sqlite import SqliteClusterIndex

        return SqliteClusterIndex(self)

    # -- a run's states: durable ------------------------------------------------------------
    def begin_run(self, run: str, file: str) -> bool:
        """Record a new run as ``started``; False if the name is taken."""
        with self.durable():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?)", (run, file, STARTED)
            )
        return cursor.rowcount == 1

    def commit(self, run: str) -> set[str]:
        """Move the run's claims into the seen stories, and make it the writer of the stories
        it claimed again, durably; one writer per spider, so none was lost to another."""
        with self.durable():
            self.db.execute(
                "INSERT INTO stories SELECT id, content_hash, run FROM claims WHERE run = ?", (run,)
            )
            self.db.execute("DELETE FROM claims WHERE run = ?", (run,))
            self.db.execute(_REWRITE.format(new="content_hash, run"), (run,))
        return set()

    def replaced(self, run: str) -> dict[str, int]:
        """The earlier writers of the stories the run's commit made its own."""
        rows = self.db.execute(
            "SELECT r.earlier_run, count(*) FROM rewrites AS r JOIN stories AS s "
            "ON s.id = r.id AND s.run = r.run WHERE r.run = ? GROUP BY 1",
            (run,),
        )
        return {str(earlier): int(n) for earlier, n in rows}

    def set_run_state(self, run: str, state: str) -> None:
        """The run's state; once it is listed, what its roll-back would have put back goes."""
        with self.durable():
            self.db.execute("UPDATE runs SET state = ? WHERE run = ?", (state, run))
            if state == LISTED:
                self.db.execute("DELETE FROM rewrites WHERE run = ?", (run,))

    def unfinished_runs(self) -> list[tuple[str, str, str]]:
        """(run, file, state) of runs that did not get as far as their runs.jsonl line."""
        rows = self.db.execute("SELECT run, file, state FROM runs WHERE state != 'listed'")
        return [(r[0], r[1], r[2]) for r in rows]

    def run_names(self, source: str) -> set[str]:
        """Names of the runs of ``source`` this state has seen (from any output folder)."""
        rows = self.db.execute("SELECT run FROM runs WHERE run LIKE ?", (f"{source}/%",))
        return {row[0].split("/", 1)[1] for row in rows}

    def adopt(self, run: str, file: str, stories: Iterable[tuple[str, str]]) -> set[str]:
        """Record a run whose file is final, and its stories, as recovery found them."""
        added = set()
        with self.durable():
            self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (run, file, DONE))
            for story_id, content_hash in stories:
                self.db.execute("DELETE FROM claims WHERE id = ?", (story_id,))
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO stories VALUES (?, ?, ?)", (story_id, content_hash, run)
                )
                if cursor.rowcount:
                    added.add(story_id)
        return added

    def forget_run(self, run: str) -> None:
        """Roll a run back: its stories were never written to a complete file."""
        with self.durable():
            self.db.execute("DELETE FROM claims WHERE run = ?", (run,))
            self.db.execute(_REWRITE.format(new="earlier_hash, earlier_run"), (run,))
            self.db.execute("DELETE FROM rewrites WHERE run = ?", (run,))
            self.db.execute("DELETE FROM stories WHERE run = ?", (run,))
            for sql in _FORGET_CLUSTERS:
                self.db.execute(sql.format(story=""), (run,))
            self.db.execute("DELETE FROM runs WHERE run = ?", (run,))

    def close(self) -> None:
        self.db.close()
