"""RunExtension: a run's beginning and end. It opens the run before the crawl starts (``run.py``)
and, when the spider closes, commits it and updates the articles table (``commit.py``), asks
health for its alarms, appends its ``runs.jsonl`` line and sets the exit status
(``report.py``)."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from newscrawl.run import report
from newscrawl.run.commit import PUBLISHED, UNSETTLED, roll_back, settle, update_table
from newscrawl.run.coverage import coverage_alarms
from newscrawl.run.files import append_manifest, newest_lines
from newscrawl.run.health import HealthPipeline
from newscrawl.run.report import OFFLINE, REEXTRACT, TO_WRITE, count
from newscrawl.run.run import Run, open_run
from newscrawl.run.seen import LISTED, STORE_ERRORS
from newscrawl.signals import run_listed, run_published

logger = logging.getLogger(__name__)


class RunExtension:
    """Keeps one run of a spider that ``writes_articles``: opened in ``from_crawler`` (so a
    held lock or an unreachable store stops the crawl before it starts), closed at
    ``spider_closed``. The crawl command reads its verdict from the stats
    (``newscrawl/exit_status``, ``summary``, ``failures``, ``alarms``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.run: Run = open_run(crawler)
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not getattr(crawler.spidercls, "writes_articles", False):
            # `scrapy fetch`, `shell` and other spiders keep no books and write no files.
            raise NotConfigured(f"{crawler.spidercls.__name__} writes no articles")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        return extension

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        story = ItemAdapter(item).get("id") or ItemAdapter(item).get("url")
        self.run.fail(f"pipeline error on {story}: {failure.getErrorMessage()}")
        count(self.stats, "errors")

    def spider_error(self, failure: Failure, response: Any, spider: Spider) -> None:
        where = response.url if response is not None else "start()"  # None: from start()
        self.run.fail(f"callback error on {where}: {failure.getErrorMessage()}")
        count(self.stats, "errors")

    def discard(self) -> None:
        """Undo a run whose crawl could not start: nothing of it stays, not even its name."""
        if not self.closed:
            self.closed = True
            roll_back(self.run, forget=True)
            self.run.close()

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        self.closed = True
        self.run.failures[:0] = report.closing_failures(self.stats, reason)
        outcome = settle(self.run, self.dropped, lambda: report.counted(self.stats, TO_WRITE))
        if outcome == PUBLISHED and self.crawler.settings.getbool("NEWSCRAWL_TABLE"):
            update_table(self.run)
        articles = self.run.articles.path if outcome == PUBLISHED else None
        await self.crawler.signals.send_catch_log_async(run_published, articles=articles)
        record = self.close_books(spider, reason, outcome)
        await self.crawler.signals.send_catch_log_async(run_listed, record=record)
        self.run.close()

    def close_books(self, spider: Spider, reason: str, outcome: str) -> dict[str, Any]:
        """The run's ``runs.jsonl`` line, appended (a run left ``UNSETTLED`` is listed by the
        next start), and its verdict in the stats for the crawl command."""
        published = outcome == PUBLISHED
        if not published:
            self.stats.set_value("newscrawl/written", 0)
        mode = report.run_mode(spider)
        # A re-extraction's health is held against the other offline runs' (archives read).
        health_mode = OFFLINE if mode == REEXTRACT else mode
        health, alarms = self.health(health_mode) if published else (None, [])
        status = report.exit_status(reason, bool(self.run.failures), bool(alarms))
        record = report.run_record(self.run, self.stats, reason, status, published, mode)
        record.update(health=health, alarms=alarms)
        if outcome != UNSETTLED and not self.list_run(record):
            status = 1
        again = sum((record["replaced"] or {}).values())
        line = report.summary(self.run, self.stats, reason, status, published, again)
        line += f"; alarms: {'; '.join(alarms)}" if alarms else ""
        logger.info(line)
        verdict = {"exit_status": status, "run": self.run.name, "summary": line}
        verdict.update(alarms=alarms, failures=list(self.run.failures))
        for name, value in verdict.items():
            self.stats.set_value(f"newscrawl/{name}", value)
        return record

    def dropped(self, lines: int) -> None:
        """Lines another worker's commit took out of the run's file: duplicates, not written."""
        count(self.stats, "written", -lines)
        count(self.stats, TO_WRITE, -lines)
        count(self.stats, "duplicates", lines)

    def health(self, mode: str) -> tuple[dict[str, Any] | None, list[str]]:
        """The run's ``health`` and its alarms against the recent runs' (HealthPipeline)."""
        pipeline = self.crawler.get_item_pipeline(HealthPipeline)
        if pipeline is None:
            return None, []
        health, alarms = pipeline.report(mode, newest_lines(self.run.manifest))
        clock = getattr(self.crawler.spider, "local", UTC)  # the site's, as since= dates are
        history = newest_lines(self.run.manifest)
        return health, alarms + coverage_alarms(self.stats.get_stats(), history, mode, clock)

    def list_run(self, record: dict[str, Any]) -> bool:
        """Append the run's ``runs.jsonl`` line, then mark it listed; False (a failure of the
        run) if the file cannot be written: the next start lists the run again."""
        try:
            append_manifest(self.run.manifest, record)
        except OSError as exc:
            why = f"runs.jsonl could not be written: {exc}"
            logger.error("%s", why)
            self.run.fail(why)
            return False
        if record["file"] is not None:
            with contextlib.suppress(*STORE_ERRORS):  # lost, it is redone at the next start
                self.run.store.set_run_state(self.run.key, LISTED)
        return True


def current_run(crawler: Crawler) -> Run | None:
    """The run a crawl keeps (None for a spider that writes no articles); for the run's other
    components, from the engine's start on (``crawler.get_extension``)."""
    extension = crawler.get_extension(RunExtension)
    return extension.run if extension is not None else None


def run_of(crawler: Crawler) -> Run:
    """The crawl's run, or NotConfigured: a spider that writes no articles needs none of the
    run's components."""
    run = current_run(crawler)
    if run is None:
        raise NotConfigured("no run keeps books for this spider")
    return run
