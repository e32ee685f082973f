"""PrnewswireSpider: PR Newswire's release list and feed, its release URL rule, its page."""

from __future__ import annotations

from scrapy.http import TextResponse

from newscrawl.archive import fetched_at
from newscrawl.sites.menafn.urls import Ref
from newscrawl.sites.prnewswire import PrnewswirePage
from newscrawl.sites.wire_urls import PRNEWSWIRE_HOST, prnewswire_ref, saved_prnewswire_ref
from newscrawl.spiders.base import WireSpider


class PrnewswireSpider(WireSpider):
    """prnewswire.com: the news release list and its RSS feed, then only new releases."""

    name = "prnewswire"
    default_base_url = f"https://{PRNEWSWIRE_HOST}"
    site_name = "PR Newswire"
    site_hosts = frozenset({PRNEWSWIRE_HOST, "prnewswire.com"})
    # wire-services.md §3.2: the list of all releases, 100 a page (`ul.pagination`), and
    # the feed of all releases; topic feeds (/rss/<topic>-news.rss) can be added.
    listing_paths = ("/news-releases/news-releases-list/?page=1&pagesize=100",)
    feed_paths = ("/rss/news-releases-list.rss",)

    def story_ref(self, url: str) -> Ref | None:
        return prnewswire_ref(url)

    def saved_ref(self, stem: str) -> Ref | None:
        return saved_prnewswire_ref(stem)

    def html_page(self, response: TextResponse, ref: Ref | None) -> PrnewswirePage:
        return PrnewswirePage(response, fetched_at(response), ref[0] if ref else None)
