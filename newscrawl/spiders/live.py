"""A cron run's discovery: its listings, paged as far back as the run needs and no further,
and its feeds (any dialect: ``feeds.py``).

A cron run pages each listing until a page whose stories are all already in the seen store (a
quiet hour costs one page per listing), or all older than ``since``; after a cron run that did
not finish (stopped, killed, failed), whose listings may hold stories it never reached below
those it wrote, known stories do not stop the paging. ``NEWSCRAWL_MAX_LISTING_PAGES``
stays as a safety cap: a listing that reaches it before any story already known has run out
before reaching what earlier runs wrote, which is a coverage gap (counted as
``newscrawl/discovery/coverage_gaps``; the run's alarm is in ``newscrawl.health``). A backfill
(``until``) pages a listing back past the window instead (stories already known do not stop
it), up to ``NEWSCRAWL_BACKFILL_MAX_PAGES``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.http import Response, TextResponse

from newscrawl.spiders.discovery import Link, next_pages
from newscrawl.spiders.feeds import NotAFeed, read_feed
from newscrawl.spiders.parts import SpiderParts

if TYPE_CHECKING:
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)
CRON_CAP, BACKFILL_CAP = "NEWSCRAWL_MAX_LISTING_PAGES", "NEWSCRAWL_BACKFILL_MAX_PAGES"


def listing_done(
    links: list[Link], known: set[str], since: date | None, stop_at_known: bool
) -> str:
    """Why paging a listing stops after a page with these story ``links`` (``known``: the ids
    the seen store holds), or "" to go on. "Older than since" looks at the links the page
    dates (an undated link is page furniture, a box of popular stories).

    >>> a, b = Link("1", "a", date(2025, 4, 2)), Link("2", "b", date(2025, 3, 30))
    >>> listing_done([a, b], {"1", "2"}, None, True), listing_done([a, b], {"1"}, None, True)
    ('its stories are all known', '')
    >>> listing_done([a, b], {"1", "2"}, None, False)
    ''
    >>> listing_done([b], set(), date(2025, 4, 1), False)
    'its stories are all older than since'
    """
    if not links:
        return "it has no stories"
    if stop_at_known and all(link.story_id in known for link in links):
        return "its stories are all known"
    days = [link.published for link in links if link.published]
    if since and days and max(days) < since:
        return "its stories are all older than since"
    return ""


class LiveDiscovery(SpiderParts):
    """The spider's listing and feed callbacks (a part of ``SiteSpider``)."""

    def start_requests_for_site(self) -> Iterator[Request]:
        """The listing pages (``NEWSCRAWL_LISTING_PATHS``) and feeds (``NEWSCRAWL_FEED_PATHS``)
        a live run starts from: the site's ``listings`` and ``feeds`` by default."""
        for path in filter(None, self.settings.getlist("NEWSCRAWL_LISTING_PATHS")):
            yield self.listing_request(self.base_url + path)
        for path in filter(None, self.settings.getlist("NEWSCRAWL_FEED_PATHS")):
            yield Request(self.base_url + path, self.parse_feed, errback=self.feed_failed)

    def listing_request(
        self, url: str, page: int = 1, start: str = "", reached_known: bool = False
    ) -> Request:
        """A listing page; ``start``: its listing's first page, ``reached_known``: whether an
        earlier page of it held a story already known."""
        meta = {"listing_page": page, "listing_start": start or url, "listing_known": reached_known}
        return Request(url, self.parse_listing, errback=self.listing_failed, meta=meta)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.count_discovery("listing_pages")
        if not isinstance(response, TextResponse):
            return
        links = list(self.story_links(response, dated=True))
        known = self.known_stories(links)
        yield from self.story_requests(links, depth=1, known=known)
        if listing_done(links, known, self.since, not (self.backfill or self.catching_up)):
            return
        following = next_pages(response)
        if not following:
            return  # the listing's last page
        page, reached = response.meta["listing_page"], response.meta["listing_known"] or bool(known)
        cap_name = BACKFILL_CAP if self.backfill else CRON_CAP
        if page >= self.settings.getint(cap_name):
            self.listing_capped(response, links, reached, cap_name)
            return
        start = response.meta["listing_start"]
        yield self.listing_request(response.urljoin(following[0]), page + 1, start, reached)

    def listing_capped(
        self, response: Response, links: list[Link], reached_known: bool, cap_name: str
    ) -> None:
        """A listing that reached its cap with more pages to go: a coverage gap if no page of
        it held a story already known (a cron run), or if the window is not reached (a
        backfill). One warning naming the listing, counted."""
        dates = [link.published for link in links if link.published]
        back_to = f" (it reached back to {min(dates)})" if dates else ""
        start, pages = response.meta["listing_start"], response.meta["listing_page"]
        if self.backfill:
            oldest = self.crawler.stats.get_value("newscrawl/backfill_reached")
            if dates and (oldest is None or min(dates).isoformat() < oldest):
                self.crawler.stats.set_value("newscrawl/backfill_reached", min(dates).isoformat())
            self.discovery_warning(
                "backfill_gaps", "listing %s: %d pages (%s) before the window's first day%s",
                start, pages, cap_name, back_to,
            )  # fmt: skip
        elif not reached_known:
            self.discovery_warning(
                "coverage_gaps", "listing %s: %d pages (%s) and no story already known%s: "
                "stories older than these may be missing", start, pages, cap_name, back_to,
            )  # fmt: skip

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed after its retries: counted; the run goes on."""
        if self.discovery_failed(failure, "listing page", "listing_failures"):
            self.crawler.stats.inc_value("newscrawl/errors")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """A feed's stories (any dialect: ``feeds.py``); one that holds no entries is a
        warning, one that is no feed a failure, each naming the feed."""
        try:
            feed = read_feed(
                response, self.site_hosts, self.site.story_ref, self.site.json_feed, self.local
            )
        except NotAFeed as exc:
            self.discovery_warning(
                "feed_failures", "feed failed: %s: HTTP %d, %s", response.url, response.status, exc
            )
            return
        self.count_discovery("feeds")
        self.count_discovery("feed_items", feed.entries)
        if not feed.entries:
            self.discovery_warning(
                "feeds_empty", "feed is empty: %s: 0 items (%s)", response.url, feed.dialect
            )
        logger.info(
            "feed %s: %d items (%s), %d story links",
            response.url, feed.entries, feed.dialect, len(feed.links),
        )  # fmt: skip
        yield from self.story_requests(feed.links, depth=1)

    def feed_failed(self, failure: Failure) -> None:
        """Feeds are optional extra sources: their failure is counted, not a failed run."""
        self.discovery_failed(failure, "feed", "feed_failures")
