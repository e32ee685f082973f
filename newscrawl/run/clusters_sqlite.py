"""SqliteClusterIndex: the cluster state (``newscrawl.clusters``) in the seen store's SQLite file
(``seen_sqlite.py``: its tables ``cluster_members`` and ``cluster_bands``), committed and rolled
back with the stories."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from newscrawl.clusters import Fingerprint, Member
from newscrawl.clusters.scheme import sqlite_record, sqlite_recorded

if TYPE_CHECKING:
    from newscrawl.run.seen_sqlite import SqliteSeenStore


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

    def story_cluster(self, story_id: str) -> str | None:
        row = self.store.db.execute(
            "SELECT cluster FROM cluster_members WHERE story = ? ORDER BY member LIMIT 1",
            (story_id,),
        ).fetchone()
        return None if row is None else str(row[0])

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
