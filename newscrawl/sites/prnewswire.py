"""PR Newswire (prnewswire.com): the site definition, its release URL rules and its release
pages."""

from __future__ import annotations

import re

from newscrawl.dates import zone
from newscrawl.site import Ref, Site
from newscrawl.sites.wire import WireReleasePage
from newscrawl.sites.wire_story import path_ref

HOST = "www.prnewswire.com"
# /news-releases/hackerrank--cybermedia-technologies-partner-300256929.html
_RELEASE_PATH = re.compile(
    r"^(?P<path>/news-releases/(?:[^/]*-)?(?P<id>\d{9})\.html)$", re.IGNORECASE
)
# A saved page's file name: the contract's `<id>[-<slug>]`, and the name a browser gives a saved
# release, `<slug>-<id>`.
_SAVED_NAME = re.compile(r"^(?:(?P<id>\d{9})(?:-.+)?|.+-(?P<tail>\d{9}))$")


def prnewswire_ref(url: str) -> Ref | None:
    """(9-digit release id, path) of a PR Newswire release URL, else None.

    >>> prnewswire_ref("https://www.prnewswire.com/news-releases/hackerrank--cybermedia-"
    ...                "technologies-partner-300256929.html#top")
    ('300256929', '/news-releases/hackerrank--cybermedia-technologies-partner-300256929.html')
    >>> prnewswire_ref("https://www.prnewswire.com/news-releases/news-releases-list/") is None
    True
    """
    return path_ref(url, _RELEASE_PATH)


def saved_prnewswire_ref(stem: str) -> Ref | None:
    """(release id, "") a saved PR Newswire page's file name carries: ``<id>[-<slug>]``, or
    ``<slug>-<id>`` as a browser names a saved release.

    >>> saved_prnewswire_ref("hackerrank--cybermedia-technologies-partner-300256929")
    ('300256929', '')
    >>> saved_prnewswire_ref("300256929-hackerrank"), saved_prnewswire_ref("page")
    (('300256929', ''), None)
    """
    match = _SAVED_NAME.match(stem)
    return (match["id"] or match["tail"], "") if match else None


class PrnewswirePage(WireReleasePage):
    """A PR Newswire release: ``header.release-header``, ``section.release-body``."""

    TITLE_SELECTORS = ("header.release-header h1", "div.detail-headline h1")
    BODY_SELECTORS = (
        "section.release-body",
        "div.release-body",
        "div.col-lg-10.col-lg-offset-1",
    )
    STAMP_SELECTORS = ("header.release-header p.mb-no", "p.mb-no")
    # "News provided by" and the issuer's newsroom link (/news/<org>/) right after it.
    ISSUER_SELECTORS = (
        'header.release-header a[href*="/news/"] strong',
        'p.meta + a[href*="/news/"]',
    )

    def published_values(self) -> list[str]:
        """JSON-LD ``datePublished`` and ``meta[name=date]``, taken where they agree with the
        printed ET stamp (``agreement.agree``); ``dateModified`` is a later edit, never the
        publication."""
        return [*self.ld_values("datePublished"), *self.meta_values("date"),
                *super().published_values()]  # fmt: skip


PRNEWSWIRE = Site(
    name="prnewswire",
    label="PR Newswire",
    provider="PR Newswire",
    root=f"https://{HOST}",
    hosts=frozenset({HOST, "prnewswire.com"}),
    story_ref=prnewswire_ref,
    saved_ref=saved_prnewswire_ref,
    id_digits=9,
    clock=zone("America/New_York"),  # it prints "ET"
    page=PrnewswirePage,
    # wire-services.md §3.2: the list of all releases, 100 a page (`ul.pagination`), and the
    # feed of all releases; topic feeds (/rss/<topic>-news.rss) can be added.
    listings=("/news-releases/news-releases-list/?page=1&pagesize=100",),
    feeds=("/rss/news-releases-list.rss",),
    # discovery-sitemaps.md: the monthly archives (Sitemap_Index_{Mon}_{YYYY}.xml.gz, some
    # failing gzip's check) listed in sitemap-gz.xml, which its robots.txt names; the rolling
    # news sitemap of about the last 48 hours, in pages.
    sitemaps=("robots.txt", "/sitemap-gz.xml", "/sitemap-news.xml?page=1"),
)
