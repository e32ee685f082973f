"""The floor of a run's fixed cost: a spider of this project that yields nothing.

scrapy crawl empty -s SPIDER_MODULES=newscrawl.spiders,bench.empty_spider

Crawled with the project's own settings, add-ons and `crawl` command, it costs what any run
of the project costs before it does anything: Python, Scrapy and the project started, every
spider module loaded, the engine opened and closed. It writes no articles, so it keeps no run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Spider


class EmptySpider(Spider):
    name = "empty"

    async def start(self) -> AsyncIterator[Any]:
        return
        yield  # an async generator that yields nothing
