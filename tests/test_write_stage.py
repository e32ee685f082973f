"""A story is written or asked again, whatever fails after its claim (newscrawl/run/write.py):
a stage of the user's raising (a full disk, as an OSError), a stage dropping it, a line that
cannot be written. In-process crawls, on SQLite and on a real Redis."""

from __future__ import annotations

import ast
import errno
import json
import os
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any, Self

import pytest
import redis
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.distributed.clusters import MEMBERS
from newscrawl.run.extension import run_of
from newscrawl.run.seen_sqlite import SqliteSeenStore
from tests.conftest import FIXTURE_PAGES, ROOT, page_copies, read_jsonl, story_id
from tests.in_process import InProcessRun, crawl_in_process

PAGES = FIXTURE_PAGES[:5]
FAILING = story_id(PAGES[2])
ALL = {story_id(page) for page in PAGES}


class FailingStage:
    """A user's item pipeline stage failing for one story as a full disk would
    (``FAIL_WITH``: ``oserror`` raises OSError ENOSPC, ``drop`` drops the article)."""

    def __init__(self, story: str, how: str) -> None:
        self.story, self.how = story, how

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings["FAIL_STORY"], crawler.settings["FAIL_WITH"])

    def process_item(self, item: Any) -> Any:
        if ItemAdapter(item).get("id") == self.story:
            if self.how == "drop":
                raise DropItem("not wanted today")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return item


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return page_copies(tmp_path / "pages", PAGES)


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings for the seen store: SQLite (the default), or a real Redis (an offline run keeps
    Scrapy's own scheduler: the shared queue has nothing to share)."""
    if request.param == "sqlite":
        return {}
    url = request.getfixturevalue("redis_url")
    redis.Redis.from_url(url).flushdb()
    return {"NEWSCRAWL_REDIS_URL": url, "SCHEDULER": "scrapy.core.scheduler.Scheduler"}


def written(out: Path) -> Counter[str]:
    return Counter(
        a["id"] for f in (out / "menafn" / "articles").glob("*.jsonl") for a in read_jsonl(f)
    )


def cluster_members(out: Path, store: dict[str, Any]) -> set[str]:
    if "NEWSCRAWL_REDIS_URL" in store:
        server = redis.Redis.from_url(store["NEWSCRAWL_REDIS_URL"])
        return {m.decode() if isinstance(m, bytes) else str(m) for m in server.hkeys(MEMBERS)}
    db = sqlite3.connect(out / ".state" / "seen.sqlite3")
    try:
        return {row[0] for row in db.execute("SELECT story FROM cluster_members")}
    finally:
        db.close()


def last_line(crawled: InProcessRun) -> dict[str, Any]:
    lines = (crawled.folder / "runs.jsonl").read_text().splitlines()
    line: dict[str, Any] = json.loads(lines[-1])
    return line


@pytest.mark.parametrize("order", [150, 225, 400])  # before the claim, between, after ours
def test_a_story_a_later_stage_fails_is_written_by_the_next_run_exactly_once(
    tmp_path: Path, pages: Path, store: dict[str, Any], order: int
) -> None:
    out = tmp_path / "out"
    failing = {"ITEM_PIPELINES": {FailingStage: order}, "FAIL_STORY": FAILING, "FAIL_WITH": "x"}
    first = crawl_in_process(out, settings={**store, **failing}, source=str(pages))
    assert first.status == 1
    line = last_line(first)
    assert (line["written"], line["errors"], line["exit_status"]) == (4, 1, 1)
    assert line["failures"] == [f"pipeline error on {FAILING}: [Errno 28] No space left on device"]
    assert set(written(out)) == ALL - {FAILING}  # no line of it stayed
    assert FAILING not in cluster_members(out, store)  # nor its cluster row

    second = crawl_in_process(out, settings=store, source=str(pages))
    assert (second.status, last_line(second)["written"]) == (0, 1)
    assert written(out) == dict.fromkeys(ALL, 1)  # that story once, no other twice
    assert cluster_members(out, store) == ALL


def test_a_story_a_later_stage_drops_stays_unseen(
    tmp_path: Path, pages: Path, store: dict[str, Any]
) -> None:
    out = tmp_path / "out"
    dropping = {"ITEM_PIPELINES": {FailingStage: 400}, "FAIL_STORY": FAILING, "FAIL_WITH": "drop"}
    first = crawl_in_process(out, settings={**store, **dropping}, source=str(pages))
    assert (first.status, last_line(first)["written"]) == (0, 4)
    crawl_in_process(out, settings=store, source=str(pages))
    assert written(out) == dict.fromkeys(ALL, 1)


def test_lines_that_cannot_be_written_leave_every_story_unseen(
    tmp_path: Path, pages: Path, store: dict[str, Any]
) -> None:
    out = tmp_path / "out"
    (out / "menafn").mkdir(parents=True)
    (out / "menafn" / "articles").write_text("a file where the articles folder goes\n")
    first = crawl_in_process(out, settings=store, source=str(pages))
    assert first.status == 1
    line = last_line(first)
    assert (line["file"], line["written"], line["finish_reason"]) == (None, 0, "finished")
    assert line["failures"][0].startswith("output could not be written: [Errno 20] Not a directory")
    assert cluster_members(out, store) == set()
    (out / "menafn" / "articles").unlink()
    second = crawl_in_process(out, settings=store, source=str(pages))
    assert (second.status, last_line(second)["written"]) == (0, 5)
    assert written(out) == dict.fromkeys(ALL, 1)


def test_every_reject_a_spider_makes_is_yielded() -> None:
    """A spider's ``reject(...)`` returns the Reject item; called and not yielded, the page
    would leave no line anywhere."""
    for path in sorted((ROOT / "newscrawl" / "spiders").glob("*.py")):
        tree = ast.parse(path.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "reject":
                used = parents[node]
                kept = isinstance(used, ast.Yield | ast.Return | ast.Assign)
                assert kept, f"{path.name}:{node.lineno}: reject(...) made and not yielded"


class StateGoesReadOnly:
    """A stage after which the SQLite state refuses writes (as a full or failing disk would)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        store = run_of(self.crawler).store
        assert isinstance(store, SqliteSeenStore)
        store.db.execute("PRAGMA query_only=1")
        return item


def test_a_state_that_cannot_be_written_fails_the_run_and_loses_no_story(
    tmp_path: Path, pages: Path
) -> None:
    out = tmp_path / "out"
    first = crawl_in_process(
        out, settings={"ITEM_PIPELINES": {StateGoesReadOnly: 50}}, source=str(pages)
    )
    assert first.status == 1
    line = last_line(first)
    assert (line["file"], line["written"]) == (None, 0)
    assert line["failures"] == [  # no story could be claimed: all five are left, maybe new
        "the state could not be written: attempt to write a readonly database: "
        "5 articles left for the next run"
    ]
    second = crawl_in_process(out, source=str(pages))
    assert (second.status, last_line(second)["written"]) == (0, 5)
    assert written(out) == dict.fromkeys(ALL, 1)
