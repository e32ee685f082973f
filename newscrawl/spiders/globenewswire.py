"""GlobenewswireSpider: GlobeNewswire's newsroom and feeds, its release URL rule, its page."""

from __future__ import annotations

from scrapy.http import TextResponse

from newscrawl.archive import fetched_at
from newscrawl.sites.globenewswire import GlobenewswirePage
from newscrawl.sites.menafn.urls import Ref
from newscrawl.sites.wire_urls import GLOBENEWSWIRE_HOST, globenewswire_ref, saved_globenewswire_ref
from newscrawl.spiders.base import WireSpider


class GlobenewswireSpider(WireSpider):
    """globenewswire.com: the newsroom listing and two RSS feeds, then only new releases."""

    name = "globenewswire"
    default_base_url = f"https://{GLOBENEWSWIRE_HOST}"
    site_name = "GlobeNewswire"
    site_hosts = frozenset({GLOBENEWSWIRE_HOST, "globenewswire.com"})
    id_digits = 4  # release ids: 1300478 (2016), 3035512 (2025); the URL rule takes 4 to 10
    # wire-services.md §3.1: the all-releases newsroom (`?page=N`, scraper evidence) and
    # the press-release and public-company feeds (the feed list at /rss/list).
    listing_paths = ("/newsroom",)
    feed_paths = (
        "/RssFeed/subjectcode/72-Press+Releases/feedTitle/GlobeNewswire+-+Press+Releases",
        "/RssFeed/orgclass/1/feedTitle/GlobeNewswire%20-%20News%20about%20Public%20Companies",
    )

    def story_ref(self, url: str) -> Ref | None:
        return globenewswire_ref(url)

    def saved_ref(self, stem: str) -> Ref | None:
        return saved_globenewswire_ref(stem)

    def html_page(self, response: TextResponse, ref: Ref | None) -> GlobenewswirePage:
        return GlobenewswirePage(response, fetched_at(response), ref[0] if ref else None)
