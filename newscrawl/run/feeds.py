"""RunFeedExporter: ``-o``/``-O`` feeds receive exactly the articles of the run's file.

Scrapy's ``FeedExporter`` exports each item as it is scraped. A run's file can still lose
lines after that: at commit, to another worker that took a story (distributed mode), or all
of them, when the run is rolled back (its output or its Redis failed). So this exporter,
which takes the place of Scrapy's (same settings, storages and formats), exports the lines of
the article file once the run has published it (``run_published``), and nothing for a run
that published none; a feed that cannot be written or stored is a failure of the run (exit
status 1, named in its ``runs.jsonl`` line), never only a logged error. For a spider that keeps
no run it is Scrapy's exporter as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import orjson
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter

from newscrawl.items import Article
from newscrawl.run.extension import current_run
from newscrawl.signals import run_published


class RunFeedExporter(FeedExporter):
    """Scrapy's feed exporter, fed from the run's published article file."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not getattr(crawler.spidercls, "writes_articles", False):
            exporter: Self = super().from_crawler(crawler)
            return exporter
        exporter = cls(crawler)
        crawler.signals.connect(exporter.open_spider, signals.spider_opened)
        crawler.signals.connect(exporter.run_published, run_published)
        return exporter

    async def run_published(self, articles: Path | None) -> None:
        """Export the run's published articles (none if it published no file), then close
        the feeds as Scrapy's exporter does when the spider closes; a feed that could not be
        written (``OSError``) or stored (Scrapy's ``feedexport/failed_count``) fails the run."""
        spider = self.crawler.spider
        assert spider is not None
        try:
            if articles is not None:
                self.export_file(articles, spider)
            await self.close_spider(spider)
        except OSError as exc:
            self.failed(f"a feed could not be written: {exc}")
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        lost = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
        if lost:
            self.failed(f"{lost} feed(s) could not be stored (the log says why)")

    def failed(self, why: str) -> None:
        run = current_run(self.crawler)
        if run is not None:
            run.fail(why)

    def export_file(self, articles: Path, spider: Spider) -> None:
        """Each line of ``articles`` as an ``Article`` item, in order."""
        with articles.open("rb") as lines:
            for line in lines:
                record: dict[str, Any] = orjson.loads(line)
                self.item_scraped(Article(**record), spider)
