"""The seen store and the state lock."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from newscrawl.run.lock import StateLock, StateLocked
from newscrawl.run.seen_sqlite import SqliteSeenStore

RUN = "menafn/20260101T000000Z"
HASH = "sha256:" + "a" * 64


@pytest.fixture(params=["file", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SqliteSeenStore:
    path = str(tmp_path / "state" / "seen.sqlite3") if request.param == "file" else ""
    store = SqliteSeenStore(path)
    store.begin_run(RUN, f"{RUN}.jsonl")
    return store


def test_ids_and_hashes_are_known_once_added(store: SqliteSeenStore) -> None:
    assert not store.has_id("menafn:1")
    assert not store.has_hash(HASH)
    store.add("menafn:1", HASH, RUN)
    assert store.has_id("menafn:1")
    assert store.has_hash(HASH)
    assert store.known_ids(["menafn:1", "menafn:2"]) == {"menafn:1"}


def test_known_ids_handles_large_batches(store: SqliteSeenStore) -> None:
    for n in range(1200):
        store.add(f"menafn:{n}", f"sha256:{n:064x}", RUN)
    ids = [f"menafn:{n}" for n in range(0, 2400, 2)]
    assert store.known_ids(ids) == {f"menafn:{n}" for n in range(0, 1200, 2)}


def test_an_id_is_stored_once(store: SqliteSeenStore) -> None:
    store.add("menafn:1", HASH, RUN)
    with pytest.raises(sqlite3.IntegrityError):
        store.add("menafn:1", HASH, RUN)


def test_forgetting_a_run_rolls_its_stories_back(tmp_path: Path) -> None:
    path = str(tmp_path / "seen.sqlite3")
    store = SqliteSeenStore(path)
    store.begin_run(RUN, f"{RUN}.jsonl")
    store.add("menafn:1", HASH, RUN)
    store.close()
    again = SqliteSeenStore(path)
    assert again.unfinished_runs() == [(RUN, f"{RUN}.jsonl", "started")]
    again.forget_run(RUN)
    assert not again.has_id("menafn:1")
    assert again.unfinished_runs() == []


def test_a_listed_run_is_finished(tmp_path: Path) -> None:
    store = SqliteSeenStore(str(tmp_path / "seen.sqlite3"))
    store.begin_run(RUN, f"{RUN}.jsonl")
    store.set_run_state(RUN, "done")
    assert store.unfinished_runs() == [(RUN, f"{RUN}.jsonl", "done")]
    store.set_run_state(RUN, "listed")
    assert store.unfinished_runs() == []


def _try_lock(path: str, result: multiprocessing.Queue[str], source: str = "menafn") -> None:
    try:
        StateLock(path, source).acquire()
        result.put("acquired")
    except StateLocked as exc:
        result.put(str(exc))


def test_the_lock_excludes_another_process_until_released(tmp_path: Path) -> None:
    path = str(tmp_path / "seen.sqlite3")
    lock = StateLock(path, "menafn")
    lock.acquire()
    result: multiprocessing.Queue[str] = multiprocessing.Queue()
    other = multiprocessing.Process(target=_try_lock, args=(path, result))
    other.start()
    other.join(10)
    assert "another run holds the lock" in result.get(timeout=5)
    another_spider = multiprocessing.Process(target=_try_lock, args=(path, result, "prnewswire"))
    another_spider.start()
    another_spider.join(10)
    assert result.get(timeout=5) == "acquired"  # one lock per spider: they may share a state
    lock.release()
    other = multiprocessing.Process(target=_try_lock, args=(path, result))
    other.start()
    other.join(10)
    assert result.get(timeout=5) == "acquired"


def test_a_content_hash_is_known_per_source(store: SqliteSeenStore) -> None:
    """The same text on another source is a copy to link, not a duplicate to drop."""
    store.add("menafn:1", HASH, RUN)
    assert store.has_hash(HASH, "menafn")
    assert not store.has_hash(HASH, "prnewswire")
    assert store.has_hash(HASH)  # any source
