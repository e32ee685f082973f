"""The seen-store contract (newscrawl/run/seen.py), once, against both stores: SQLite and a
real Redis. What only one store does (the lock, leases lapsing) is tested beside it
(tests/test_state.py, tests/test_redis_store.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from scrapy.utils.test import get_crawler

from newscrawl.clusters import fingerprint
from newscrawl.run.seen import SeenStore
from newscrawl.run.seen_sqlite import SqliteSeenStore

A, B = "menafn/20260101T000000Z", "menafn/20260101T000000Z_2"
H1, H2 = "sha256:" + "1" * 64, "sha256:" + "2" * 64
TEXT = " ".join(f"word{n}" for n in range(60)) + " price 42.5 rose on Monday"

Opener = Callable[[str], SeenStore]  # a worker's handle on the one shared store, by folder


pytestmark = pytest.mark.usefixtures("asyncio_loop")  # the stores' lease heartbeat


@pytest.fixture(params=["sqlite", "redis"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    opened: list[SeenStore] = []

    def sqlite(folder: str) -> SeenStore:
        opened.append(SqliteSeenStore(str(tmp_path / "seen.sqlite3")))
        return opened[-1]

    def shared(folder: str) -> SeenStore:
        from newscrawl.distributed.seen import RedisSeenStore

        settings = {"NEWSCRAWL_REDIS_URL": url, "NEWSCRAWL_REDIS_LEASE": 30}
        opened.append(
            RedisSeenStore.from_crawler(get_crawler(settings_dict=settings), Path(folder))
        )
        return opened[-1]

    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        redis.Redis.from_url(url).flushdb()
    yield sqlite if request.param == "sqlite" else shared
    for store in opened:
        store.close()


def begun(opener: Opener, run: str, folder: str = "a") -> SeenStore:
    store = opener(folder)
    assert store.begin_run(run, f"/{folder}/{run}.jsonl")
    return store


def committed(store: SeenStore, run: str) -> None:
    assert store.commit(run) == set()
    store.set_run_state(run, "committed")


def test_a_claim_is_pending_until_its_run_commits(opener: Opener) -> None:
    store = begun(opener, A)
    assert store.claim("menafn:1", H1, A)
    assert store.known_ids(["menafn:1", "menafn:2"]) == set()  # claimed is not seen
    committed(store, A)
    assert store.known_ids(["menafn:1", "menafn:2"]) == {"menafn:1"}
    assert opener("b").known_ids(["menafn:1"]) == {"menafn:1"}  # seen by every worker


def test_a_story_is_held_once_by_its_id_and_its_hash_within_its_source(opener: Opener) -> None:
    first, second = begun(opener, A), begun(opener, B, "b")
    assert first.claim("menafn:1", H1, A)
    assert not first.claim("menafn:1", H1, A)  # not twice by its own run
    assert not second.claim("menafn:1", H2, B)  # the id is held
    assert not second.claim("menafn:2", H1, B)  # the content hash is held, in its source
    assert second.claim("prnewswire:7", H1, B)  # another source's copy: a copy, not a duplicate
    committed(first, A)
    assert not second.claim("menafn:1", H2, B)  # and seen now
    assert not second.claim("menafn:3", H1, B)


def test_a_released_claim_is_free_again_and_takes_its_cluster_row(opener: Opener) -> None:
    first, second = begun(opener, A), begun(opener, B, "b")
    assert first.claim("menafn:1", H1, A)
    found = fingerprint(TEXT)
    assert found is not None
    first.cluster_index().add("menafn:1", "menafn:1", found, A)
    first.release("menafn:1", H1, A)
    assert first.cluster_index().candidates(found.bands, 10) == []
    assert second.claim("menafn:1", H1, B)  # by id and by hash
    committed(first, A)  # nothing of it is committed with its run
    assert second.known_ids(["menafn:1"]) == set()


def test_releasing_a_story_another_run_holds_leaves_it_held(opener: Opener) -> None:
    first, second = begun(opener, A), begun(opener, B, "b")
    assert first.claim("menafn:1", H1, A)
    second.release("menafn:1", H1, B)
    assert not second.claim("menafn:1", H1, B)


def test_a_rolled_back_run_leaves_nothing_behind(opener: Opener) -> None:
    store = begun(opener, A)
    assert store.claim("menafn:1", H1, A)
    assert store.claim("menafn:2", H2, A)
    found = fingerprint(TEXT)
    assert found is not None
    store.cluster_index().add("menafn:1", "menafn:1", found, A)
    assert store.commit(A) == set()  # killed after committing its claims, before 'committed'
    store.forget_run(A)
    assert store.known_ids(["menafn:1", "menafn:2"]) == set()
    assert store.cluster_index().candidates(found.bands, 10) == []
    assert store.unfinished_runs() == []
    assert store.run_names("menafn") == set()
    again = begun(opener, B)
    assert again.claim("menafn:1", H1, B)
    assert again.claim("menafn:2", H2, B)


def test_a_run_is_unfinished_until_listed_and_its_name_is_taken_for_good(opener: Opener) -> None:
    store = begun(opener, A)
    assert store.unfinished_runs() == [(A, f"/a/{A}.jsonl", "started")]
    assert not opener("b").begin_run(A, f"/b/{A}.jsonl")  # one name, one run, everywhere
    committed(store, A)
    store.set_run_state(A, "done")
    assert store.unfinished_runs() == [(A, f"/a/{A}.jsonl", "done")]
    store.set_run_state(A, "listed")
    assert store.unfinished_runs() == []
    assert store.run_names("menafn") == {A.split("/")[1]}
    assert store.run_names("prnewswire") == set()


# -- a re-extraction: seen stories claimed again ------------------------------------------------
C = "menafn/20260101T000000Z_3"
H3 = "sha256:" + "3" * 64


def written(opener: Opener, run: str, *stories: tuple[str, str]) -> SeenStore:
    """A run that wrote ``stories`` (id, hash) and was listed."""
    store = begun(opener, run)
    for story_id, content_hash in stories:
        assert store.claim(story_id, content_hash, run)
    committed(store, run)
    store.set_run_state(run, "listed")
    return store


def test_a_seen_story_is_claimed_again_and_its_run_becomes_its_writer(opener: Opener) -> None:
    written(opener, A, ("menafn:1", H1))
    again = begun(opener, B)
    assert not again.claim("menafn:1", H1, B)  # a claim never takes a seen story
    assert again.claim_again("menafn:1", H1, B) == A  # the text unchanged: its own hash
    assert again.claim_again("menafn:1", H1, B) is None  # once per run
    assert opener("b").claim_again("menafn:1", H3, C) is None  # held by B
    assert again.known_ids(["menafn:1"]) == {"menafn:1"}  # seen all along
    assert again.replaced(B) == {}  # nothing until it commits
    committed(again, B)
    assert again.replaced(B) == {A: 1}  # what its runs.jsonl line says
    again.set_run_state(B, "listed")
    assert again.replaced(B) == {}
    third = begun(opener, C, "c")
    assert third.claim_again("menafn:1", H3, C) == B  # B wrote it last


def test_a_story_never_seen_is_not_claimed_again_but_claimed(opener: Opener) -> None:
    store = begun(opener, A)
    assert store.claim_again("menafn:1", H1, A) is None
    assert store.claim("menafn:1", H1, A)
    assert store.claim_again("menafn:1", H1, A) is None  # held, not seen


def test_another_story_s_hash_stays_a_duplicate_when_claimed_again(opener: Opener) -> None:
    written(opener, A, ("menafn:1", H1), ("menafn:2", H2))
    again = begun(opener, B)
    assert again.claim_again("menafn:1", H2, B) is None  # menafn:2's text, seen
    assert again.claim_again("menafn:1", H3, B) == A  # a new text
    assert not again.claim("menafn:3", H3, B)  # held under menafn:1 now
    assert again.claim_again("menafn:2", H3, B) is None
    assert again.claim("prnewswire:9", H3, B)  # another source's copy is no duplicate
    committed(again, B)
    assert not begun(opener, C, "c").claim("menafn:4", H3, C)  # seen under menafn:1


def test_a_claim_again_given_back_leaves_the_story_its_writer_s(opener: Opener) -> None:
    written(opener, A, ("menafn:1", H1))
    again = begun(opener, B)
    assert again.claim_again("menafn:1", H3, B) == A
    again.release("menafn:1", H3, B)
    committed(again, B)
    assert again.replaced(B) == {}
    assert begun(opener, C, "c").claim_again("menafn:1", H3, C) == A
    assert not opener("d").claim("menafn:5", H1, "menafn/x")  # its hash still its


def test_a_re_extraction_rolled_back_after_its_commit_gives_the_stories_back(
    opener: Opener,
) -> None:
    written(opener, A, ("menafn:1", H1))
    again = begun(opener, B)
    assert again.claim_again("menafn:1", H3, B) == A
    assert again.claim("menafn:2", H2, B)  # a story the state never had, claimed as usual
    assert again.commit(B) == set()  # killed after committing, before 'committed'
    again.forget_run(B)
    assert again.replaced(B) == {}
    store = begun(opener, C, "c")
    assert store.known_ids(["menafn:1", "menafn:2"]) == {"menafn:1"}
    assert not store.claim("menafn:6", H1, C)  # menafn:1's text is its again
    assert store.claim("menafn:7", H3, C)  # the rolled-back text is nobody's
    assert store.claim_again("menafn:1", H2, C) == A  # written by A, as before


def test_a_story_claimed_again_keeps_its_cluster(opener: Opener) -> None:
    from newscrawl.clusters import cluster_of, kept_cluster

    first = fingerprint(TEXT)
    changed = fingerprint(TEXT.replace("rose", "fell").replace("word7 ", ""))
    other = fingerprint(" ".join(f"other{n}" for n in range(60)) + " on Friday")
    assert first is not None
    assert changed is not None
    assert other is not None
    store = begun(opener, A)
    index = store.cluster_index()
    assert cluster_of(index, "prnewswire:1", first, A) == "prnewswire:1"
    assert cluster_of(index, "menafn:1", first, A) == "prnewswire:1"  # a copy
    assert kept_cluster(index, "menafn:1", other, B) == "prnewswire:1"  # whatever its text
    assert kept_cluster(index, "menafn:2", other, B) == "menafn:2"  # never had a row: its own
    assert index.story_cluster("menafn:2") == "menafn:2"  # now it has one, under B
    assert kept_cluster(index, "menafn:2", changed, B) == "menafn:2"
    store.forget_run(B)
    assert index.story_cluster("menafn:2") is None  # B's row went with it
    assert index.story_cluster("menafn:1") == "prnewswire:1"  # A's stays
