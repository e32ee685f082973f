"""The floor of a crawl: a bare Scrapy spider fetching a list of URLs with an empty callback.

scrapy runspider bench/bare_spider.py -a urls=FILE   (one URL a line)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response


class BareSpider(Spider):
    name = "bare"

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_file = Path(urls)

    async def start(self) -> AsyncIterator[Request]:
        with self.url_file.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield Request(line.strip(), callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> None:
        """Nothing: the response is downloaded and dropped."""
