"""The seen store: which stories were written, shared by all runs (and by the workers of a
distributed crawl). One contract, two stores: SQLite (``seen_sqlite.py``) and Redis
(``newscrawl.distributed.seen``); ``tests/test_seen_store.py`` holds both to it.

A story is *claimed* for a run (its id, and its content hash within its source, are then held
by that run), and stays a pending claim until the run *commits*: only then is it *seen*
(``known_ids``), and only a run's commit makes it durable. A claim the run gives up
(``release``: a later stage failed, the line could not be written) frees the story and its
cluster row at once; a run rolled back (``forget_run``) gives up all of them.

A re-extraction writes seen stories again: it *claims them again* (``claim_again``), which
holds the story for its run like a claim, and its commit makes the run the story's writer
(with the new content hash). Rolled back, the story is the earlier run's again, as it was.

A run's states, as ``unfinished_runs`` reports them (the protocol is in ``commit.py``):
``started`` (nothing committed: roll back), ``committed`` (stories committed, the ``.part``
file complete: roll forward), ``done`` (file final, not yet in ``runs.jsonl``); then
``listed``, finished.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawl.clusters import ClusterIndex

STARTED, COMMITTED, DONE, LISTED = "started", "committed", "done", "listed"


class StoreUnavailable(Exception):
    """The store cannot be reached (a Redis server gone mid-run); the run cannot commit."""


# What a store raises when it cannot do its part: Redis gone, an SQLite file that cannot be
# written (disk full, I/O error, locked past the busy timeout).
STORE_ERRORS: tuple[type[Exception], ...] = (StoreUnavailable, sqlite3.Error)


class SeenStore(Protocol):
    """What runs need from a store of seen stories (see the module's docstring)."""

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that committed runs wrote (pending claims are not seen)."""
        ...

    def claim(self, story_id: str, content_hash: str, run: str) -> bool:
        """Hold a story for ``run``: False if its id, or its content hash within its source
        (the id's prefix), is seen or held by a run (this one included)."""
        ...

    def claim_again(self, story_id: str, content_hash: str, run: str) -> str | None:
        """Hold a story committed runs wrote for ``run`` to write again (a re-extraction): the
        run that wrote it last ("" where the store does not know), or None when it cannot be:
        its id is not seen (then ``claim`` it, a new story), or is held by a run (this one
        included), or its content hash is another story's, seen or held, in its source."""
        ...

    def release(self, story_id: str, content_hash: str, run: str) -> None:
        """Give back a claim (or a claim again) of ``run`` that will not be written, and its
        cluster row."""
        ...

    def begin_run(self, run: str, file: str) -> bool:
        """Record a new run as ``started`` (``file``: its final article file); False if the
        name is taken."""
        ...

    def commit(self, run: str) -> set[str]:
        """Make the run's claims seen and durable, and the run the writer of the stories it
        claimed again: the ids it no longer held (another worker took them after its lease
        lapsed), whose lines must leave its file."""
        ...

    def replaced(self, run: str) -> dict[str, int]:
        """The runs (``source/name``; "" where the store does not know) that last wrote the
        stories ``run`` committed again, with how many: what a re-extraction replaced. Empty
        before its commit and once it is listed."""
        ...

    def set_run_state(self, run: str, state: str) -> None: ...

    def unfinished_runs(self) -> list[tuple[str, str, str]]:
        """(run, file, state) of this store's runs that were not listed (a distributed store:
        this worker's)."""
        ...

    def run_names(self, source: str) -> set[str]:
        """Names of the runs of ``source`` the store has seen (from any output folder)."""
        ...

    def adopt(self, run: str, file: str, stories: Iterable[tuple[str, str]]) -> set[str]:
        """Record ``run`` as ``done`` (its article file ``file`` is final) and its stories
        (id, content hash) as seen: recovery, where the store lost them. The ids it added."""
        ...

    def forget_run(self, run: str) -> None:
        """Roll a run back: its claims, committed stories and cluster rows go, and its record;
        the stories it claimed again are their earlier writers' again."""
        ...

    def cluster_index(self) -> ClusterIndex: ...

    def close(self) -> None: ...


def open_store(crawler: Crawler, folder: Path, path: str) -> SeenStore:
    """The run's seen store: Redis when ``NEWSCRAWL_REDIS_URL`` is set (reached now, else
    ``RedisUnavailable``), else SQLite at ``path`` ("" keeps it in memory)."""
    if crawler.settings.get("NEWSCRAWL_REDIS_URL"):
        from newscrawl.distributed.seen import RedisSeenStore  # redis only when distributed

        return RedisSeenStore.from_crawler(crawler, folder)
    from newscrawl.run.seen_sqlite import SqliteSeenStore

    return SqliteSeenStore(path)
