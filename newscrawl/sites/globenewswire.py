"""GlobeNewswire (globenewswire.com): the site definition, its release URL rules and its release
pages (also the Marketwired releases it took over)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from newscrawl.dates import zone
from newscrawl.site import Ref, Site
from newscrawl.sites.wire import WireReleasePage
from newscrawl.sites.wire_story import path_ref

HOST = "www.globenewswire.com"
# /news-release/2016/04/06/1300478/0/en/Segment-Launches-Sources.html (also under /en/, /fr/…,
# the language of the site's menus: the release is the same)
_RELEASE_PATH = re.compile(
    r"^(?:/[a-z]{2})?(?P<path>/news-release/\d{4}/\d{2}/\d{2}/(?P<id>\d{4,10})/\d+/[a-z]{2}/"
    r"[^/]+\.html)$",
    re.IGNORECASE,
)
# A saved page's file name `<id>[-<slug>]`. An id has 7 digits today (1300478 in 2016, 3035512
# in 2025); 6 or more keep a date such as `2024-report` from passing for one.
_SAVED_NAME = re.compile(r"^(?P<id>\d{6,10})(?:-.+)?$")
_OG_TIME_FORMAT = "%m/%d/%Y %I:%M:%S %p"  # "4/6/2016 4:00:00 PM": US order, in UTC


def globenewswire_ref(url: str) -> Ref | None:
    """(release id, path) of a GlobeNewswire release URL in any of its forms, else None.

    >>> globenewswire_ref("https://www.globenewswire.com/fr/news-release/2016/04/06/1300478/0/"
    ...                   "en/Segment-Launches-Sources.html?print=1")
    ('1300478', '/news-release/2016/04/06/1300478/0/en/Segment-Launches-Sources.html')
    >>> globenewswire_ref("https://www.globenewswire.com/search/organization/Segment") is None
    True
    """
    return path_ref(url, _RELEASE_PATH)


def saved_globenewswire_ref(stem: str) -> Ref | None:
    """(release id, "") a saved GlobeNewswire page's file name ``<id>[-<slug>]`` carries.

    >>> saved_globenewswire_ref("1300478-Segment-Launches-Sources")
    ('1300478', '')
    >>> saved_globenewswire_ref("page"), saved_globenewswire_ref("2024-annual-report")
    (None, None)
    """
    match = _SAVED_NAME.match(stem)
    return (match["id"], "") if match else None


def og_time(value: str) -> str | None:
    """GlobeNewswire's ``og:article:published_time`` (US month/day/year, UTC) as ISO 8601.

    >>> og_time("4/6/2016 4:00:00 PM"), og_time("4/6/2016")
    ('2016-04-06T16:00:00+00:00', None)
    """
    try:
        moment = datetime.strptime(value.strip(), _OG_TIME_FORMAT)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC).isoformat()


class GlobenewswirePage(WireReleasePage):
    """A GlobeNewswire release: ``#main-body-container``, ``span.article-published > time``."""

    TITLE_SELECTORS = ("h1.article-headline", "#container-article h1")
    # "div.notified-body" holds some regulatory filings (public scraper evidence).
    BODY_SELECTORS = (
        "#main-body-container",
        "div.main-body-container",
        "div.notified-body",
        "div.article-body",
    )
    STAMP_SELECTORS = ("span.article-published time", "span.article-published")
    ISSUER_SELECTORS = (
        "span.article-source [itemprop=name]",
        "span.article-source a",
        "[itemprop~=copyrightHolder]",
    )

    def published_values(self) -> list[str]:
        """The ``<time datetime>`` in the header (UTC), then the OpenGraph time (its JSON-LD
        has a date without a time), then the generic sources; taken where they agree with the
        printed ET stamp (``agreement.agree``)."""
        times = self.root.xpath('//span[contains(@class, "article-published")]//time/@datetime')
        og = [og_time(v) for v in self.meta_values("og:article:published_time")]
        return [*times, *filter(None, og), *super().published_values()]


GLOBENEWSWIRE = Site(
    name="globenewswire",
    label="GlobeNewswire",
    provider="GlobeNewswire",
    root=f"https://{HOST}",
    hosts=frozenset({HOST, "globenewswire.com"}),
    story_ref=globenewswire_ref,
    saved_ref=saved_globenewswire_ref,
    id_digits=4,  # release ids: 1300478 (2016), 3035512 (2025); the URL rule takes 4 to 10
    clock=zone("America/New_York"),  # it prints "ET"
    page=GlobenewswirePage,
    # wire-services.md §3.1: the all-releases newsroom (`?page=N`, scraper evidence) and the
    # press-release and public-company feeds (the feed list at /rss/list).
    listings=("/newsroom",),
    feeds=(
        "/RssFeed/subjectcode/72-Press+Releases/feedTitle/GlobeNewswire+-+Press+Releases",
        "/RssFeed/orgclass/1/feedTitle/GlobeNewswire%20-%20News%20about%20Public%20Companies",
    ),
    # discovery-sitemaps.md: monthly Google News sitemaps (publication time, title, tickers;
    # from about mid-2023, "robots-advertised"), and whatever its robots.txt names.
    sitemaps=("robots.txt", "https://sitemaps.globenewswire.com/news/en/{YYYY}-{MM}.xml"),
)
