"""A crawl in the test's own process, as Scrapy's own tests run them: no `scrapy crawl` child.

Scrapy 2.19 runs without a Twisted reactor on an asyncio loop (``TWISTED_REACTOR_ENABLED=0``),
so one process can run crawl after crawl. For what needs a process of its own (exit statuses,
signals, locks), use ``tests.conftest.crawl``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerRunner
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader


@dataclass
class Crawled:
    """What one in-process crawl left: its stats, and where it wrote."""

    stats: dict[str, Any]
    out: Path
    spider: str

    @property
    def status(self) -> int:
        return int(self.stats.get("newscrawl/exit_status", -1))

    @property
    def folder(self) -> Path:
        return self.out / self.spider


def crawl_here(
    out: Path, spider: str = "menafn", settings: dict[str, Any] | None = None, **arguments: str
) -> Crawled:
    """Crawl ``spider`` with the project's settings, writing under ``out`` (its state in
    ``out/.state/seen.sqlite3`` unless ``settings`` says otherwise)."""
    values = Settings()
    values.setmodule("newscrawl.settings", priority="project")
    values.setdict(
        {
            "TWISTED_REACTOR_ENABLED": False,
            "NEWSCRAWL_OUTPUT_DIR": str(out),
            "NEWSCRAWL_STATE": str(out / ".state" / "seen.sqlite3"),
            "NEWSCRAWL_OFFLINE_PROCESSES": 1,  # no worker processes forked from pytest's
            "LOG_LEVEL": "WARNING",
            **(settings or {}),
        },
        priority="cmdline",
    )

    async def run() -> dict[str, Any]:
        runner = AsyncCrawlerRunner(values)
        crawler = runner.create_crawler(SpiderLoader.from_settings(values).load(spider))
        await crawler.crawl_async(**arguments)
        return dict(crawler.stats.get_stats())

    return Crawled(asyncio.run(run()), out, spider)
