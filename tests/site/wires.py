"""The local GlobeNewswire-like and PR Newswire-like sites: listings with pages, RSS feeds and
release pages in the wires' real markup (`wire_pages.py`), on the shared server (`server.py`).

    with WireSite("prnewswire", synthetic_releases("prnewswire", 40)) as site:
        site.base_url  # http://127.0.0.1:PORT

Routes, GlobeNewswire: `/newsroom[?page=N]`, feeds under `/RssFeed/…`, releases at
`[/<lang>]/news-release/<yyyy>/<mm>/<dd>/<id>/0/en/<Slug>.html`, the monthly news sitemaps of
`sitemaps.globenewswire.com` at `/news/en/<yyyy>-<mm>.xml` (the month in UTC). PR Newswire:
`/news-releases/news-releases-list/?page=N&pagesize=M`, feeds `/rss/<name>.rss`, releases at
`/news-releases/<slug>-<id>.html`, the rolling news sitemap `/sitemap-news.xml?page=N` (the 48
hours before the newest release, NEWS_PAGE_SIZE a page; an empty one after the last), the
index of monthly archives `/sitemap-gz.xml` and the archives `/Sitemap_Index_<Mon>_<yyyy>.xml.gz`
(the month in US Eastern time). Both: `/robots.txt` (the rules the evidence quotes; PR
Newswire's names its sitemaps), `/_site/requests`, `/_site/clear`, `/_site/add?n=K`. A listing
page shows at most PAGE_SIZE releases (whatever `pagesize` asks), newest first; a feed the
FEED_SIZE newest. `site.layout = "redesigned"` serves release pages without the wire's
selectors; `site.damaged_months` (`{"2025-04"}`) serves those monthly archives cut inside their
gzip stream; `site.off_by_zone` (release ids) dates those sitemap entries by the Eastern wall
time labelled UTC.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

from .faults import Response
from .releases import Release, synthetic_releases
from .server import LocalSite
from .sitemaps import damaged_gzip, news_sitemap, sitemap_index, url_sitemap
from .wire_pages import (
    render_feed,
    render_newsroom,
    render_not_found,
    render_release,
    render_release_list,
    render_release_redesigned,
)

PAGE_SIZE = 25
FEED_SIZE = 10
RELATED = 4  # links to other releases on a release page
_LANGUAGE = re.compile(r"^/[a-z]{2}(?=/news-release/)")
LISTINGS = {"globenewswire": "/newsroom", "prnewswire": "/news-releases/news-releases-list/"}
NEWS_PAGE_SIZE = 20  # entries a page of PR Newswire's rolling news sitemap
NEWS_WINDOW = timedelta(hours=48)  # how far back it reaches ("~48hr rolling window")
# robots.txt as quoted in discovery-sitemaps.md (GlobeNewswire's rules; PR Newswire's archives
# "discovered via robots.txt").
ROBOTS = {
    "globenewswire": "User-agent: *\nDisallow: /SubscribeToRss/\nDisallow: /newsroom/rss/\n"
    "Disallow: /JSWidget\nDisallow: /search\n",
    "prnewswire": "User-agent: *\nDisallow: /search/\n"
    "Sitemap: https://www.prnewswire.com/sitemap-gz.xml\n"
    "Sitemap: https://www.prnewswire.com/sitemap-news.xml?page=1\n",
}
_GNW_MONTH = re.compile(r"^/news/en/(\d{4}-\d{2})\.xml$")
_PRN_ARCHIVE = re.compile(r"^/Sitemap_Index_([A-Z][a-z]{2})_(\d{4})\.xml\.gz$")
XML = "application/xml; charset=utf-8"


def is_feed(wire: str, path: str) -> bool:
    if wire == "globenewswire":
        return path.startswith("/RssFeed/")
    return path.startswith("/rss/") and path.endswith(".rss")


class WireSite(LocalSite):
    """A wire's site on 127.0.0.1 serving ``releases``, with switchable faults."""

    def __init__(
        self, wire: str, releases: Iterable[Release], robots_txt: str | None = None
    ) -> None:
        super().__init__(ROBOTS[wire] if robots_txt is None else robots_txt)
        self.wire = wire
        self.damaged_months: set[str] = set()  # "YYYY-MM": archives served damaged
        self.off_by_zone: set[str] = set()  # release ids dated wrong in the sitemaps
        self._layout = "evidenced"
        self._order: list[Release] = []  # newest first
        self._cache: dict[str, bytes] = {}
        self.add_releases(list(releases))

    @property
    def layout(self) -> str:
        """How release pages are marked up: ``evidenced`` (the wire's) or ``redesigned``."""
        return self._layout

    @layout.setter
    def layout(self, name: str) -> None:
        if name not in ("evidenced", "redesigned"):
            raise ValueError(f"unknown layout {name!r}")
        with self._lock:
            self._layout = name
            self._cache.clear()

    # --- releases ------------------------------------------------------------------------
    def add_releases(self, releases: list[Release]) -> None:
        """Add releases; they go to the top of the listings and feeds."""
        with self._lock:
            self._order = sorted([*releases, *self._order], key=lambda r: r.published)[::-1]
            self._cache.clear()

    @property
    def releases(self) -> list[Release]:
        with self._lock:
            return list(self._order)

    def add_synthetic(self, n: int) -> list[Release]:
        """Add n new releases with ids above every current one."""
        with self._lock:
            start = max((int(r.id) for r in self._order), default=None)
            made = synthetic_releases(
                self.wire, n, None if start is None else start + 1, seed=len(self._order)
            )
            self.add_releases(made)
        return made

    def is_article(self, path: str) -> bool:
        return _LANGUAGE.sub("", path) in {r.path for r in self.releases}

    # --- routing -------------------------------------------------------------------------
    def route(self, target: str, base_url: str) -> Response:
        parts = urlsplit(target)
        path, params = parts.path, dict(parse_qsl(parts.query))
        if path == "/robots.txt":
            return Response(200, self.robots_txt.encode(), "text/plain; charset=utf-8")
        if path == LISTINGS[self.wire]:
            return self._listing(params)
        if is_feed(self.wire, path):
            feed = render_feed(self.wire, self.releases[:FEED_SIZE])
            return Response(200, feed.encode(), "application/rss+xml; charset=utf-8")
        page = self._sitemap(path, params) or self._release(_LANGUAGE.sub("", path))
        return page or Response(404, render_not_found(self.wire).encode())

    # --- sitemaps ------------------------------------------------------------------------
    def _sitemap(self, path: str, params: dict[str, str]) -> Response | None:
        if self.wire == "globenewswire":
            month = _GNW_MONTH.match(path)
            return self._month_news(month[1]) if month else None
        if path == "/sitemap-news.xml":
            page = int(params["page"]) if params.get("page", "").isdigit() else 1
            return self._rolling_news(page)
        if path == "/sitemap-gz.xml":
            return self._archive_index()
        archive = _PRN_ARCHIVE.match(path)
        return self._archive(f"{archive[1]} {archive[2]}") if archive else None

    def _month_news(self, month: str) -> Response | None:
        """GlobeNewswire's news sitemap of one month (by UTC), or None (404) if it has none."""
        releases = [r for r in self.releases if f"{r.published:%Y-%m}" == month]
        off = frozenset(self.off_by_zone)
        return Response(200, news_sitemap(releases, off), XML) if releases else None

    def _rolling_news(self, page: int) -> Response:
        releases = self.releases
        recent = [r for r in releases if r.published > releases[0].published - NEWS_WINDOW]
        shown = recent[(page - 1) * NEWS_PAGE_SIZE : page * NEWS_PAGE_SIZE] if page > 0 else []
        return Response(200, news_sitemap(shown, frozenset(self.off_by_zone)), XML)

    def _months(self) -> dict[str, list[Release]]:
        """PR Newswire's archive months ("Mar 2025", by US Eastern time) and their releases."""
        months: dict[str, list[Release]] = {}
        for release in self.releases:
            months.setdefault(f"{release.local:%b %Y}", []).append(release)
        return months

    def _archive_index(self) -> Response:
        entries = [
            (f"https://www.prnewswire.com/Sitemap_Index_{month.replace(' ', '_')}.xml.gz",
             releases[0].local)
            for month, releases in self._months().items()
        ]  # fmt: skip
        return Response(200, sitemap_index(entries), XML)

    def _archive(self, month: str) -> Response | None:
        releases = self._months().get(month)
        if releases is None:
            return None
        xml = url_sitemap(releases)
        damaged = f"{releases[0].local:%Y-%m}" in self.damaged_months
        body = damaged_gzip(xml) if damaged else gzip.compress(xml, mtime=0)
        return Response(200, body, "application/x-gzip")

    def _listing(self, params: dict[str, str]) -> Response:
        releases = self.releases
        size = min(int(params.get("pagesize", PAGE_SIZE)), PAGE_SIZE)
        pages = max(1, -(-len(releases) // size))
        page = min(max(int(params.get("page", "1")), 1), pages)
        shown = releases[(page - 1) * size : page * size]
        if self.wire == "globenewswire":
            html = render_newsroom(shown, pages)
        else:
            html = render_release_list(shown, page, pages, size)
        return Response(200, html.encode())

    def _release(self, path: str) -> Response | None:
        with self._lock:
            order = self._order
            index = next((i for i, r in enumerate(order) if r.path == path), None)
            if index is None:
                return None
            if path not in self._cache:
                release = order[index]
                others = (order[index + 1 :] + order[:index])[:RELATED]
                html = (
                    render_release_redesigned(release)
                    if self.layout == "redesigned"
                    else render_release(release, others)
                )
                self._cache[path] = html.encode()
            return Response(200, self._cache[path])

    def control(self, target: str) -> Response:
        parts = urlsplit(target)
        if parts.path != "/_site/add":
            return super().control(target)
        added = self.add_synthetic(int(dict(parse_qsl(parts.query)).get("n", "1")))
        data = {"added": [{"id": r.id, "path": r.path} for r in added]}
        return Response(200, json.dumps(data).encode(), "application/json")
