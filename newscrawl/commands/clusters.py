"""`scrapy clusters rebuild`: refill the story-cluster index from the articles already written.

Run it after an upgrade that changed the cluster scheme (a crawl then refuses with one line
naming both schemes, exit status 2). It reads ``NEWSCRAWL_OUTPUT_DIR`` (every source folder's
``runs.jsonl`` and articles) and rebuilds the index of the state those runs share
(``NEWSCRAWL_STATE``, or Redis with ``NEWSCRAWL_REDIS_URL``); nothing is fetched. Articles of
the state written under other output folders are not read. Exit status: 0 rebuilt, 1 Redis
failed or the state (or its lock) could not be written, 2 bad usage or an output folder whose
runs cannot be read (a listed file missing, a damaged line), 75 a crawl holds the state's lock.
"""

from __future__ import annotations

import argparse
import sqlite3
from contextlib import nullcontext
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.settings import BaseSettings

from newscrawl.clusters.rebuild import Rebuilt, listed_runs, refill, source_folders
from newscrawl.clusters.scheme import SCHEME, UNFINISHED, SchemeMismatch, check_sqlite_file
from newscrawl.commands import EX_TEMPFAIL, EX_USAGE, fail
from newscrawl.run.layout import state_file
from newscrawl.run.lock import StateLock, StateLocked
from newscrawl.run.seen import StoreUnavailable
from newscrawl.run.seen_sqlite import SqliteSeenStore

SQLITE_TABLES = ("cluster_bands", "cluster_members")  # this version's are made by the store


def check_scheme(settings: BaseSettings) -> None:
    """Raise ``SchemeMismatch`` if the state a crawl would use holds another scheme's index
    (Redis: only if it answers now; a run that cannot reach it fails on its own)."""
    url = settings.get("NEWSCRAWL_REDIS_URL")
    if url:
        import redis  # a distributed crawl only

        from newscrawl.distributed.clusters import RedisClusterIndex

        server = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        try:
            recorded = RedisClusterIndex(server, nullcontext).recorded_scheme()
        except redis.RedisError:
            return
        finally:
            server.close()
        if recorded not in (None, SCHEME):
            raise SchemeMismatch("Redis", str(recorded))
        return
    check_sqlite_file(state_path(settings))


def state_path(settings: BaseSettings) -> str:
    return state_file(Path(settings["NEWSCRAWL_OUTPUT_DIR"]), settings.get("NEWSCRAWL_STATE"))


def rebuild_sqlite(path: str, output_dir: Path) -> Rebuilt:
    """Rebuild the index in a SQLite state under every source's lock; a rebuild that stops
    half-way leaves the record ``UNFINISHED``, so no crawl uses a partial index."""
    locks = [StateLock(path, folder.name) for folder in source_folders(output_dir)]
    try:
        for lock in locks:
            lock.acquire()  # raises StateLocked: a crawl is using the state
        runs = listed_runs(output_dir)  # a missing file fails here, before anything is emptied
        store = SqliteSeenStore(path)
        store.cluster_index().record_scheme(UNFINISHED)
        for table in SQLITE_TABLES:
            store.db.execute(f"DROP TABLE IF EXISTS {table}")
        store.close()
        store = SqliteSeenStore(path)  # creates this version's cluster tables
        index = store.cluster_index()
        with store.transaction():
            rebuilt = refill(index, runs)
            index.record_scheme(SCHEME)
        store.close()
        return rebuilt
    finally:
        for lock in locks:
            lock.release()


def rebuild_redis(url: str, output_dir: Path) -> Rebuilt:
    """Rebuild the shared index in Redis (stop the workers first: nothing locks it)."""
    import redis

    from newscrawl.distributed.clusters import RedisClusterIndex

    runs = listed_runs(output_dir)
    index = RedisClusterIndex(redis.Redis.from_url(url), nullcontext)
    try:
        index.record_scheme(UNFINISHED)
        index.clear()
        rebuilt = refill(index, runs)
        index.record_scheme(SCHEME)
    except redis.RedisError as exc:
        raise StoreUnavailable(f"Redis failed: {exc}") from None
    return rebuilt


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "rebuild"

    def short_desc(self) -> str:
        return "Rebuild the story-cluster index from the articles already written"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args != ["rebuild"]:
            fail(EX_USAGE, "usage: scrapy clusters rebuild")
        assert self.settings is not None
        output_dir = Path(self.settings["NEWSCRAWL_OUTPUT_DIR"])
        url, path = self.settings.get("NEWSCRAWL_REDIS_URL"), state_path(self.settings)
        if not output_dir.is_dir():
            fail(EX_USAGE, f"output folder not found: {output_dir}")
        if not url and not path:
            fail(EX_USAGE, "NEWSCRAWL_STATE is empty (in memory): there is no index to rebuild")
        try:
            rebuilt = rebuild_redis(url, output_dir) if url else rebuild_sqlite(path, output_dir)
        except StateLocked as exc:
            fail(EX_TEMPFAIL, f"{exc}; not rebuilt")
        except StoreUnavailable as exc:
            fail(1, f"{exc}; not rebuilt")
        except (OSError, sqlite3.Error) as exc:  # the state or its lock cannot be written
            fail(1, f"{exc}; not rebuilt")
        except ValueError as exc:  # a listed file missing, a damaged line
            fail(EX_USAGE, f"{exc}; not rebuilt")
        print(rebuilt.summary())
