"""Offline runs on every core: one process or two give the same bytes, and a page that breaks
its parser or kills its worker is one rejects line, never a hang or a traceback. A run with
worker processes is a `scrapy crawl` child (its pool is started as a user's is); a run that
reads its pages in the crawler's process runs in this one (tests/in_process.py)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, crawl
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
