"""WireSpider: what every wire spider shares; a wire adds its start pages, link rule and pages.

Offline (``-a source=PATH``) it reads saved pages and archives on every core (``offline.py``);
live it reads listings and feeds and asks for each story found (the run's seen-story filter,
``newscrawl.run.seen_filter``, drops the stories already written), asks again for a page whose
content came bad, and counts every story page that got no answer. What cannot become an
article is yielded as a ``Reject`` item, for the rejects file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl import __version__
from newscrawl.archive import ARCHIVE_META
from newscrawl.discovery import ID_DIGITS, Link, feed_links, listing_links, next_pages
from newscrawl.items import Article, Reject
from newscrawl.run.seen_filter import STORY_META
from newscrawl.saved import UnreadablePage
from newscrawl.spiders.arguments import ARGUMENTS, check_arguments, parse_base_url, parse_since
from newscrawl.spiders.offline import CRASHED, OFFLINE_SETTINGS, source_outcomes
from newscrawl.spiders.reading import (
    FAILED,
    TRUNCATED,
    Rejection,
    StoryPage,
    judge,
    page_of,
)
from newscrawl.urls import Ref, saved_page_ref

logger = logging.getLogger(__name__)

STORY_PRIORITY = 10  # stories before more listing pages: the queue stays one listing deep


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class WireSpider(Spider):
    """Live: listing pages and feeds, then only never-seen stories. Offline: saved pages."""

    writes_articles = True  # a run keeps this spider's books (newscrawl/run/)
    ARGUMENTS: ClassVar[frozenset[str]] = ARGUMENTS
    default_base_url: ClassVar[str] = ""
    site_name: ClassVar[str] = ""  # as the site writes it, for messages: "MENAFN"
    site_hosts: frozenset[str] = frozenset()  # hosts whose story links are this wire's
    id_digits: ClassVar[int] = ID_DIGITS  # the fewest digits a story id of the site has
    listing_paths: ClassVar[tuple[str, ...]] = ()  # NEWSCRAWL_LISTING_PATHS for this site
    feed_paths: ClassVar[tuple[str, ...]] = ()  # NEWSCRAWL_FEED_PATHS for this site
    # The settings its page classes read: all an offline run's worker processes are given.
    PAGE_SETTINGS: ClassVar[tuple[str, ...]] = ("DOWNLOAD_MAXSIZE",)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """An offline run takes ``OFFLINE_SETTINGS`` (settings are not frozen yet here;
        ``-s`` still wins)."""
        if kwargs.get("source"):
            crawler.settings.setdict(OFFLINE_SETTINGS, priority="spider")
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        return spider

    @classmethod
    def check_arguments(cls, kwargs: dict[str, Any]) -> None:
        """Raise BadArgument for an unknown name or a bad value, before anything runs."""
        check_arguments(kwargs, cls.ARGUMENTS)

    def __init__(self, **kwargs: Any) -> None:
        self.check_arguments(kwargs)
        super().__init__()
        self.arguments = dict(kwargs)  # what a worker process builds its own copy from
        self.source = Path(kwargs["source"]) if kwargs.get("source") else None
        self.base_url = parse_base_url(kwargs.get("base_url") or self.default_base_url)
        self.since = parse_since(kwargs["since"]) if kwargs.get("since") else None
        base = urlsplit(self.base_url)
        self.allowed_domains = [base.hostname or ""]
        self.site_hosts = self.site_hosts | {base.netloc, base.hostname or ""}
        # A base_url the user gives is consent to fetch from that one host, even a local one.
        default_port = 443 if base.scheme == "https" else 80
        explicit = bool(kwargs.get("base_url"))
        self.private_hosts = {f"{base.hostname}:{base.port or default_port}"} if explicit else set()
        self.requested: set[str] = set()  # story ids asked for in this run (bounded by it)
        self.unanswered: dict[str, str] = {}  # story id -> URL: requested, no answer yet

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The site's listings and feeds as ``NEWSCRAWL_LISTING_PATHS`` and
        ``NEWSCRAWL_FEED_PATHS`` (as ``custom_settings`` would: ``-s`` still wins); the project
        and its contact URL in the User-Agent, unless one is given."""
        super().update_settings(settings)
        settings.set("NEWSCRAWL_LISTING_PATHS", list(cls.listing_paths), priority="spider")
        settings.set("NEWSCRAWL_FEED_PATHS", list(cls.feed_paths), priority="spider")
        if settings.getpriority("USER_AGENT") == SETTINGS_PRIORITIES["default"]:
            contact = settings["NEWSCRAWL_CONTACT_URL"]
            settings.set("USER_AGENT", f"newscrawl/{__version__} (+{contact})", priority="spider")

    # -- what a wire spider provides -------------------------------------------------------
    def story_ref(self, url: str) -> Ref | None:
        """(story id, slug) of one of this wire's story URLs, in any of its forms."""
        raise NotImplementedError

    def request_url(self, link: Link) -> str:
        """Where to fetch a story found by discovery: on ``base_url``, the path its Ref holds
        (a wire whose URL rule gives a slug instead says how to build the path)."""
        return self.base_url + link.slug

    def start_requests_for_site(self) -> Iterator[Request]:
        """The listing pages (``NEWSCRAWL_LISTING_PATHS``) and feeds (``NEWSCRAWL_FEED_PATHS``)
        a live run starts from: the site's ``listing_paths`` and ``feed_paths`` by default."""
        for path in filter(None, self.settings.getlist("NEWSCRAWL_LISTING_PATHS")):
            yield self.listing_request(self.base_url + path)
        for path in filter(None, self.settings.getlist("NEWSCRAWL_FEED_PATHS")):
            yield Request(self.base_url + path, self.parse_feed, errback=self.extra_failed)

    def html_page(self, response: TextResponse, ref: Ref | None) -> StoryPage:
        """The page object for a story page in HTML (fetched, or saved)."""
        raise NotImplementedError

    def text_page(self, text: str, url: str, ref: Ref | None) -> StoryPage:
        """The page object for a saved text rendering; a wire without one refuses them."""
        raise UnreadablePage("not a saved page", f"{self.name} reads saved HTML pages only")

    def saved_ref(self, stem: str) -> Ref | None:
        """The story id a saved page's file name ``<id>[-<slug>]`` carries."""
        return saved_page_ref(stem)

    # -- the run ---------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.source is not None:
            async for article in self.read_source(self.source):
                yield article
            return
        for request in self.start_requests_for_site():
            yield request

    async def read_source(self, source: Path) -> AsyncIterator[Article | Reject]:
        """The articles of a saved page, a WARC archive, or a folder of them, in order, parsed
        by ``NEWSCRAWL_OFFLINE_PROCESSES`` processes; what gives none is a ``Reject``."""
        settings = {name: self.settings[name] for name in self.PAGE_SETTINGS}
        outcomes = source_outcomes(self, self.crawler, source, self.arguments, settings)
        async for outcome in outcomes:
            self.crawler.stats.inc_value("newscrawl/pages")  # every page is accounted for
            if isinstance(outcome, Article):
                yield outcome
                continue
            reject = self.reject(outcome.url, outcome.reason, outcome.detail, **outcome.fields)
            reject.fails_run = outcome.reason in {FAILED, CRASHED}  # our bug, or a dead process
            yield reject

    def reject(self, url: str, reason: str, detail: str = "", **fields: Any) -> Reject:
        """A page that cannot become an article, as the item to yield (its rejects line)."""
        return Reject(url, reason, detail, fields)

    # -- live ------------------------------------------------------------------------------
    def listing_request(self, url: str, page: int = 1) -> Request:
        return Request(
            url, self.parse_listing, errback=self.listing_failed, meta={"listing_page": page}
        )

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value("newscrawl/listing_pages")
        if not isinstance(response, TextResponse):
            return
        links = self.story_links(response, dated=self.since is not None)
        yield from self.story_requests(links, depth=1)
        page = response.meta.get("listing_page", 1)
        if page < self.settings.getint("NEWSCRAWL_MAX_LISTING_PAGES"):
            for url in next_pages(response):
                yield self.listing_request(response.urljoin(url), page + 1)

    def story_links(
        self, response: TextResponse, *, dated: bool, root: Any = None
    ) -> Iterator[Link]:
        """The story links of a listing or story page, by the site's URL rule."""
        return listing_links(
            response, self.site_hosts, dated=dated, root=root, ref=self.story_ref,
            id_digits=self.id_digits,
        )  # fmt: skip

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed after its retries: counted; the run goes on."""
        request = failure.request  # type: ignore[attr-defined]
        logger.warning("listing page failed: %s: %s", request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value("newscrawl/listing_failures")
        self.crawler.stats.inc_value("newscrawl/errors")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        links = feed_links(response, self.site_hosts, ref=self.story_ref)
        if links is None:
            logger.warning("ignored extra source %s: neither RSS nor the JSON API", response.url)
            self.crawler.stats.inc_value("newscrawl/extra_source_errors")
            return
        yield from self.story_requests(links, depth=1)

    def extra_failed(self, failure: Failure) -> None:
        """Feeds are optional extra sources: their failure does not fail the run."""
        logger.warning("extra source failed: %s", failure.getErrorMessage())
        self.crawler.stats.inc_value("newscrawl/extra_source_errors")

    def story_requests(self, links: Iterable[Link], depth: int) -> Iterator[Request]:
        """Requests for stories never seen before; known ids are counted, not fetched."""
        fresh = {}
        for link in links:
            if link.story_id in self.requested or link.story_id in fresh:
                continue
            if self.since and link.published and link.published < self.since:
                self.crawler.stats.inc_value("newscrawl/skipped_since")
                continue
            fresh[link.story_id] = link
        for story_id, link in fresh.items():
            self.requested.add(story_id)
            yield Request(
                self.request_url(link),
                self.parse_article,
                errback=self.article_failed,
                # JSON-safe meta (a list, not a tuple): a shared queue stores it as JSON.
                meta={
                    "ref": [story_id, link.slug], "discovery_depth": depth, ARCHIVE_META: True,
                    STORY_META: f"{self.name}:{story_id}",  # the seen-story filter's key
                },
                priority=STORY_PRIORITY,
            )  # fmt: skip

    def request_scheduled(self, request: Request) -> None:
        """A story request that passed the seen-story filter awaits its answer."""
        ref = request.meta.get("ref")
        if ref and STORY_META in request.meta:
            self.unanswered[ref[0]] = request.url

    def parse_article(self, response: Response) -> Iterator[Any]:
        self.crawler.stats.inc_value("newscrawl/pages")
        self.unanswered.pop(response.meta["ref"][0], None)
        story_id, slug = response.meta["ref"]  # a list when it came through a shared queue
        page = self.story_page(response, (story_id, slug))
        if isinstance(page, Reject):
            yield page
            return
        if not page.is_complete():
            yield from self.retry_or_reject(response, TRUNCATED, "no </html>: cut short")
            return
        yield self.accept(page, response.url)
        depth = response.meta.get("discovery_depth", 1)
        if depth < self.settings.getint("NEWSCRAWL_DISCOVERY_DEPTH") and isinstance(
            response, TextResponse
        ):
            root = getattr(page, "root", None)
            links = self.story_links(response, dated=False, root=root)
            yield from self.story_requests(links, depth + 1)

    def story_page(self, response: Response, ref: Ref | None) -> StoryPage | Reject:
        """The page object of a story answer, or its ``Reject`` if it is not text."""
        page = page_of(self, response, ref)
        if isinstance(page, Rejection):
            return self.reject(page.url, page.reason, page.detail)
        return page

    def accept(self, page: StoryPage, url: str) -> Article | Reject:
        """The page's article, or a ``Reject`` saying what is wrong with it."""
        outcome = judge(page, url)
        if isinstance(outcome, Rejection):
            return self.reject(outcome.url, outcome.reason, outcome.detail, **outcome.fields)
        return outcome

    def closed(self, reason: str) -> None:
        """Stories asked for that never got an answer (a redirect loop the duplicate filter cut,
        an offsite redirect Scrapy dropped) are errors too: nothing is lost silently."""
        if not self.unanswered or reason != "finished":
            return
        if self.settings.get("NEWSCRAWL_REDIS_URL"):
            # A shared crawl: another worker may have fetched them, or the shared duplicate
            # filter dropped a second request for them; unseen, the next crawl asks again.
            logger.info("%d story pages asked for were fetched elsewhere", len(self.unanswered))
            return
        self.crawler.stats.inc_value("newscrawl/errors", len(self.unanswered))
        urls = sorted(self.unanswered.values())[:10]
        logger.warning(
            "%d story pages got no answer (dropped on the way), e.g. %s", len(self.unanswered), urls
        )

    def retry_or_reject(
        self, response: Response, reason: str, detail: str
    ) -> Iterator[Request | Reject]:
        """Ask again for a page whose content came bad; after the retries, reject it."""
        assert response.request is not None  # a downloaded response knows its request
        retry = get_retry_request(response.request, spider=self, reason=reason)
        if retry is not None:
            for key in [k for k in retry.meta if k.startswith("download_")]:
                del retry.meta[key]  # the downloader's notes on the last try, not ours
            yield retry  # awaiting its answer again once scheduled (request_scheduled)
        else:
            yield self.reject(response.url, reason, detail)

    def article_failed(self, failure: Failure) -> None:
        """A story page that failed for good (404, timeouts, too large…): one line, counted."""
        request = failure.request  # type: ignore[attr-defined]
        self.unanswered.pop(request.meta["ref"][0], None)
        if isinstance(failure.value, HttpError):
            why = f"HTTP {failure.value.response.status}"
        else:
            why = failure.getErrorMessage() or (failure.type.__name__ if failure.type else "")
        logger.warning("gave up on %s: %s", request.url, why)
        self.crawler.stats.inc_value("newscrawl/errors")
