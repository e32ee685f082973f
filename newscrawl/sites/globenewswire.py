"""GlobeNewswire release pages (also the Marketwired releases it took over)."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawl.sites.menafn.urls import Ref
from newscrawl.sites.wire import WireReleasePage
from newscrawl.sites.wire_urls import GLOBENEWSWIRE_HOST, globenewswire_ref

_OG_TIME_FORMAT = "%m/%d/%Y %I:%M:%S %p"  # "4/6/2016 4:00:00 PM": US order, in UTC


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

    SOURCE = "globenewswire"
    PROVIDER = "GlobeNewswire"
    HOST = GLOBENEWSWIRE_HOST
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

    def release_ref(self, url: str) -> Ref | None:
        return globenewswire_ref(url)

    def published_values(self) -> list[str]:
        """The ``<time datetime>`` in the header (UTC), then the OpenGraph time (its JSON-LD
        has a date without a time), then the generic sources and the printed ET stamp."""
        times = self.root.xpath('//span[contains(@class, "article-published")]//time/@datetime')
        og = [og_time(v) for v in self.meta_values("og:article:published_time")]
        return [*times, *filter(None, og), *super().published_values()]
