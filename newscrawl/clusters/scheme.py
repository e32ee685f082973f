"""The cluster scheme: how fingerprints are made, recorded in the state that keeps them.

Signatures, features and band keys stored by one scheme mean nothing to another: a copy looked
up with other hashes finds nothing, and says nothing. So the state records the scheme that
filled it; a run of another scheme refuses to start (``SchemeMismatch``, one line naming both,
exit status 2), and ``scrapy clusters rebuild`` refills the index from the articles already
written (``newscrawl.clusters.rebuild``). A state whose cluster rows predate the record was
filled by ``LEGACY`` (newscrawl 0.2).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from newscrawl.clusters.features import HEAD_WORDS, SLOT_BITS, SLOT_WORDS, VALUE_BITS
from newscrawl.clusters.minhash import BANDS, NUM_PERM, ROWS, SHINGLE_WORDS

SCHEME = (
    f"v2: {SHINGLE_WORDS}-word shingles, xxh3_64, {NUM_PERM} multiply-shift permutations, "
    f"8-bit values, {BANDS}x{ROWS} bands, "
    f"features slots-{SLOT_WORDS} heads-{HEAD_WORDS} {SLOT_BITS}+{VALUE_BITS}-bit/1"
)
LEGACY = (
    "v1: 4-word shingles, sha1_32, 128 datasketch affine32 permutations, 8-bit values, "
    "26x4 bands, features numbers/1"
)
UNFINISHED = "an unfinished rebuild"
REBUILD = "scrapy clusters rebuild"
_TABLE = (
    "CREATE TABLE IF NOT EXISTS cluster_scheme "
    "(one INTEGER PRIMARY KEY CHECK (one = 1), scheme TEXT NOT NULL)"
)


class SchemeMismatch(ValueError):
    """The state's cluster index was made by another scheme than this version's."""

    def __init__(self, where: str, recorded: str) -> None:
        super().__init__(
            f"the cluster index in {where} was made by scheme {recorded!r}, this version uses "
            f"{SCHEME!r}: run `{REBUILD}` (it rebuilds it from the articles written, no refetch)"
        )


class SchemeRecord(Protocol):
    """Where a state keeps its scheme (the SQLite file, Redis)."""

    def recorded_scheme(self) -> str | None:
        """The scheme of the index; ``LEGACY`` for rows without a record; None when empty."""
        ...

    def record_scheme(self, scheme: str) -> None: ...


def adopt(record: SchemeRecord, where: str) -> None:
    """Record ``SCHEME`` in a state that holds no cluster rows yet; raise ``SchemeMismatch``
    when the state's index was made by another scheme (or a rebuild did not finish)."""
    recorded = record.recorded_scheme()
    if recorded is None:
        record.record_scheme(SCHEME)
    elif recorded != SCHEME:
        raise SchemeMismatch(where, recorded)


def sqlite_recorded(db: sqlite3.Connection) -> str | None:
    """The scheme recorded in a SQLite state (``SchemeRecord.recorded_scheme``)."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "cluster_scheme" in tables:
        row = db.execute("SELECT scheme FROM cluster_scheme").fetchone()
        if row is not None:
            return str(row[0])
    if "cluster_members" in tables and db.execute("SELECT 1 FROM cluster_members").fetchone():
        return LEGACY
    return None


def sqlite_record(db: sqlite3.Connection, scheme: str) -> None:
    """Record ``scheme`` as the SQLite state's (``SchemeRecord.record_scheme``)."""
    db.execute(_TABLE)
    db.execute("INSERT OR REPLACE INTO cluster_scheme VALUES (1, ?)", (scheme,))


def check_sqlite_file(path: str) -> None:
    """Raise ``SchemeMismatch`` if the SQLite state at ``path`` holds another scheme's index
    (read only: a state that does not exist yet is fine, and one SQLite cannot read is left
    for the run to report, which names it)."""
    if not path or not Path(path).exists():
        return
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError:  # a folder in its place: the run's state check names it
        return
    try:
        recorded = sqlite_recorded(db)
    except sqlite3.DatabaseError:
        return
    finally:
        db.close()
    if recorded not in (None, SCHEME):
        raise SchemeMismatch(path, recorded)
