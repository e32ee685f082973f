"""The floor of an offline run in Scrapy: start Scrapy, read and lxml-parse every file, no more.

scrapy runspider bench/floor_files.py -a folder=DIR

What any Scrapy-based program that parses each saved page costs before it extracts anything:
Scrapy's start-up and engine, then one ``lxml.html.fromstring`` per file. The ratio of the
trafilatura script to this is the most a whole offline run in Scrapy can reach against it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import lxml.html
from scrapy import Spider


class FloorSpider(Spider):
    name = "floor_files"

    def __init__(self, folder: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder = Path(folder)

    async def start(self) -> AsyncIterator[Any]:
        parsed = 0
        for path in sorted(self.folder.glob("*.htm*")):
            lxml.html.fromstring(path.read_bytes())
            parsed += 1
        self.logger.warning("parsed %d files", parsed)
        return
        yield  # an async generator that yields nothing
