"""The floor of a crawl: a bare Scrapy spider fetching a list of URLs with an empty callback.

scrapy runspider bench/bare_spider.py -a urls=FILE   (one URL a line)
scrapy runspider bench/bare_spider.py -a urls=FILE -a parse=1   (each page lxml-parsed: the
floor of any crawler that reads what it fetches)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import lxml.html
from scrapy import Request, Spider
from scrapy.http import Response


class BareSpider(Spider):
    name = "bare"

    def __init__(self, urls: str = "", parse: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_file = Path(urls)
        self.parses = parse == "1"

    async def start(self) -> AsyncIterator[Request]:
        with self.url_file.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield Request(line.strip(), callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> None:
        """Nothing, or only an lxml parse of the body: the response is then dropped."""
        if self.parses:
            lxml.html.fromstring(response.body)
