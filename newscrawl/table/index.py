"""The table's index: where each story's row is (its month) and which run gave it, and which
runs the table holds. A SQLite file beside the partitions, ``table/_index.sqlite3`` (readers
skip names starting with ``_``), derived from the table like the table from the JSON lines.

It is what keeps an update proportional to the run: a run's ids are looked up here, not in
every partition, to find the rows they replace (a re-extraction may move a story to another
month when its date was corrected).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscrawl.table.marks import Mark
from newscrawl.wal import connect_wal

INDEX_FILE = "_index.sqlite3"
LOOKUP_BATCH = 500  # ids per query: under SQLite's limit of bound parameters

SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,  -- the story's id
    month TEXT,           -- its partition: YYYY-MM, or null (no published_at)
    run TEXT NOT NULL     -- the run whose row the table holds
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    source TEXT NOT NULL,
    run TEXT NOT NULL,
    PRIMARY KEY (source, run)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS marks (  -- how far each source's runs.jsonl is applied (marks.py)
    source TEXT PRIMARY KEY,
    end_offset INTEGER NOT NULL,  -- every listed run before it is applied
    prefix_sha256 TEXT NOT NULL   -- of the bytes before it: changed, the file is read whole
) WITHOUT ROWID;
"""


def run_key(run: str) -> tuple[str, int]:
    """Run names in run order: ``_10`` comes after ``_9`` (CONTRACT §2 names the runs).

    >>> sorted(["20261128T031202Z_10", "20261128T031202Z_2", "20261128T031202Z"], key=run_key)
    ['20261128T031202Z', '20261128T031202Z_2', '20261128T031202Z_10']
    """
    stamp, _, n = run.partition("_")
    return stamp, int(n) if n.isdigit() else 1


class TableIndex:
    """The SQLite index of one table folder; every write is one transaction."""

    def __init__(self, table: Path) -> None:
        self.path = table / INDEX_FILE
        self.db = connect_wal(self.path, timeout_s=60)  # `with self.db`: one transaction
        self.db.execute("PRAGMA synchronous = FULL")  # it is committed after the files it names
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def mark(self, source: str) -> Mark | None:
        """How far ``source``'s ``runs.jsonl`` is applied (``marks.py``), or None."""
        query = "SELECT end_offset, prefix_sha256 FROM marks WHERE source = ?"
        row = self.db.execute(query, (source,)).fetchone()
        return Mark(int(row[0]), str(row[1])) if row else None

    def set_mark(self, source: str, mark: Mark) -> None:
        """Record how far ``source``'s ``runs.jsonl`` is applied (one transaction)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO marks VALUES (?, ?, ?)", (source, *mark))

    def is_applied(self, source: str, run: str) -> bool:
        query = "SELECT 1 FROM runs WHERE source = ? AND run = ?"
        return self.db.execute(query, (source, run)).fetchone() is not None

    def lookup(self, ids: list[str]) -> dict[str, tuple[str | None, str]]:
        """``{id: (month, run)}`` for the ids the table holds a row of."""
        found: dict[str, tuple[str | None, str]] = {}
        for start in range(0, len(ids), LOOKUP_BATCH):
            batch = ids[start : start + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            query = f"SELECT id, month, run FROM stories WHERE id IN ({marks})"
            found.update({i: (month, run) for i, month, run in self.db.execute(query, batch)})
        return found

    def record(
        self, source: str, runs: Iterable[str], rows: Iterable[tuple[str, str | None, str]]
    ) -> None:
        """Note the rows now in the table (``(id, month, run)``) and the runs applied."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)", rows)
            self.db.executemany(
                "INSERT OR IGNORE INTO runs VALUES (?, ?)", ((source, run) for run in runs)
            )
