"""What ``SiteSpider`` (``base.py``) gives the parts it is made of (``live.py``, ``backfill.py``,
``stories.py``): declared for the type checker only; at run time the spider's own attributes
and methods serve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import TextResponse
from scrapy.settings import BaseSettings

from newscrawl.site import Site
from newscrawl.spiders.discovery import Link
from newscrawl.window import Window

if TYPE_CHECKING:
    from twisted.python.failure import Failure


class SpiderParts:
    """The spider's attributes and methods its callback parts use."""

    if TYPE_CHECKING:
        crawler: Crawler
        settings: BaseSettings
        site: Site
        base_url: str
        site_hosts: frozenset[str]
        since: date | None
        window: Window
        backfill: bool  # a live run with an end date (``until``)
        catching_up: bool  # the last cron run did not finish
        sitemap_ids: dict[str, set[str]]  # story ids a paged sitemap gave, by its URL
        name: str
        until: date | None
        requested: set[str]  # story ids asked for in this run
        unanswered: dict[str, str]  # story id -> URL: requested, no answer yet
        scheduled: int  # story requests the seen-story filter let through

        @property
        def local(self) -> tzinfo: ...
        def story_links(
            self, response: TextResponse, *, dated: bool, root: Any = None
        ) -> Iterator[Link]: ...
        def known_stories(self, links: Iterable[Link]) -> set[str]: ...
        def story_requests(
            self, links: Iterable[Link], depth: int, known: set[str] | None = None
        ) -> Iterator[Request]: ...
        def listing_request(
            self, url: str, page: int = 1, start: str = "", reached_known: bool = False
        ) -> Request: ...
        def count_discovery(self, name: str, count: int = 1) -> None: ...
        def request_url(self, link: Link) -> str: ...
        def discovery_failed(self, failure: Failure, what: str, counter: str) -> bool: ...
        def discovery_warning(self, counter: str, message: str, *args: object) -> None: ...
