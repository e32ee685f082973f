"""What a run reports (newscrawl/run/report.py, extension.py), in-process: its runs.jsonl line
when the line cannot be written at the end, and the discovery counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.run.report import discovery
from tests.conftest import FIXTURE_PAGES, page_copies, read_jsonl
from tests.in_process import crawl_in_process

PAGES = FIXTURE_PAGES[:4]


class RunsJsonlGoesAway:
    """A stage that makes ``runs.jsonl`` a folder once the run is under way (as a disk that
    fills, or a user's mistake, would make it unwritable)."""

    def __init__(self, manifest: Path) -> None:
        self.manifest = manifest

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Path(crawler.settings["NEWSCRAWL_OUTPUT_DIR"]) / "menafn" / "runs.jsonl")

    def process_item(self, item: Any) -> Any:
        if not self.manifest.is_dir():
            self.manifest.unlink(missing_ok=True)
            self.manifest.mkdir()
        return item


def test_a_runs_jsonl_that_cannot_take_the_line_fails_the_run_and_the_next_lists_it(
    tmp_path: Path,
) -> None:
    pages = page_copies(tmp_path / "pages", PAGES)
    out, manifest = tmp_path / "out", tmp_path / "out" / "menafn" / "runs.jsonl"
    first = crawl_in_process(
        out, settings={"ITEM_PIPELINES": {RunsJsonlGoesAway: 400}}, source=str(pages)
    )
    assert first.status == 1
    assert first.stats["newscrawl/failures"] == [
        f"runs.jsonl could not be written: [Errno 21] Is a directory: '{manifest}'"
    ]
    assert "exit status 1" in first.stats["newscrawl/summary"]
    (published,) = (out / "menafn" / "articles").glob("*.jsonl")  # committed all the same
    assert len(read_jsonl(published)) == 4
    db = sqlite3.connect(out / ".state" / "seen.sqlite3")
    try:
        assert [row[0] for row in db.execute("SELECT state FROM runs")] == ["done"]
    finally:
        db.close()

    manifest.rmdir()
    second = crawl_in_process(out, source=str(pages))
    assert second.status == 0
    lines = read_jsonl(manifest)
    assert [(line["file"], line["finish_reason"]) for line in lines] == [
        (f"menafn/articles/{published.name}", "interrupted"),
        (lines[1]["file"], "finished"),
    ]
    assert (lines[1]["written"], lines[1]["duplicates"]) == (0, 4)


def test_every_discovery_count_reaches_the_runs_line() -> None:
    stats: StatsCollector = get_crawler().stats
    for name, value in {
        "newscrawl/discovery/feeds": 2, "newscrawl/discovery/feed_items": 40,
        "newscrawl/discovery/listing_pages": 3, "newscrawl/discovery/listing_failures": 1,
        "newscrawl/discovery/warc_other_hosts": 7, "newscrawl/pages": 12,
    }.items():  # fmt: skip
        stats.set_value(name, value)
    assert discovery(stats) == {
        "feed_items": 40, "feeds": 2, "listing_failures": 1, "listing_pages": 3,
        "warc_other_hosts": 7,
    }  # fmt: skip
