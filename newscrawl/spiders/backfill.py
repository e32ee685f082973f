"""Backfilling a window (``-a until=``, with or without ``since``) from the sources that reach
back: a site's sitemaps (``NEWSCRAWL_SITEMAPS``: monthly archives, news sitemaps, the
``Sitemap:`` lines of its robots.txt), or, for a site that has none, its listings paged back
past the window (``live.py``).

A sitemap index is followed to the sitemaps that may hold the window's stories (by the month
their URL names, else their ``lastmod``); a paged sitemap (``?page=N``) is read page by page
until a page older than the window; each story entry dated near the window (a day either side:
sitemap dates may be a zone's offset off) is asked for unless the seen store knows it, and its
page's own date decides. A sitemap that cannot be read is a warning naming it; a damaged
monthly archive one warning naming its month and how many stories it still gave.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.sitemap import sitemap_urls_from_robots
from w3lib.url import add_or_replace_parameter, url_query_cleaner

from newscrawl.site import Site
from newscrawl.spiders.discovery import Link, link_to, page_number
from newscrawl.spiders.parts import SpiderParts
from newscrawl.spiders.sitemaps import (
    SITEMAP_MAXSIZE,
    NotASitemap,
    SitemapEntry,
    SitemapFile,
    after_window,
    entry_wanted,
    month_urls,
    named_month,
    older_than_window,
    read_sitemap,
    sitemap_wanted,
    today_on,
    window_months,
)
from newscrawl.witness import sitemap_witness

if TYPE_CHECKING:
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

ROBOTS = "robots.txt"  # in NEWSCRAWL_SITEMAPS: the Sitemap: lines of the site's robots.txt


def on_base(url: str, base_url: str, site: Site) -> str:
    """Where to fetch a URL of the site from: a path on ``base_url``; a URL on one of the
    site's hosts or their subdomains (``sitemaps.globenewswire.com``) on ``base_url`` when it is
    a mirror or a test site; any other URL as it is.

    >>> from newscrawl.sites.globenewswire import GLOBENEWSWIRE as gnw
    >>> on_base("https://sitemaps.globenewswire.com/news/en/2025-04.xml", "http://127.0.0.1:8", gnw)
    'http://127.0.0.1:8/news/en/2025-04.xml'
    >>> on_base("/sitemap-gz.xml", gnw.root, gnw), on_base("https://x.example/a", "http://h", gnw)
    ('https://www.globenewswire.com/sitemap-gz.xml', 'https://x.example/a')
    """
    parts = urlsplit(url)
    if not parts.scheme:
        return base_url + "/" + url.lstrip("/")
    host = parts.hostname or ""
    mine = any(host == name or host.endswith("." + name) for name in site.hosts)
    if base_url == site.root or not mine:
        return url
    return base_url + urlunsplit(("", "", parts.path or "/", parts.query, ""))


class SitemapBackfill(SpiderParts):
    """The spider's backfill callbacks (a part of ``SiteSpider``)."""

    def backfill_requests(self) -> Iterator[Request]:
        """The first requests of a backfill: robots.txt when ``NEWSCRAWL_SITEMAPS`` names it
        (the others follow its answer), else the sitemaps, else the listings."""
        sitemaps = self.settings.getlist("NEWSCRAWL_SITEMAPS")
        if ROBOTS in sitemaps:
            yield Request(
                self.base_url + "/robots.txt", self.parse_robots, errback=self.robots_failed
            )
            return
        yield from self.sitemap_start([])

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """The sitemaps a robots.txt names (Scrapy's reader) that may hold the window."""
        named = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        today = today_on(self.local)
        wanted = [url for url in named if sitemap_wanted(url, None, self.window, self.local, today)]
        logger.info("robots.txt names %d sitemaps, %d for the window", len(named), len(wanted))
        yield from self.sitemap_start(wanted)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        logger.info("robots.txt gave no sitemaps: %s", failure.getErrorMessage())
        yield from self.sitemap_start([])

    def sitemap_start(self, from_robots: list[str]) -> Iterator[Request]:
        """The site's own sitemaps (monthly ones for each month of the window) and those its
        robots.txt named; with none at all, the listings paged back."""
        own = [url for url in self.settings.getlist("NEWSCRAWL_SITEMAPS") if url != ROBOTS]
        months = window_months(self.window, today_on(self.local))
        urls = [*from_robots, *(url for template in own for url in month_urls(template, months))]
        if any("{" in url for url in own) and not months:
            logger.warning("monthly sitemaps need a window with since: %s not read", own)
        if not urls:
            for path in filter(None, self.settings.getlist("NEWSCRAWL_LISTING_PATHS")):
                yield self.listing_request(self.base_url + path)
            return
        for url in dict.fromkeys(on_base(url, self.base_url, self.site) for url in urls):
            yield self.sitemap_request(url)

    def sitemap_request(self, url: str, page: int = 1) -> Request:
        # Sitemaps may live on another host (sitemaps.globenewswire.com): our settings and the
        # site's robots.txt name them, so the offsite filter lets them through.
        size = SITEMAP_MAXSIZE  # the protocol's limit, not a story page's
        meta = {"sitemap_page": page, "allow_offsite": True,
                "download_maxsize": size, "download_warnsize": size}  # fmt: skip
        return Request(url, self.parse_sitemap, errback=self.sitemap_failed, meta=meta)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap index's sitemaps for the window, or a sitemap's stories for it."""
        try:
            sitemap = read_sitemap(response.body)
        except NotASitemap as exc:
            self.discovery_warning(
                "sitemap_failures", "sitemap failed: %s: HTTP %d, %s", response.url,
                response.status, exc,
            )  # fmt: skip
            return
        self.count_discovery("sitemaps")
        if sitemap.kind == "sitemapindex":
            yield from self.index_requests(response.url, sitemap)
        else:
            yield from self.entry_requests(response, sitemap)

    def index_requests(self, url: str, index: SitemapFile) -> Iterator[Request]:
        """The sitemaps of an index that may hold the window's stories."""
        if index.damage:
            self.sitemap_damaged(url, index.damage, len(index.entries), "sitemaps")
        today = today_on(self.local)
        for entry in index.entries:
            if sitemap_wanted(entry.loc, entry.lastmod, self.window, self.local, today):
                yield self.sitemap_request(on_base(entry.loc, self.base_url, self.site))

    def entry_requests(self, response: Response, sitemap: SitemapFile) -> Iterator[Request]:
        """The stories of a sitemap that may be the window's, and its next page if paged."""
        self.count_discovery("sitemap_entries", len(sitemap.entries))
        pairs = [(entry, link) for entry in sitemap.entries if (link := self.sitemap_link(entry))]
        if sitemap.damage:
            self.sitemap_damaged(response.url, sitemap.damage, len(pairs), "stories")
        key = url_query_cleaner(response.url, ["page"], remove=True)  # the sitemap, any page
        chain = self.sitemap_ids.setdefault(key, set())
        new = {link.story_id for _, link in pairs} - chain
        chain |= new
        later = after_window(response.url, self.window)
        wanted = [
            link for entry, link in pairs if entry_wanted(entry, self.window, self.local, later)
        ]
        # A story of a sitemap is the window's own: links out of its page are not followed.
        yield from self.story_requests(wanted, self.settings.getint("NEWSCRAWL_DISCOVERY_DEPTH"))
        if new and not older_than_window(sitemap.entries, self.window, self.local):
            yield from self.next_sitemap_page(response)

    def next_sitemap_page(self, response: Response) -> Iterator[Request]:
        """The next page of a paged sitemap (``?page=N``), up to NEWSCRAWL_BACKFILL_MAX_PAGES."""
        number = page_number(response.url)
        if number is None:
            return
        page = response.meta.get("sitemap_page", 1)
        if page >= self.settings.getint("NEWSCRAWL_BACKFILL_MAX_PAGES"):
            self.discovery_warning(
                "backfill_gaps", "sitemap %s: stopped at NEWSCRAWL_BACKFILL_MAX_PAGES", response.url
            )
            return
        following = add_or_replace_parameter(response.url, "page", str(number + 1))
        yield self.sitemap_request(following, page + 1)

    def sitemap_link(self, entry: SitemapEntry) -> Link | None:
        """A story entry's link, with what the entry says of it as its witness."""
        witness = sitemap_witness(entry.published, entry.tickers, entry.keywords, self.local)
        return link_to(entry.loc, self.site_hosts, self.site.story_ref, witness)

    def sitemap_damaged(self, url: str, damage: str, count: int, what: str) -> None:
        """One warning for a damaged archive: its month (or URL) and how many stories (or
        sitemaps) it still gave."""
        month = named_month(url)
        name = f"{month[0]}-{month[1]:02d}" if month else url
        self.discovery_warning(
            "sitemaps_damaged", "sitemap archive of %s is damaged (%s): %d %s read before the "
            "damage; the others of it are missing (CC-NEWS may have them)", name, damage, count,
            what,
        )  # fmt: skip

    def sitemap_failed(self, failure: Failure) -> None:
        """A sitemap that could not be fetched: a warning naming it, counted."""
        self.discovery_failed(failure, "sitemap", "sitemap_failures")
