"""Shared test helpers: run `scrapy crawl` as a user would, read what it wrote."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawl.dates import zone
from newscrawl.extraction.consistency import inconsistencies

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "menafn"
SAMPLE = ROOT / "newscrawl" / "samples" / "menafn"
SITE_CLOCK = zone("America/New_York")  # the clock of all three sources' naive stamps
# Live crawls of the local sites without the politeness delays meant for real sites.
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1")  # fmt: skip


MEMORY = Path("/dev/shm")  # a tmpfs on Linux


def pytest_configure(config: pytest.Config) -> None:
    """The tests' temporary folders (``tmp_path``) in memory where the machine has a tmpfs
    (unless ``--basetemp`` or ``$TMPDIR`` says where): every run fsyncs what it publishes, and
    on a disk shared with other work each fsync waits its turn, which made a small crawl wait
    three times as long as it computes (0.28 s against 0.09 s; 0.08 s in memory). The calls
    are the same; what a lost power does to them is tests/test_power_loss.py's business."""
    chosen = config.option.basetemp or os.environ.get("TMPDIR")
    if not chosen and MEMORY.is_dir() and os.access(MEMORY, os.W_OK):
        tempfile.tempdir = str(MEMORY)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests (marked ``slow``) first, in their order, then the rest: xdist
    hands tests out in this order, so the many short ones fill the cores at the end instead
    of a long crawl starting last on one worker while the others are idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the cores. Many end-to-end tests wait on a local
    site, a child process or a signal; a third worker on 2 cores fills those waits (suite on a
    quiet fresh clone here: 106 s against 118 s with two)."""
    return (os.cpu_count() or 1) + 1


@dataclass
class Run:
    """What one `scrapy crawl` left behind."""

    status: int
    stdout: str
    stderr: str
    out: Path
    spider: str = "menafn"

    @property
    def folder(self) -> Path:
        return self.out / self.spider

    def manifest(self) -> list[dict[str, Any]]:
        path = self.folder / "runs.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def last(self) -> dict[str, Any]:
        return self.manifest()[-1]

    def articles(self) -> list[dict[str, Any]]:
        """The run's articles, each checked against itself (issue 16 point 2)."""
        articles = read_jsonl(self.out / self.last()["file"])
        for article in articles:
            assert inconsistencies(article, SITE_CLOCK) == [], article["id"]
        return articles

    def rejects(self) -> list[dict[str, Any]]:
        name = self.last()["rejects_file"]
        return read_jsonl(self.out / name) if name else []


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


DEFAULT_STATE = object()  # crawl(state=DEFAULT_STATE): no NEWSCRAWL_STATE at all


def crawl(
    out: Path,
    *args: str,
    state: str | object | None = None,
    timeout: float = 120,
    spider: str = "menafn",
    prefix: tuple[str, ...] = (),
    cwd: Path = ROOT,
    interpreter: bool = False,
) -> Run:
    """`scrapy crawl SPIDER ARGS` in the project (``menafn`` unless told), writing under ``out``.

    ``state``: None gives the run ``out/.state/seen.sqlite3``, a string is passed as
    NEWSCRAWL_STATE (``""``: in memory), DEFAULT_STATE passes none (the run's default).
    ``prefix``: a command the crawl runs under (``setpriv ...``); ``cwd``: where it runs.
    The child is forked from a launcher that has imported Scrapy (tests/launcher.py) unless
    ``interpreter`` asks for a new interpreter, as a user's shell starts it.
    """
    state_path = str(out / ".state" / "seen.sqlite3") if state is None else state
    state_args = () if state is DEFAULT_STATE else ("-s", f"NEWSCRAWL_STATE={state_path}")
    command = [
        *prefix, sys.executable, "-m", "scrapy", "crawl", spider,
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", *state_args, "-s", "LOG_LEVEL=INFO", *args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    if interpreter:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
        return Run(done.returncode, done.stdout, done.stderr, out, spider)
    from tests import launcher

    return Run(*launcher.run(command, cwd=cwd, env=env, timeout=timeout), out, spider)


# Saved MENAFN text pages of the fixtures, one story each: sources for short offline runs.
FIXTURE_PAGES = sorted(FIXTURES.glob("1*/1*.txt"))


def page_copies(folder: Path, pages: list[Path]) -> Path:
    """``folder``, made, with a copy of each of ``pages``: a run's ``source=``."""
    folder.mkdir(parents=True)
    for page in pages:
        shutil.copy(page, folder)
    return folder


def story_id(page: Path) -> str:
    """The article id of a saved page named ``<id>-<slug>.txt``: ``menafn:<id>``."""
    return "menafn:" + page.name.split("-")[0]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "output"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server for the session (tests/redis_server.py): its URL, DB 0."""
    from tests.redis_server import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture
def asyncio_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """A current asyncio loop in the test's thread, not running, whatever an earlier test of the
    process left (``asyncio.run`` leaves none): a Redis seen store beats its lease on the
    current loop, as it does in a crawl."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    left = asyncio.all_tasks(loop)  # the heartbeats of stores the test did not close
    for task in left:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
    asyncio.set_event_loop(None)
    loop.close()
