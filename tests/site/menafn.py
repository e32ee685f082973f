"""The local MENAFN-like site: listings, story pages in MENAFN's markup, robots.txt.

    site = MenafnSite(synthetic_stories(200))
    base = site.start()                      # http://127.0.0.1:PORT
    site.faults["/tb_news.aspx"] = Fault(statuses=[503, 503])
    ...
    site.stop()

Routes: `/` the home page, `/<10-digit id>/<any slug>[?query]` story pages,
`/tb_news.aspx?tb_html=<section>`, `/qn_news_sections.aspx` (20 per page, `&page=N`),
`/rss/<dialect>.xml` feeds (`feeds.py`: rss090, rss091, rss092, rss10, rss20, atom10; each holds
every sixth story, the dialect's own share, so together they hold them all), `/rss/empty.xml`
(a feed with no items), `/robots.txt`, `/_site/requests`, `/_site/clear`, `/_site/add?n=K`,
`/_site/layout?name=evidenced|redesigned|scripted`; anything else is 404.

`site.layout` says how story pages are marked up: `evidenced` (MENAFN's ASP.NET ids, the
default), `redesigned` (no MENAFN selectors, no JSON-LD, `<br>`-separated text) or `scripted`
(the story is not in the HTML; scripts would render it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

from .faults import Response
from .feeds import DIALECTS, render_feed
from .pages import (
    render_article,
    render_article_redesigned,
    render_article_scripted,
    render_error,
    render_home,
    render_listing,
)
from .server import LocalSite
from .stories import SECTIONS, Story, synthetic_stories

ARTICLE_PATH = re.compile(r"^/(\d{10})(?:/[^?#]*)?$")
FEED_PATH = re.compile(r"^/rss/(\w+)\.xml$")
FEED_TYPE = "application/rss+xml; charset=utf-8"
LAYOUTS = ("evidenced", "redesigned", "scripted")


class MenafnSite(LocalSite):
    """A MENAFN-shaped site on 127.0.0.1 serving `stories`, with switchable faults."""

    def __init__(
        self, stories: Iterable[Story], robots_txt: str | None = None, compress: bool = False
    ) -> None:
        super().__init__(robots_txt, compress)
        self._order: list[Story] = []  # listing order: newest batch first
        self._by_id: dict[int, Story] = {}
        self._cache: dict[int, bytes] = {}
        self._layout = "evidenced"
        self.add_stories(list(stories))

    @property
    def layout(self) -> str:
        """How story pages are marked up: one of LAYOUTS."""
        return self._layout

    @layout.setter
    def layout(self, name: str) -> None:
        if name not in LAYOUTS:
            raise ValueError(f"unknown layout {name!r} (known: {', '.join(LAYOUTS)})")
        with self._lock:
            self._layout = name
            self._cache.clear()

    # --- stories -------------------------------------------------------------------------
    def add_stories(self, stories: list[Story]) -> None:
        """Add (or replace, by id) stories; they go to the top of every listing."""
        batch = sorted(stories, key=lambda s: (s.published, s.id), reverse=True)
        new_ids = {s.id for s in batch}
        with self._lock:
            self._order = batch + [s for s in self._order if s.id not in new_ids]
            self._by_id.update((s.id, s) for s in batch)
            self._cache.clear()

    @property
    def stories(self) -> list[Story]:
        """All stories in listing order (newest first)."""
        with self._lock:
            return list(self._order)

    def add_synthetic(self, n: int) -> list[Story]:
        """Add n new synthetic stories with ids above every current id."""
        with self._lock:
            start = max(self._by_id, default=1110000000 - 1) + 1
            stories = synthetic_stories(n, start_id=start, seed=len(self._by_id))
            self.add_stories(stories)
        return stories

    def is_article(self, path: str) -> bool:
        return bool(ARTICLE_PATH.match(path))

    def route(self, target: str, base_url: str) -> Response:
        """The normal (fault-free) response for a path + query."""
        parts = urlsplit(target)
        path, params = parts.path, dict(parse_qsl(parts.query))
        if path == "/robots.txt":
            return Response(200, self.robots_txt.encode(), "text/plain; charset=utf-8")
        if path == "/":
            return Response(200, render_home(self.stories).encode())
        if match := ARTICLE_PATH.match(path):
            return self._article(int(match[1]))
        if path.lower() in ("/tb_news.aspx", "/qn_news_sections.aspx"):
            return self._listing(path, params, base_url)
        if (feed := FEED_PATH.match(path)) and feed[1] in (*DIALECTS, "empty"):
            return self._feed(feed[1])
        return Response(404, render_error(404).encode())

    def _feed(self, dialect: str) -> Response:
        """A feed of this dialect's share of the stories (every sixth); ``empty`` has none."""
        if dialect == "empty":
            return Response(200, render_feed("rss20", []).encode(), FEED_TYPE)
        share = list(DIALECTS).index(dialect)
        stories = self.stories[share :: len(DIALECTS)]
        return Response(200, render_feed(dialect, stories).encode(), FEED_TYPE)

    def _article(self, story_id: int) -> Response:
        with self._lock:
            if story_id not in self._by_id:
                return Response(404, render_error(404).encode())
            if story_id not in self._cache:
                order = self._order
                index = next(i for i, s in enumerate(order) if s.id == story_id)
                others = order[index + 1 :] + order[:index]
                story = self._by_id[story_id]
                if self._layout == "redesigned":
                    html = render_article_redesigned(story, more=others[:10])
                elif self._layout == "scripted":
                    html = render_article_scripted(story)
                else:
                    html = render_article(story, market=others[10:15], more=others[:10])
                self._cache[story_id] = html.encode()
            return Response(200, self._cache[story_id])

    def _listing(self, path: str, params: dict[str, str], base_url: str) -> Response:
        stories = self.stories
        if path.lower() == "/tb_news.aspx":
            category = SECTIONS.get(params.get("tb_html", ""))
            if category is None:
                return Response(404, render_error(404).encode())
            stories = [s for s in stories if s.category == category]
            heading = params.get("tb_title") or f"{category} - Latest News"
        else:
            heading = "Latest News - All Sections"
        page = int(params["page"]) if params.get("page", "").isdigit() else 1
        rest = {k: v for k, v in params.items() if k != "page"}
        html = render_listing(heading, path, rest, stories, max(page, 1), base_url)
        return Response(200, html.encode())

    def control(self, target: str) -> Response:
        """`/_site/layout?name=…` and `/_site/add?n=K`, besides the shared endpoints."""
        parts = urlsplit(target)
        params = dict(parse_qsl(parts.query))
        if parts.path == "/_site/layout":
            try:
                self.layout = params.get("name", "")
            except ValueError as exc:
                return Response(400, json.dumps({"error": str(exc)}).encode(), "application/json")
            data: object = {"layout": self.layout}
        elif parts.path == "/_site/add":
            added = self.add_synthetic(int(params.get("n", "1")))
            data = {
                "added": [{"id": s.id, "path": s.path} for s in added],
                "total": len(self.stories),
            }
        else:
            return super().control(target)
        return Response(200, json.dumps(data).encode(), "application/json")
