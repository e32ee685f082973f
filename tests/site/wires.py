"""The local GlobeNewswire-like and PR Newswire-like sites: listings with pages, RSS feeds and
release pages in the wires' real markup (`wire_pages.py`), on the shared server (`server.py`).

    with WireSite("prnewswire", synthetic_releases("prnewswire", 40)) as site:
        site.base_url  # http://127.0.0.1:PORT

Routes, GlobeNewswire: `/newsroom[?page=N]`, feeds under `/RssFeed/…`, releases at
`[/<lang>]/news-release/<yyyy>/<mm>/<dd>/<id>/0/en/<Slug>.html`. PR Newswire:
`/news-releases/news-releases-list/?page=N&pagesize=M`, feeds `/rss/<name>.rss`, releases at
`/news-releases/<slug>-<id>.html`. Both: `/robots.txt`, `/_site/requests`, `/_site/clear`,
`/_site/add?n=K`. A listing page shows at most PAGE_SIZE releases (whatever `pagesize` asks),
newest first; a feed the FEED_SIZE newest. `site.layout = "redesigned"` serves release pages
without the wire's selectors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

from .faults import Response
from .releases import Release, synthetic_releases
from .server import LocalSite
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


def is_feed(wire: str, path: str) -> bool:
    if wire == "globenewswire":
        return path.startswith("/RssFeed/")
    return path.startswith("/rss/") and path.endswith(".rss")


class WireSite(LocalSite):
    """A wire's site on 127.0.0.1 serving ``releases``, with switchable faults."""

    def __init__(
        self, wire: str, releases: Iterable[Release], robots_txt: str | None = None
    ) -> None:
        super().__init__(robots_txt)
        self.wire = wire
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
        page = self._release(_LANGUAGE.sub("", path))
        return page or Response(404, render_not_found(self.wire).encode())

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
