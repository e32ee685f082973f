"""Site: the definition of one source, which its spider, its pages, discovery and the offline
workers are built from. The definitions themselves are in ``newscrawl/sites/``, one per source.

A definition is plain data (names, tuples, a zone) and module-level functions and classes, so
it pickles: an offline run's worker processes are given the definition, not a spider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any, Protocol

from scrapy.http import TextResponse

from newscrawl.dates import zone
from newscrawl.items import Article

Ref = tuple[str, str]  # (story id, what the site's story path needs: a slug, or the path)
RefRule = Callable[[str], Ref | None]  # a site's URL rule: the Ref of one of its story URLs


class StoryPage(Protocol):
    """What the spiders need of a page object: an article, and a verdict on it."""

    layer: str | None  # the extraction layer that gave the body, once to_article() ran

    def to_article(self) -> Article: ...
    def problem(self, article: Article) -> str | None: ...
    def is_site_page(self, article: Article) -> bool: ...
    def is_complete(self) -> bool: ...


class HtmlPageClass(Protocol):
    """A site's page class for story pages in HTML (fetched, archived or saved)."""

    def __call__(
        self, response: TextResponse, crawled_at: str, ref: Ref | None, site: Site, /
    ) -> StoryPage: ...


class TextPageClass(Protocol):
    """A site's page class for saved text renderings of its story pages."""

    def __call__(
        self, text: str, url: str, ref: Ref | None, crawled_at: str, site: Site, /
    ) -> StoryPage: ...


@dataclass(frozen=True)
class FeedRecord:
    """One record of a site's own JSON feed: a story URL, or an id alone, and its date text."""

    url: str
    story_id: str = ""
    published: str = ""


JsonFeedRule = Callable[[Any], Iterator[FeedRecord]]  # a site's JSON feed answer to records


def path_in_ref(story_id: str, path: str) -> str:
    """The story path of a site whose URL rule keeps the whole path in its Ref.

    >>> path_in_ref("300256929", "/news-releases/acme-300256929.html")
    '/news-releases/acme-300256929.html'
    """
    return path


@dataclass(frozen=True)
class Site:
    """One source: who it is, which URLs are its stories, how its pages are read, its clock,
    and where a live run starts."""

    name: str  # the spider's name, the id prefix and the output folder: "menafn"
    label: str  # the site's name as it writes it, for messages: "PR Newswire"
    provider: str  # who distributes its stories, when the page names nobody else
    root: str  # the site's root, where live runs go and canonical URLs point: "https://…"
    hosts: frozenset[str]  # hosts whose story links are the site's
    story_ref: RefRule  # (id, slug or path) of a story URL in any of its forms, else None
    saved_ref: RefRule  # (id, slug or path) a saved page's file name stem carries, else None
    id_digits: int  # the fewest digits a story id has: discovery looks at no shorter runs
    clock: tzinfo  # the zone the site prints naive times in
    page: HtmlPageClass  # its story pages in HTML
    text_page: TextPageClass | None = None  # its saved text renderings, if it has any
    story_path: Callable[[str, str], str] = path_in_ref  # the path a story is asked for at
    canonical: Callable[[str, str], str] | None = None  # its one URL; else root + story path
    clock_setting: str = ""  # a setting that names another clock (MENAFN_TIMEZONE)
    listings: tuple[str, ...] = ()  # listing paths a live run starts from
    feeds: tuple[str, ...] = ()  # feed paths a live run reads (RSS, RDF, Atom, a JSON feed)
    # Sitemaps a backfill reads (paths or URLs; {YYYY}, {MM}, {Mon} for each month of the
    # window; "robots.txt": the Sitemap: lines of its robots.txt). None: its listings, paged back.
    sitemaps: tuple[str, ...] = ()
    json_feed: JsonFeedRule | None = None  # reads the site's own JSON feed, if it has one

    def canonical_url(self, story_id: str, slug: str) -> str:
        """The one URL of a story: what articles name, whatever host it was fetched from."""
        if self.canonical is not None:
            return self.canonical(story_id, slug)
        return self.root + self.story_path(story_id, slug)

    def html_page(self, response: TextResponse, crawled_at: str, ref: Ref | None) -> StoryPage:
        """The page object of one of its story pages in HTML."""
        return self.page(response, crawled_at, ref, self)

    def check_settings(self, settings: Any) -> None:
        """Raise ValueError for a setting this site cannot use (a clock zone nobody knows)."""
        if self.clock_setting:
            zone(settings.get(self.clock_setting) or "")

    def on_clock(self, settings: Any) -> Site:
        """This site with the clock ``settings`` name (``clock_setting``), if they name one."""
        if self.clock_setting and settings.get(self.clock_setting):
            return replace(self, clock=zone(settings.get(self.clock_setting)))
        return self
