"""SiteSpider: the one spider, built from a site definition (``newscrawl/sites/``); a source's
spider names its site and nothing else.

Offline (``-a source=PATH``) it reads saved pages and archives on every core (``offline.py``);
live it reads listings (``live.py``: back to what earlier runs wrote) and feeds, or for a
backfill (``-a until=``) the site's sitemaps (``backfill.py``), and asks for each story found
(the run's seen-story filter, ``newscrawl.run.seen_filter``, drops the stories already
written), asks again for a page whose content came bad, and counts every story page that got
no answer. What cannot become an article is yielded as a ``Reject`` item, for the rejects
file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import tzinfo
from pathlib import Path
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.python.failure import Failure

from newscrawl import __version__
from newscrawl.identity import user_agent
from newscrawl.items import Article, Reject
from newscrawl.politeness import left_for_next_run
from newscrawl.run.extension import current_run
from newscrawl.run.files import newest_lines
from newscrawl.site import Ref, Site
from newscrawl.spiders.arguments import (
    ARGUMENTS,
    check_arguments,
    is_source_url,
    parse_base_url,
    parse_reextract,
    parse_since,
    parse_until,
)
from newscrawl.spiders.backfill import SitemapBackfill
from newscrawl.spiders.discovery import Link, why_failed
from newscrawl.spiders.live import LiveDiscovery
from newscrawl.spiders.offline import OFFLINE_SETTINGS, WindDown, source_outcomes
from newscrawl.spiders.stories import StoryPages
from newscrawl.warc.sources import unread_source
from newscrawl.window import Window

logger = logging.getLogger(__name__)


def last_cron_unfinished(crawler: Crawler) -> bool:
    """Whether the spider's last cron run (``runs.jsonl``) ended other than ``finished``: a
    line of another kind (``offline``, ``backfill``) is passed over; one of no kind (a killed
    run settled by recovery, a worker that lost its store) counts as a cron run."""
    run = current_run(crawler)
    for line in newest_lines(run.manifest) if run is not None else ():
        health = line.get("health")
        if not isinstance(health, dict) or health.get("mode") == "live":
            return bool(line.get("finish_reason") != "finished")
    return False


def source_of(value: str) -> Path | str | None:
    """What ``-a source=`` names: a path, a URL (kept as given), or nothing."""
    if not value:
        return None
    return value.strip() if is_source_url(value) else Path(value)


class SiteSpider(StoryPages, LiveDiscovery, SitemapBackfill, Spider):
    """Live: listing pages and feeds (a backfill: sitemaps), then only never-seen stories.
    Offline: saved pages and archives (paths or URLs). All that differs between sources is
    their ``site``."""

    site: Site  # the source this spider crawls; its spider's name is the site's
    winding: WindDown  # an offline run asked to stop by a signal
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
        spider.winding = WindDown(crawler)
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
        # A live run with an end date fetches a window of the past (sitemaps, listings paged
        # back); one without is a cron run (listings back to what is known, and feeds).
        self.backfill = self.source is None and self.until is not None
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
        self.scheduled = 0  # story requests the seen-story filter let through
        self.sitemap_ids: dict[str, set[str]] = {}  # story ids a paged sitemap gave, by its URL
        self.catching_up = False  # the last cron run did not finish: page past known stories

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The site's listings and feeds as ``NEWSCRAWL_LISTING_PATHS`` and
        ``NEWSCRAWL_FEED_PATHS`` (as ``custom_settings`` would: ``-s`` still wins); the project
        and its operator's contact in the User-Agent, unless one is given."""
        super().update_settings(settings)
        settings.set("NEWSCRAWL_LISTING_PATHS", list(cls.site.listings), priority="spider")
        settings.set("NEWSCRAWL_FEED_PATHS", list(cls.site.feeds), priority="spider")
        settings.set("NEWSCRAWL_SITEMAPS", list(cls.site.sitemaps), priority="spider")
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

    def progress(self) -> tuple[int, int | None]:
        """Story pages done, and found so far (None offline: an archive's count is known only
        once it is read); ``newscrawl.progress`` shows them."""
        if self.source is not None:
            return int(self.crawler.stats.get_value("newscrawl/pages", 0)), None
        return self.scheduled - len(self.unanswered), self.scheduled

    # -- the run ---------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.source is not None:
            async for article in self.read_source(self.source):
                yield article
            return
        self.catching_up = not self.backfill and last_cron_unfinished(self.crawler)
        if self.catching_up:
            logger.info("the last cron run did not finish: listings are read past known stories")
        requests = self.backfill_requests() if self.backfill else self.start_requests_for_site()
        for request in requests:
            yield request

    async def read_source(self, source: Path | str) -> AsyncIterator[Article | Reject]:
        """The articles of a saved page, a WARC archive (a path or a URL), or a folder of them,
        in order, parsed by ``NEWSCRAWL_OFFLINE_PROCESSES`` processes; what gives none is a
        ``Reject``. Stories outside the window are counted, not pages."""
        async with aclosing(source_outcomes(self.site, self.crawler, source)) as outcomes:
            async for outcome in outcomes:
                if self.winding.asked:
                    break
                if isinstance(outcome, Article) and not self.window.holds_story(
                    outcome.published_at, outcome.crawled_at, self.local
                ):
                    self.crawler.stats.inc_value("newscrawl/discovery/outside_window")
                    continue
                self.crawler.stats.inc_value("newscrawl/pages")  # every page is accounted for
                self.winding.given += 1
                yield outcome
        if self.winding.asked:
            await self.winding.drained()
            raise CloseSpider("shutdown")
        unread = unread_source(self.crawler.stats)
        run = current_run(self.crawler)
        if unread and run is not None:
            run.fail(unread)

    def wind_down(self) -> bool:
        """A signal asked the run to stop (``commands/shutdown.py``). An offline run stops
        reading its source and closes as ``shutdown`` once its pages are through the
        pipelines (True); a live run is stopped by Scrapy (False)."""
        if self.source is None:
            return False
        self.winding.asked = True
        return True

    # -- live ------------------------------------------------------------------------------
    def count_discovery(self, name: str, count: int = 1) -> None:
        """Count a discovery event (``listing_pages``, ``feeds``, ``feed_items``…) under
        ``newscrawl/discovery/``: the run's line reports them as ``discovery``."""
        self.crawler.stats.inc_value(f"newscrawl/discovery/{name}", count)

    def discovery_warning(self, counter: str, message: str, *args: object) -> None:
        """A discovery problem: one warning line (``message % args``), counted as
        ``newscrawl/discovery/<counter>``."""
        self.count_discovery(counter)
        logger.warning(message, *args)

    def discovery_failed(self, failure: Failure, what: str, counter: str) -> bool:
        """A listing page, feed or sitemap that failed after its retries: one warning naming
        it and what it got (``listing page failed: URL: HTTP 404``), counted as ``counter``;
        False (nothing said) for one left for the next run by a crawl that is stopping."""
        request = failure.request  # type: ignore[attr-defined]
        if left_for_next_run(failure):
            return False
        self.discovery_warning(counter, "%s failed: %s: %s", what, request.url, why_failed(failure))
        return True

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
