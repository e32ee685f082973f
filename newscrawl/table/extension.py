"""TableUpdater: brings ``<output>/table/`` and the DuckDB views up to date when a run is listed.

It listens to ``run_listed`` (sent once the run's line is in ``runs.jsonl``) and applies every
listed run of the spider's source that the table does not hold yet: this run, and any run a
crash or an earlier failure left out. A failed update is one line on stderr and in the log,
and exit status 1; the table keeps its earlier state and the next run (or ``scrapy table``)
catches up. ``NEWSCRAWL_TABLE = False`` turns it off.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.signals import run_listed

logger = logging.getLogger(__name__)


class TableUpdater:
    def __init__(self, crawler: Crawler, output_dir: Path, source: str) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.source = source

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        writes = getattr(crawler.spidercls, "writes_articles", False)
        if not writes or not crawler.settings.getbool("NEWSCRAWL_TABLE", True):
            raise NotConfigured  # no message: Scrapy logs a warning for one
        output_dir = Path(crawler.settings["NEWSCRAWL_OUTPUT_DIR"])
        updater = cls(crawler, output_dir, crawler.spidercls.name)
        crawler.signals.connect(updater.run_listed, signal=run_listed)
        crawler.signals.connect(updater.spider_closed, signal=signals.spider_closed)
        return updater

    def run_listed(self, record: dict[str, Any]) -> None:
        from newscrawl.table.columns import TableError  # pyarrow: imported by runs that list
        from newscrawl.table.update import catch_up

        try:
            catch_up(self.output_dir, [self.source])
        except (TableError, OSError) as exc:
            self.fail(str(exc))
        except Exception as exc:  # a bug of ours: the table is still not up to date
            logger.exception("table update failed")
            self.fail(f"{type(exc).__name__}: {exc}")

    def fail(self, why: str) -> None:
        """One line on stderr and in the log, and exit status 1."""
        line = f"table not updated: {why}; `scrapy table` (or the next run) catches up"
        logger.error("%s", line)
        print(f"newscrawl: {line}", file=sys.stderr)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawl/exit_status", 1)
        self.crawler.stats.set_value("newscrawl/table_failure", line)

    def spider_closed(self) -> None:
        """The run's summary line (written by RunLedger once the run is listed, before this
        handler runs) states the exit status: after a failed update it is 1."""
        assert self.crawler.stats is not None
        summary = self.crawler.stats.get_value("newscrawl/summary")
        if summary and self.crawler.stats.get_value("newscrawl/table_failure"):
            fixed = re.sub(r"exit status \d+", "exit status 1", summary, count=1)
            self.crawler.stats.set_value("newscrawl/summary", f"{fixed}; table not updated")
