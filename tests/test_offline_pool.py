"""Offline runs on every core: one process or two give the same bytes, and a page that breaks
its parser or kills its worker is one rejects line, never a hang or a traceback. A run with
worker processes is a `scrapy crawl` child (its pool is started as a user's is); a run that
reads its pages in the crawler's process runs in this one (tests/in_process.py)."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests import launcher
from tests.conftest import ROOT, Run, crawl
from tests.failing_spiders import KILLS, RAISES, STORIES
from tests.in_process import crawl_here
from tests.test_archive import MIRROR, stories_archive

pytestmark = pytest.mark.slow

IN_MEMORY = ""  # NEWSCRAWL_STATE: this run only


def processes(count: int) -> tuple[str, str]:
    return ("-s", f"NEWSCRAWL_OFFLINE_PROCESSES={count}")


def offline(out: Path, source: Path, count: int, *args: str) -> Run:
    """An offline run with ``count`` processes reading its pages: a child if it starts a pool."""
    run = crawl if count > 1 else crawl_here
    return run(out, "-a", f"source={source}", *processes(count), *args, state=IN_MEMORY)


def rejects(run: Run) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "at"} for r in run.rejects()]


def test_one_process_or_two_give_the_same_bytes_rejects_and_counts(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    stories_archive(source / "a.warc.gz", 40)
    data = (source / "a.warc.gz").read_bytes()
    (source / "b-truncated.warc.gz").write_bytes(data[: len(data) // 2])  # its stories again
    (source / "c-not-a-warc.warc.gz").write_bytes(gzip.compress(b"just some text\n"))
    story = STORIES[2].path.encode()
    listing = gzip.decompress(data).replace(MIRROR.encode() + story, b"http://x/tb_news.aspx")
    (source / "d-listing.warc").write_bytes(listing)
    one, two = (offline(tmp_path / f"out-{n}", source, n) for n in (1, 2))
    assert (one.status, two.status) == (0, 0), two.stderr[-3000:]
    assert "parsing pages in 2 worker processes" in two.stderr
    assert "worker processes" not in one.stderr
    assert (one.out / one.last()["file"]).read_bytes() == (
        two.out / two.last()["file"]
    ).read_bytes()
    assert len(two.articles()) == 40
    assert rejects(one) == rejects(two)
    assert {r["reason"] for r in rejects(two)} == {"not a WARC file", "truncated WARC file"}
    counted = ("pages", "written", "duplicates", "rejected", "errors", "health")
    assert [one.last()[k] for k in counted] == [two.last()[k] for k in counted]


@pytest.mark.parametrize("count", [1, 2])
def test_a_page_that_breaks_its_parser_or_kills_its_worker_is_one_rejects_line(
    tmp_path: Path, count: int
) -> None:
    stories_archive(tmp_path / "a.warc.gz", len(STORIES))
    failing = ("-s", "SPIDER_MODULES=tests.failing_spiders")
    run = offline(tmp_path / "out", tmp_path / "a.warc.gz", count, *failing)
    assert run.status == 1, run.stderr[-3000:]  # the run failed: a bug to look at
    assert "Traceback" not in run.stderr
    url = {s.id: MIRROR + s.path for s in STORIES}
    broken = {url[int(RAISES)]: "extraction failed"}
    if count > 1:  # only a worker is killed, never the crawler itself
        broken[url[int(KILLS)]] = "worker crashed"
    assert {r["url"]: r["reason"] for r in run.rejects()} == broken
    details = {r["url"]: r["detail"] for r in run.rejects()}
    assert details[url[int(RAISES)]] == "RuntimeError: the parser broke"
    assert len(run.articles()) == len(STORIES) - len(broken)
    line = run.last()
    assert (line["pages"], line["rejected"]) == (len(STORIES), len(broken))
    assert sorted(f.split(":")[0] for f in line["failures"]) == sorted(broken.values())


def descendants(pid: int) -> set[int]:
    """The processes under ``pid`` (children, theirs, …), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not exited (a zombie has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_run_killed_with_sigkill_leaves_no_worker_and_closes_its_output(tmp_path: Path) -> None:
    """kill -9 of an offline run that reads in worker processes: the workers and their fork
    server end within seconds, so the job's stdout and stderr close (a `| cat`, or cron's
    mail, ends); the next start lists the killed run, and writes every story once."""
    from tests.site import synthetic_stories
    from tests.site.pages import render_article

    source, out = tmp_path / "pages", tmp_path / "out"
    source.mkdir()
    stories = synthetic_stories(300)
    for story in stories:
        (source / f"{story.id}.html").write_text(render_article(story), "utf-8")
    state = ("-s", f"NEWSCRAWL_STATE={out / '.state' / 'seen.sqlite3'}")
    command = [
        sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"source={source}",
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", *state, *processes(2),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = launcher.popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, helpers = time.monotonic() + 60, set[int]()
        while len(helpers) < 4 and run.poll() is None and time.monotonic() < deadline:
            helpers = descendants(run.pid)  # the resource tracker, the fork server, 2 workers
            time.sleep(0.02)
        assert run.poll() is None, "the run ended before its workers ran"
        assert len(helpers) >= 4, helpers
        run.kill()
        run.wait(timeout=10)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    deadline = time.monotonic() + 5
    while any(map(running, helpers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in helpers if running(pid)]
    for pid in left:  # a failure leaves nothing behind either
        os.kill(pid, signal.SIGKILL)
    assert left == []

    again = crawl_here(out, "-a", f"source={source}", state=state[1].split("=", 1)[1])
    assert again.status == 0, again.stderr[-2000:]
    killed, last = again.manifest()
    assert (killed["finish_reason"], killed["file"]) == ("interrupted", None)
    assert last["written"] == len(stories)


@pytest.mark.parametrize("way", ["pidfd", "polling"])
def test_a_worker_ends_once_the_process_it_watches_has_ended(way: str) -> None:
    """``end_with``: by a pidfd where Linux has one, else by looking every second."""
    watched = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    hide = "del os.pidfd_open; " if way == "polling" else ""
    worker = subprocess.Popen([sys.executable, "-c", (
        f"import os, time; {hide}from newscrawl.spiders.lifetime import end_with; "
        f"end_with({watched.pid}); time.sleep(60)")], cwd=ROOT)  # fmt: skip
    try:
        watched.wait()
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
