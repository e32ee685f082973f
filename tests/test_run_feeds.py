"""-o/-O feeds receive exactly the articles of the run's file (newscrawl/run/feeds.py), in
every mode: offline, live, distributed (a story another worker took at commit leaves the file
and the feed), and a run rolled back or killed (nothing)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

import pytest
import redis
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newscrawl.distributed.seen import RedisSeenStore
from newscrawl.run.extension import run_of
from newscrawl.run.run import Run
from tests import launcher
from tests.conftest import (
    DEFAULT_STATE,
    FIXTURE_PAGES,
    ROOT,
    page_copies,
    read_jsonl,
    story_id,
)
from tests.in_process import InProcessRun, crawl_here, crawl_in_process
from tests.site import MenafnSite, synthetic_stories

PAGES = FIXTURE_PAGES[:5]
TAKEN = story_id(PAGES[1])


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return page_copies(tmp_path / "pages", PAGES)


def with_feed(feed: Path, **settings: Any) -> dict[str, Any]:
    return {"FEEDS": {str(feed): {"format": "jsonlines", "overwrite": True}}, **settings}


def published(crawled: InProcessRun) -> list[dict[str, Any]]:
    """The articles of the run's file, as runs.jsonl names it."""
    lines = (crawled.folder / "runs.jsonl").read_text().splitlines()
    name = json.loads(lines[-1])["file"]
    return read_jsonl(crawled.out / name) if name else []


def test_the_feed_of_an_offline_run_is_its_file(tmp_path: Path, pages: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    run = crawl_in_process(tmp_path / "out", settings=with_feed(feed), source=str(pages))
    assert run.status == 0
    assert len(published(run)) == 5
    assert read_jsonl(feed) == published(run)
    again = crawl_in_process(tmp_path / "out", settings=with_feed(feed), source=str(pages))
    assert (again.status, feed.read_text()) == (0, "")  # duplicates: nothing new, in both


def test_a_run_rolled_back_gives_its_feed_nothing(tmp_path: Path, pages: Path) -> None:
    out, feed = tmp_path / "out", tmp_path / "feed.jsonl"
    (out / "menafn").mkdir(parents=True)
    (out / "menafn" / "articles").write_text("a file where the articles folder goes\n")
    run = crawl_in_process(out, settings=with_feed(feed), source=str(pages))
    assert (run.status, published(run), feed.read_text()) == (1, [], "")


class AnotherWorkerTakesOne:
    """A stage standing for a stall: this worker's lease lapses while it holds ``TAKEN``, and
    another worker claims and commits it meanwhile; this run's commit then loses it."""

    def __init__(self, run: Run, url: str) -> None:
        self.run, self.url = run, url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(run_of(crawler), crawler.settings["NEWSCRAWL_REDIS_URL"])

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter["id"] == TAKEN:
            redis.Redis.from_url(self.url).delete(f"newscrawl:run:{self.run.key}:alive")
            settings = {"NEWSCRAWL_REDIS_URL": self.url, "NEWSCRAWL_REDIS_LEASE": 30}
            other = RedisSeenStore.from_crawler(get_crawler(settings_dict=settings), Path("b"))
            run = f"menafn/{self.run.name}_other"
            assert other.begin_run(run, "/b/x.jsonl")
            assert other.claim(TAKEN, adapter["content_hash"], run)
            assert other.commit(run) == set()
            other.set_run_state(run, "committed")
            other.close()  # its lease heartbeat would outlive the test (and its Redis server)
        return item


def test_a_story_another_worker_took_at_commit_leaves_file_and_feed(
    tmp_path: Path, pages: Path, redis_url: str
) -> None:
    redis.Redis.from_url(redis_url).flushdb()
    feed = tmp_path / "feed.jsonl"
    distributed = with_feed(
        feed,
        NEWSCRAWL_REDIS_URL=redis_url,
        SCHEDULER="scrapy.core.scheduler.Scheduler",  # an offline run: no queue to share
        ITEM_PIPELINES={AnotherWorkerTakesOne: 400},
    )
    run = crawl_in_process(tmp_path / "out", settings=distributed, source=str(pages))
    assert run.status == 0, run.stats.get("newscrawl/failures")
    written = published(run)
    assert len(written) == 4
    assert TAKEN not in {a["id"] for a in written}
    assert (run.stats["newscrawl/written"], run.stats["newscrawl/duplicates"]) == (4, 1)
    assert read_jsonl(feed) == written


@pytest.mark.slow
def test_the_feed_of_a_live_run_is_its_file_and_a_killed_run_gives_none(
    out: Path, tmp_path: Path
) -> None:
    fast = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0")
    with MenafnSite(synthetic_stories(16)) as site:
        site.response_delay = 0.05
        killed_feed = tmp_path / "killed.jsonl"
        command = [
            sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={site.base_url}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-O", f"{killed_feed}:jsonlines", *fast,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = launcher.popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not list(out.glob("menafn/articles/*.part")) and time.monotonic() < deadline:
                time.sleep(0.02)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait()
        # its articles are rolled back: none reached the feed (not even its file, here)
        assert not killed_feed.exists() or killed_feed.read_text() == ""

        feed = tmp_path / "feed.jsonl"
        live = ("-a", f"base_url={site.base_url}", "-o", f"{feed}:jsonlines", *fast)
        run = crawl_here(out, *live, state=DEFAULT_STATE)  # the next run: an ordinary one
    assert run.status == 0, run.stderr[-2000:]
    assert "rolled back" in run.stderr
    assert len(run.articles()) == 16
    assert read_jsonl(feed) == run.articles()


def test_a_feed_that_cannot_be_written_fails_the_run(tmp_path: Path, pages: Path) -> None:
    """FRESH-USER-2 G2: a feed the exporter could not open was a logged traceback and the run
    exited 0 without it. (The command checks the feed's path before the run starts; this is a
    feed that fails later, as a disk that fills up does.)"""
    feed = tmp_path / "feed.jsonl"
    feed.mkdir()  # the command's check would refuse this: in process, the export meets it
    run = crawl_in_process(tmp_path / "out", settings=with_feed(feed), source=str(pages))
    assert run.status == 1
    line = run.last()
    assert line["exit_status"] == 1
    assert any(f.startswith("a feed could not be written:") for f in line["failures"])
    assert len(published(run)) == 5  # the run's own file is whole: its stories are not lost


@pytest.mark.parametrize("what", ["-o", "--logfile"])
def test_a_feed_or_log_file_that_cannot_be_written_stops_the_run_before_it_starts(
    tmp_path: Path, pages: Path, what: str
) -> None:
    """FRESH-USER-2 G2, G3: a folder in the file's place (or a read-only mount, another
    user's file) was a traceback (the log) or an exit 0 without the feed."""
    target = tmp_path / "taken.jsonl"
    target.mkdir()
    run = crawl_here(tmp_path / "out", "-a", f"source={pages}", what, str(target))
    assert run.status == 1
    assert "Traceback" not in run.stderr
    assert (
        f"newscrawl: could not start, a file to write cannot be written: {target} is a folder"
        in (run.stderr)
    )
    assert not (tmp_path / "out" / "menafn").exists()


@pytest.mark.parametrize("where", ["output", "output/menafn", "log/menafn.log"])
def test_a_file_where_a_folder_must_be_is_one_line_before_scrapy_logs(
    tmp_path: Path, pages: Path, where: str
) -> None:
    """A fresh user's report: an output folder that is a file printed Scrapy's log header,
    then the line; a log file under a file said `File exists`."""
    (tmp_path / where.split("/")[0]).write_text("a file\n")
    if where.startswith("log"):
        run = crawl_here(
            tmp_path / "out", "-a", f"source={pages}", "--logfile", str(tmp_path / where)
        )
        expected = "newscrawl: could not start, a file to write cannot be written: "
        expected += f"{tmp_path / where}: {tmp_path / 'log'} is not a folder"
    else:
        run = crawl_here(tmp_path / where, "-a", f"source={pages}")
        expected = "newscrawl: could not start, the output or the state cannot be written: "
        expected += f"the output folder {tmp_path / where}: {tmp_path / 'output'} is not a folder"
    assert (run.status, run.stderr.strip()) == (1, expected)


def test_a_log_file_in_a_new_folder_is_written(tmp_path: Path, pages: Path) -> None:
    """`--logfile logs/menafn.log` where `logs/` does not exist yet: the folder is made (Scrapy
    opened the file without it: a traceback)."""
    log = tmp_path / "logs" / "nested" / "menafn.log"
    run = crawl_here(tmp_path / "out", "-a", f"source={pages}", "--logfile", str(log))
    assert run.status == 0, run.stderr[-2000:]
    assert log.parent.is_dir()
