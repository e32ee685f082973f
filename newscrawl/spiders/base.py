"""SiteSpider: the one spider, built from a site definition (``newscrawl/sites/``); a source's
spider names its site and nothing else.

Offline (``-a source=PATH``) it reads saved pages and archives on every core (``offline.py``);
live it reads listings and feeds and asks for each story found (the run's seen-story filter,
``newscrawl.run.seen_filter``, drops the stories already written), asks again for a page whose
content came bad, and counts every story page that got no answer. What cannot become an
article is yielded as a ``Reject`` item, for the rejects file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import tzinfo
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
from newscrawl.identity import user_agent
from newscrawl.items import Article, Reject
from newscrawl.run.extension import current_run
from newscrawl.run.seen_filter import STORY_META
from newscrawl.site import Ref, Site, StoryPage
from newscrawl.spiders.arguments import (
    ARGUMENTS,
    check_arguments,
    is_source_url,
    parse_base_url,
    parse_reextract,
    parse_since,
    parse_until,
)
from newscrawl.spiders.discovery import Link, listing_links, next_pages
from newscrawl.spiders.feeds import NotAFeed, read_feed
from newscrawl.spiders.offline import CRASHED, OFFLINE_SETTINGS, source_outcomes
from newscrawl.spiders.reading import (
    FAILED,
    TRUNCATED,
    Rejection,
    judge,
    page_of,
)
from newscrawl.warc.sources import unread_source
from newscrawl.window import Window

logger = logging.getLogger(__name__)

STORY_PRIORITY = 10  # stories before more listing pages: the queue stays one listing deep


def why_failed(failure: Failure) -> str:
    """What a failed request got: its HTTP status, else the error (a timeout, DNS…)."""
    if isinstance(failure.value, HttpError):
        return f"HTTP {failure.value.response.status}"
    return failure.getErrorMessage() or (failure.type.__name__ if failure.type else "")


def source_of(value: str) -> Path | str | None:
    """What ``-a source=`` names: a path, a URL (kept as given), or nothing."""
    if not value:
        return None
    return value.strip() if is_source_url(value) else Path(value)


class SiteSpider(Spider):
    """Live: listing pages and feeds, then only never-seen stories. Offline: saved pages and
    archives (paths or URLs). All that differs between sources is their ``site``."""

    site: Site  # the source this spider crawls; its spider's name is the site's
    writes_articles = True  # a run keeps this spider's books (newscrawl/run/)
    ARGUMENTS: ClassVar[frozenset[str]] = ARGUMENTS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A spider class that names its site is named after it (Scrapy finds it by name)."""
        super().__init_subclass__(**kwargs)
        if "site" in cls.__dict__ and "name" not in cls.__dict__:
            cls.name = cls.site.name

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """An offline run takes ``OFFLINE_SETTINGS`` (settings are not frozen yet here;
        ``-s`` still wins); the site is read on the clock the settings name, if they do."""
        if kwargs.get("source"):
            crawler.settings.setdict(OFFLINE_SETTINGS, priority="spider")
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        spider.site = cls.site.on_clock(crawler.settings)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        return spider

    @classmethod
    def check_arguments(cls, kwargs: dict[str, Any]) -> None:
        """Raise BadArgument for an unknown name or a bad value, before anything runs."""
        check_arguments(kwargs, cls.ARGUMENTS)

    @classmethod
    def check_settings(cls, settings: BaseSettings) -> None:
        """Raise ValueError for a setting value the site cannot use (exit status 2)."""
        cls.site.check_settings(settings)

    def __init__(self, **kwargs: Any) -> None:
        self.check_arguments(kwargs)
        super().__init__()
        self.source = source_of(kwargs.get("source") or "")
        self.base_url = parse_base_url(kwargs.get("base_url") or self.site.root)
        self.since = parse_since(kwargs["since"]) if kwargs.get("since") else None
        self.until = parse_until(kwargs["until"]) if kwargs.get("until") else None
        # Write again the stories of the source that were written before (newscrawl/run/write.py)
        self.reextract = parse_reextract(kwargs.get("reextract") or "no", kwargs.get("source"))
        self.window = Window(self.since, self.until)
        base = urlsplit(self.base_url)
        self.allowed_domains = [base.hostname or ""]
        # Hosts whose story links are the site's: its own, and base_url's.
        self.site_hosts = self.site.hosts | {base.netloc, base.hostname or ""}
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
        and its operator's contact in the User-Agent, unless one is given."""
        super().update_settings(settings)
        settings.set("NEWSCRAWL_LISTING_PATHS", list(cls.site.listings), priority="spider")
        settings.set("NEWSCRAWL_FEED_PATHS", list(cls.site.feeds), priority="spider")
        if settings.getpriority("USER_AGENT") == SETTINGS_PRIORITIES["default"]:
            contact = settings.get("NEWSCRAWL_CONTACT") or settings.get("NEWSCRAWL_CONTACT_URL", "")
            settings.set("USER_AGENT", user_agent(__version__, contact), priority="spider")

    # -- the site ------------------------------------------------------------------------
    @property
    def local(self) -> tzinfo:
        """The site's clock, the zone it prints naive times in (the run's health reads it)."""
        return self.site.clock

    def story_ref(self, url: str) -> Ref | None:
        """(story id, slug or path) of one of the site's story URLs, in any of its forms."""
        return self.site.story_ref(url)

    def request_url(self, link: Link) -> str:
        """Where to fetch a story found by discovery: its path on ``base_url``."""
        return self.base_url + self.site.story_path(link.story_id, link.slug)

    def start_requests_for_site(self) -> Iterator[Request]:
        """The listing pages (``NEWSCRAWL_LISTING_PATHS``) and feeds (``NEWSCRAWL_FEED_PATHS``)
        a live run starts from: the site's ``listings`` and ``feeds`` by default."""
        for path in filter(None, self.settings.getlist("NEWSCRAWL_LISTING_PATHS")):
            yield self.listing_request(self.base_url + path)
        for path in filter(None, self.settings.getlist("NEWSCRAWL_FEED_PATHS")):
            yield Request(self.base_url + path, self.parse_feed, errback=self.feed_failed)

    # -- the run ---------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.source is not None:
            async for article in self.read_source(self.source):
                yield article
            return
        for request in self.start_requests_for_site():
            yield request

    async def read_source(self, source: Path | str) -> AsyncIterator[Article | Reject]:
        """The articles of a saved page, a WARC archive (a path or a URL), or a folder of them,
        in order, parsed by ``NEWSCRAWL_OFFLINE_PROCESSES`` processes; what gives none is a
        ``Reject``. Stories outside the window are counted, not pages."""
        async for outcome in source_outcomes(self.site, self.crawler, source):
            if isinstance(outcome, Article) and not self.window.holds_story(
                outcome.published_at, outcome.crawled_at, self.local
            ):
                self.crawler.stats.inc_value("newscrawl/discovery/outside_window")
                continue
            self.crawler.stats.inc_value("newscrawl/pages")  # every page is accounted for
            if isinstance(outcome, Article):
                yield outcome
                continue
            reject = self.reject(outcome.url, outcome.reason, outcome.detail, **outcome.fields)
            reject.fails_run = outcome.reason in {FAILED, CRASHED}  # our bug, or a dead process
            yield reject
        unread = unread_source(self.crawler.stats)
        run = current_run(self.crawler)
        if unread and run is not None:
            run.fail(unread)

    def reject(self, url: str, reason: str, detail: str = "", **fields: Any) -> Reject:
        """A page that cannot become an article, as the item to yield (its rejects line)."""
        return Reject(url, reason, detail, fields)

    # -- live ------------------------------------------------------------------------------
    def listing_request(self, url: str, page: int = 1) -> Request:
        return Request(
            url, self.parse_listing, errback=self.listing_failed, meta={"listing_page": page}
        )

    def count_discovery(self, name: str, count: int = 1) -> None:
        """Count a discovery event (``listing_pages``, ``feeds``, ``feed_items``…) under
        ``newscrawl/discovery/``: the run's line reports them as ``discovery``."""
        self.crawler.stats.inc_value(f"newscrawl/discovery/{name}", count)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.count_discovery("listing_pages")
        if not isinstance(response, TextResponse):
            return
        links = self.story_links(response, dated=bool(self.window))
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
            response, self.site_hosts, dated=dated, root=root, ref=self.site.story_ref,
            id_digits=self.site.id_digits,
        )  # fmt: skip

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed after its retries: counted; the run goes on."""
        request = failure.request  # type: ignore[attr-defined]
        logger.warning("listing page failed: %s: %s", request.url, why_failed(failure))
        self.count_discovery("listing_failures")
        self.crawler.stats.inc_value("newscrawl/errors")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """A feed's stories (any dialect: ``feeds.py``); one that holds no entries is a
        warning, one that is no feed a failure, each naming the feed."""
        try:
            feed = read_feed(response, self.site_hosts, self.site.story_ref, self.site.json_feed)
        except NotAFeed as exc:
            logger.warning("feed failed: %s: HTTP %d, %s", response.url, response.status, exc)
            self.count_discovery("feed_failures")
            return
        self.count_discovery("feeds")
        self.count_discovery("feed_items", feed.entries)
        if not feed.entries:
            logger.warning("feed is empty: %s: 0 items (%s)", response.url, feed.dialect)
            self.count_discovery("feeds_empty")
        logger.info(
            "feed %s: %d items (%s), %d story links",
            response.url, feed.entries, feed.dialect, len(feed.links),
        )  # fmt: skip
        yield from self.story_requests(feed.links, depth=1)

    def feed_failed(self, failure: Failure) -> None:
        """Feeds are optional extra sources: their failure is counted, not a failed run."""
        request = failure.request  # type: ignore[attr-defined]
        logger.warning("feed failed: %s: %s", request.url, why_failed(failure))
        self.count_discovery("feed_failures")

    def story_requests(self, links: Iterable[Link], depth: int) -> Iterator[Request]:
        """Requests for stories never seen before; known ids are counted, not fetched."""
        fresh = {}
        for link in links:
            if link.story_id in self.requested or link.story_id in fresh:
                continue
            if self.since and link.published and link.published < self.since:
                self.crawler.stats.inc_value("newscrawl/skipped_since")
                continue
            if self.until and link.published and link.published > self.until:
                self.crawler.stats.inc_value("newscrawl/skipped_until")
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
        page = page_of(self.site, response, ref)
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
        logger.warning("gave up on %s: %s", request.url, why_failed(failure))
        self.crawler.stats.inc_value("newscrawl/errors")
