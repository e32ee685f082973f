"""Distributed mode: N `scrapy crawl` workers sharing one crawl through a real redis-server.

Workers that run side by side are `scrapy crawl` children (each its own process, as on its
own machine); a worker that runs alone runs in this process (tests/in_process.py)."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import redis

from tests import launcher
from tests.conftest import ROOT
from tests.in_process import InProcessRun, crawl_here
from tests.redis_server import free_port, start_redis, stop
from tests.site import Fault, MenafnSite, synthetic_stories

pytestmark = pytest.mark.slow

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1",
        "-s", "NEWSCRAWL_REDIS_LEASE=5")  # fmt: skip
SHORT_LEASE = ("-s", "NEWSCRAWL_REDIS_LEASE=2")  # a killed worker holds the others 2 s


@pytest.fixture
def redis_db(redis_url: str) -> str:
    """The session's Redis, emptied for this test."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


def worker(home: Path, base_url: str, redis_url: str, *args: str) -> launcher.Process:
    """One worker: `scrapy crawl menafn` with its own output folder and lock, in the background."""
    out = home / "output"
    out.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={base_url}",
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", f"NEWSCRAWL_STATE={out}/.state/seen.sqlite3",
        "-s", f"NEWSCRAWL_REDIS_URL={redis_url}", "-s", "LOG_LEVEL=INFO", *FAST, *args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (home / "log").open("ab") as log:
        return launcher.popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def alone(home: Path, base_url: str, redis_url: str, *args: str) -> InProcessRun:
    """One worker as ``worker`` starts it, but in this process, to its end."""
    out = home / "output"
    out.mkdir(parents=True, exist_ok=True)
    return crawl_here(
        out, "-a", f"base_url={base_url}", "-s", f"NEWSCRAWL_REDIS_URL={redis_url}", *FAST,
        *args, state=f"{out}/.state/seen.sqlite3",
    )  # fmt: skip


def finish(workers: list[launcher.Process], homes: list[Path], timeout: float = 90) -> None:
    """Wait for every worker; each must exit 0."""
    try:
        for proc, home in zip(workers, homes, strict=True):
            status = proc.wait(timeout=timeout)
            assert status == 0, (home / "log").read_text()[-4000:]
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def runs(home: Path) -> list[dict[str, Any]]:
    path = home / "output" / "menafn" / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def written_ids(homes: list[Path]) -> Counter[str]:
    """Story ids across every file the workers' runs.jsonl name (and no partial file left)."""
    ids: Counter[str] = Counter()
    for home in homes:
        assert sorted(p.name for p in home.rglob("*.part")) == []
        for line in runs(home):
            if line["file"]:
                path = home / "output" / line["file"]
                ids.update(json.loads(row)["id"] for row in path.read_text().splitlines())
    return ids


def test_three_workers_write_every_story_once_and_fetch_each_page_once(
    tmp_path: Path, redis_db: str
) -> None:
    stories = synthetic_stories(120)
    homes = [tmp_path / f"w{n}" for n in range(3)]  # 4 in `make bench` (section 6)
    with MenafnSite(stories) as site:
        site.response_delay = 0.01
        finish([worker(home, site.base_url, redis_db) for home in homes], homes)
        fetched = Counter(r.path for r in site.article_requests())
        assert [path for path, n in fetched.items() if n > 1] == []
        ids = written_ids(homes)
        assert sorted(ids) == sorted(f"menafn:{s.id}" for s in stories)
        assert max(ids.values()) == 1
        lines = [line for home in homes for line in runs(home)]
        assert len({line["crawl"] for line in lines}) == 1  # one crawl, three workers
        assert sum(line["written"] for line in lines) == 120
        assert sum(line["written"] > 0 for line in lines) >= 2  # the work was shared
        stream = redis.Redis.from_url(redis_db).xrange("newscrawl:menafn:runs")
        assert stream is not None
        assert len(stream) == 3  # the crawl's summary: each worker's line, in one place

        # The next cron crawl reads the listings again and fetches only the new stories.
        site.clear_requests()
        new = site.add_synthetic(5)
        following = alone(homes[0], site.base_url, redis_db)
        assert following.status == 0, following.stderr[-3000:]
        assert sorted(r.path for r in site.article_requests()) == sorted(s.path for s in new)
    second = runs(homes[0])[-1]
    assert second["crawl"] != lines[0]["crawl"]
    # (its listings are read back to the first page of known stories: 20 or more of them)
    assert (second["written"], second["skipped_seen"] >= 20) == (5, True)
    assert max(written_ids(homes).values()) == 1


def test_a_killed_worker_loses_nothing_after_one_more_run(tmp_path: Path, redis_db: str) -> None:
    stories = synthetic_stories(100)
    homes = [tmp_path / f"w{n}" for n in range(3)]
    slow = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *SHORT_LEASE)
    with MenafnSite(stories) as site:
        site.response_delay = 0.05
        workers = [worker(home, site.base_url, redis_db, *slow) for home in homes]
        deadline = time.monotonic() + 60
        while len(site.article_requests()) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        finish(workers[1:], homes[1:])
        assert runs(homes[0]) == []  # killed: nothing listed, only a .part left
        assert list(homes[0].rglob("*.part"))
        following = alone(homes[0], site.base_url, redis_db)  # the next cron run
    assert following.status == 0, following.stderr[-3000:]
    assert "rolled back run" in following.stderr
    ids = written_ids(homes)
    assert sorted(ids) == sorted(f"menafn:{s.id}" for s in stories)
    assert max(ids.values()) == 1


def test_an_unreachable_redis_fails_at_once_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "w0"
    url = f"redis://127.0.0.1:{free_port()}/0"
    run = alone(home, "http://127.0.0.1:9", url)
    assert run.status == 1
    log = run.stderr
    ours = [line for line in log.splitlines() if line.startswith("newscrawl:")]
    assert len(ours) == 1, log
    assert ours[0].startswith(f"newscrawl: cannot use Redis at {url}: "), log
    assert ours[0].endswith("; not started"), log
    assert "Traceback" not in log
    assert list((home / "output").iterdir()) == []  # nothing written


def test_three_workers_share_one_delay_and_one_retry_after_pause_per_host(
    tmp_path: Path, redis_db: str
) -> None:
    stories = synthetic_stories(16)
    homes = [tmp_path / f"w{n}" for n in range(3)]  # 4 in `make bench` (section 6)
    polite = ("-s", "DOWNLOAD_DELAY=0.25", "-s", "NEWSCRAWL_MAX_LISTING_PAGES=1")
    with MenafnSite(stories) as site:
        site.faults[stories[8].path] = Fault(statuses=[429], headers={"Retry-After": "2"})
        finish([worker(home, site.base_url, redis_db, *polite) for home in homes], homes)
        log = site.requests
    times = sorted(r.time for r in log)
    assert len(times) >= 24
    # Turns are 0.25 s apart on Redis's clock; a busy machine may send one a little late,
    # so a request can come close to the next, but over the crawl the rate holds.
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate <= 4.4
    busiest = max(sum(1 for t in times if start <= t < start + 3) for start in times)
    assert busiest <= 3 / 0.25 + 3
    # The pause starts when a worker reads the 429 (a moment later on a busy machine); turns
    # granted before it may still go out, then no worker sends anything until the 2 s asked
    # have passed, though the other two were not told. Without a shared pause they would go
    # on 0.25 s apart. (Times are the site's wall clock; Redis's runs on the same machine.)
    (asked,) = [r.time for r in log if r.status == 429]
    after = [t for t in times if t >= asked]
    longest, resumed = max((b - a, b) for a, b in itertools.pairwise(after))
    assert longest >= 1.0
    assert resumed >= asked + 2 - 0.01  # 10 ms: the two clocks' reading, not the pause
    ids = written_ids(homes)
    assert (len(ids), max(ids.values())) == (16, 1)


def test_redis_lost_mid_run_stops_the_worker_cleanly(tmp_path: Path) -> None:
    stories = synthetic_stories(60)
    home, folder, port = tmp_path / "w0", tmp_path / "redis", free_port()
    folder.mkdir()
    durable = ("--appendonly", "yes", "--appendfsync", "always")  # as the README asks
    url = f"redis://127.0.0.1:{port}/0"
    server = start_redis(folder, port, *durable)
    assert server is not None
    try:
        with MenafnSite(stories) as site, ThreadPoolExecutor(1) as background:
            site.response_delay = 0.05
            slower = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
            running = background.submit(alone, home, site.base_url, url, *slower)
            deadline = time.monotonic() + 60
            while len(site.article_requests()) < 20 and time.monotonic() < deadline:
                time.sleep(0.05)
            server.send_signal(signal.SIGKILL)  # Redis gone mid-run
            server.wait()
            first = running.result(timeout=60)
            assert first.status == 1
            log = first.stdout + first.stderr
            assert "Traceback" not in log
            (line,) = runs(home)
            assert (line["finish_reason"], line["file"], line["exit_status"]) == (
                "redis_lost", None, 1,
            )  # fmt: skip
            assert "articles left for the next run" in line["failures"][-1]
            assert list(home.rglob("*.part")) == []  # files finished, nothing half-written
            # A summary line and one error line say so; no multi-line warning per story.
            assert "menafn: published no article file" in log
            errors = [row for row in log.splitlines() if row.startswith("newscrawl: error:")]
            assert len(errors) == 1, log[-3000:]
            assert "articles left for the next run" in errors[0]
            assert "Dropped:" not in log

            server = start_redis(folder, port, *durable)  # back, from its append-only file
            assert server is not None
            # At once, before the lost worker's lease lapses: a crawl does not outlive its
            # Redis, so the next run starts a new crawl that reads the listings again.
            following = alone(home, site.base_url, url)
            assert following.status == 0, following.stderr[-3000:]
    finally:
        if server is not None:
            stop(server)
    ids = written_ids([home])
    assert sorted(ids) == sorted(f"menafn:{s.id}" for s in stories)
    assert max(ids.values()) == 1
