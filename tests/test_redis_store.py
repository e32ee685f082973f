"""RedisSeenStore and the JSON request format, against a real redis-server (no Scrapy run)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler

from newscrawl.distributed import requests
from newscrawl.distributed.seen import LeaseLost, RedisSeenStore
from newscrawl.spiders.menafn import MenafnSpider

A, B = "menafn/20260101T000000Z", "menafn/20260101T000000Z_2"
H1, H2 = "sha256:" + "1" * 64, "sha256:" + "2" * 64


pytestmark = pytest.mark.usefixtures("asyncio_loop")  # the stores' lease heartbeat


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client


def store(redis_url: str, folder: str) -> RedisSeenStore:
    settings = {"NEWSCRAWL_REDIS_URL": redis_url, "NEWSCRAWL_REDIS_LEASE": 30}
    crawler = get_crawler(settings_dict=settings)
    return RedisSeenStore.from_crawler(crawler, Path(folder))


def started(redis_url: str, folder: str, run: str) -> RedisSeenStore:
    seen = store(redis_url, folder)
    assert seen.begin_run(run, f"/{folder}/{run}.jsonl")
    return seen


def lapse(server: redis.Redis, run: str) -> None:
    """The run's worker went silent past its lease (killed, or stopped)."""
    server.delete(f"newscrawl:run:{run}:alive")


def test_one_run_holds_a_story_until_it_commits(redis_url: str, server: redis.Redis) -> None:
    a, b = started(redis_url, "a", A), started(redis_url, "b", B)
    assert a.claim("menafn:1", H1, A)
    assert not b.claim("menafn:1", H2, B)  # the id is held
    assert not b.claim("menafn:2", H1, B)  # the content hash is held
    assert not a.claim("menafn:1", H1, A)  # and not twice by its own run
    assert a.known_ids(["menafn:1"]) == set()  # claimed is not seen yet
    assert a.commit(A) == set()
    a.set_run_state(A, "committed")
    assert b.known_ids(["menafn:1", "menafn:2"]) == {"menafn:1"}
    assert not b.claim("menafn:1", H2, B)


def test_a_stalled_run_loses_what_another_took_and_keeps_the_rest(
    redis_url: str, server: redis.Redis
) -> None:
    a, b = started(redis_url, "a", A), started(redis_url, "b", B)
    assert a.claim("menafn:1", H1, A)
    assert a.claim("menafn:2", H2, A)
    lapse(server, A)
    assert b.claim("menafn:1", H1, B)  # taken over from the silent run
    assert b.commit(B) == set()
    b.set_run_state(B, "committed")
    # A wakes up: menafn:1 is lost (its line must go), menafn:2 lapsed but untaken: still its.
    assert a.commit(A) == {"menafn:1"}
    a.set_run_state(A, "committed")
    assert server.smembers("newscrawl:seen:ids") == {b"menafn:1", b"menafn:2"}


def test_rolling_back_a_run_mid_commit_unmarks_its_stories(
    redis_url: str, server: redis.Redis
) -> None:
    a = started(redis_url, "a", A)
    assert a.claim("menafn:1", H1, A)
    a.commit(A)  # killed after the chunks, before 'committed'
    assert a.known_ids(["menafn:1"]) == {"menafn:1"}
    again = store(redis_url, "a")  # the same worker, restarted
    assert again.unfinished_runs() == [(A, f"/a/{A}.jsonl", "started")]
    again.forget_run(A)
    assert again.known_ids(["menafn:1"]) == set()
    assert again.unfinished_runs() == []
    assert again.claim("menafn:1", H1, B)


def test_a_run_dead_mid_commit_is_rolled_back_by_another_and_fenced_out(
    redis_url: str, server: redis.Redis
) -> None:
    a = started(redis_url, "a", A)
    assert a.claim("menafn:1", H1, A)
    a.commit(A)
    lapse(server, A)
    other = store(redis_url, "b")
    assert other.unfinished_runs() == []  # not its run, but it settles it
    assert other.known_ids(["menafn:1"]) == set()
    with pytest.raises(LeaseLost):
        a.set_run_state(A, "committed")  # the stalled owner may not publish its file


def test_run_names_are_unique_across_workers(redis_url: str, server: redis.Redis) -> None:
    a, b = store(redis_url, "a"), store(redis_url, "b")
    assert a.begin_run(A, "/a/x.jsonl")
    assert not b.begin_run(A, "/b/x.jsonl")
    assert b.run_names("menafn") == {A.split("/")[1]}
    a.set_run_state(A, "done")
    a.set_run_state(A, "listed")
    assert a.unfinished_runs() == []
    a.close()


def spider_request(**meta: object) -> Request:
    spider = MenafnSpider()
    return Request(
        "http://127.0.0.1:8000/1/a", spider.parse_article, errback=spider.article_failed,
        meta=meta, priority=10, headers={"Accept": "text/html"}, body=b"\x00\xff",
    )  # fmt: skip


def test_requests_travel_as_json_and_come_back_the_same() -> None:
    spider = MenafnSpider()
    original = spider_request(ref=["1", "a"], discovery_depth=1)
    data = requests.dumps(original.to_dict(spider=spider))
    assert data.startswith(b"{")
    back = request_from_dict(requests.loads(data), spider=spider)
    assert (back.url, back.meta, back.priority, back.body) == (
        original.url, original.meta, 10, b"\x00\xff",
    )  # fmt: skip
    assert back.callback == spider.parse_article
    assert back.headers.getlist("Accept") == [b"text/html"]


def test_what_json_cannot_carry_is_refused_on_the_way_in() -> None:
    spider = MenafnSpider()
    with pytest.raises(requests.UnsafeRequest, match=r"meta\['ref'\] holds a tuple"):
        requests.dumps(spider_request(ref=("1", "a")).to_dict(spider=spider))


@pytest.mark.parametrize(
    "entry",
    [
        b'{"url": "http://a/", "_class": "os.system"}',
        b'{"url": "http://a/", "callback": "__init__"}',
        b"\x80\x04\x95pickle",
        b'["http://a/"]',
    ],
)
def test_what_someone_else_wrote_into_the_queue_runs_no_code(entry: bytes) -> None:
    with pytest.raises(requests.UnsafeRequest):
        requests.loads(entry)


def test_the_cluster_state_is_shared_and_leaves_with_a_rolled_back_run(
    redis_url: str, server: redis.Redis
) -> None:
    from newscrawl.clusters import assign_cluster

    text = " ".join(f"word{n}" for n in range(60)) + " price 42.5 rose on Monday"
    a, b = started(redis_url, "a", A), started(redis_url, "b", B)
    assert assign_cluster(a.cluster_index(), "prnewswire:1", text, A) == "prnewswire:1"
    # another worker, another source, the same story: linked to the first
    assert assign_cluster(b.cluster_index(), "menafn:9", text, B) == "prnewswire:1"
    a.forget_run(A)
    assert assign_cluster(b.cluster_index(), "globenewswire:5", text, B) == "prnewswire:1"
    b.forget_run(B)
    assert b.cluster_index().candidates([0], 10) == []
    assert server.hlen("newscrawl:cluster:members") == 0


def test_redis_gone_under_the_cluster_index_is_store_unavailable_not_a_traceback(
    redis_url: str, server: redis.Redis
) -> None:
    """CI run of stop 13: a raw ConnectionError from the cluster index reached Scrapy's log as
    a traceback when Redis died mid-run; it must stop the worker as the seen store does."""
    from newscrawl.clusters import assign_cluster
    from newscrawl.run.seen import StoreUnavailable
    from tests.redis_server import free_port

    seen = started(redis_url, "a", A)
    index = seen.cluster_index()
    index.server = redis.Redis(port=free_port(), socket_connect_timeout=1)  # nobody there
    with pytest.raises(StoreUnavailable, match="Redis failed"):
        assign_cluster(index, "menafn:1", " ".join(f"w{n}" for n in range(60)), A)
    assert seen.crawler.stats is not None
    assert seen.crawler.stats.get_value("newscrawl/redis_lost")


# -- a re-extraction's claims again (the contract is in tests/test_seen_store.py) ---------------
R, H3 = "menafn/20260101T000000Z_3", "sha256:" + "3" * 64


def listed(redis_url: str, run: str, *stories: tuple[str, str]) -> None:
    writer = started(redis_url, "w", run)
    for story_id, content_hash in stories:
        assert writer.claim(story_id, content_hash, run)
    assert writer.commit(run) == set()
    writer.set_run_state(run, "committed")
    writer.set_run_state(run, "listed")


def test_a_stalled_re_extraction_loses_a_story_another_run_wrote_meanwhile(
    redis_url: str, server: redis.Redis
) -> None:
    listed(redis_url, A, ("menafn:1", H1), ("menafn:2", H2))
    a = started(redis_url, "a", B)
    assert a.claim_again("menafn:1", H1, B) == A
    assert a.claim_again("menafn:2", H3, B) == A
    lapse(server, B)
    b = started(redis_url, "b", R)
    assert b.claim_again("menafn:1", H1, R) == A  # taken over from the silent run
    assert b.commit(R) == set()
    b.set_run_state(R, "committed")
    assert a.commit(B) == {"menafn:1"}  # its writer is R now: the line must go
    a.set_run_state(B, "committed")
    assert a.replaced(B) == {A: 1}  # menafn:2 only
    assert server.hgetall("newscrawl:seen:writers") == {
        b"menafn:1": f"{R}\t{H1[-16:]}".encode(),
        b"menafn:2": f"{B}\t{H3[-16:]}".encode(),
    }
    assert not server.keys("newscrawl:run:*:rewritten")  # committed: nothing left to undo


def test_a_re_extraction_dead_mid_commit_is_undone_by_another_worker(
    redis_url: str, server: redis.Redis
) -> None:
    listed(redis_url, A, ("menafn:1", H1))
    a = started(redis_url, "a", B)
    assert a.claim_again("menafn:1", H3, B) == A
    a.commit(B)
    lapse(server, B)
    other = store(redis_url, "b")
    assert other.unfinished_runs() == []  # settles the dead run on the way
    assert server.hget("newscrawl:seen:writers", "menafn:1") == f"{A}\t{H1[-16:]}".encode()
    assert not server.sismember("newscrawl:seen:hashes", f"menafn {H3}")
    assert other.claim_again("menafn:1", H3, R) == A


def test_a_story_committed_before_writers_were_recorded_is_claimed_again(
    redis_url: str, server: redis.Redis
) -> None:
    listed(redis_url, A, ("menafn:1", H1), ("menafn:2", H2))
    server.delete("newscrawl:seen:writers")  # as a store filled by an earlier version
    a = started(redis_url, "a", B)
    assert a.claim_again("menafn:1", H1, B) == ""  # its writer is unknown; its text taken as its
    assert a.claim_again("menafn:2", H3, B) == ""
    assert a.commit(B) == set()
    assert a.replaced(B) == {"": 2}  # named "unknown" in runs.jsonl
    a.forget_run(B)  # rolled back: the stories have no writer again, as before
    assert server.hlen("newscrawl:seen:writers") == 0
    assert server.sismember("newscrawl:seen:hashes", f"menafn {H1}")
    assert not server.sismember("newscrawl:seen:hashes", f"menafn {H3}")
