"""MenafnSpider: menafn.com's start pages, its story link rule, and its page classes."""

from __future__ import annotations

from datetime import tzinfo

from scrapy.http import TextResponse
from scrapy.settings import BaseSettings

from newscrawl.archive import fetched_at
from newscrawl.dates import zone
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.text import MenafnTextPage
from newscrawl.sites.menafn.urls import Ref, story_ref
from newscrawl.spiders.base import WireSpider, utc_now
from newscrawl.spiders.discovery import Link


class MenafnSpider(WireSpider):
    """menafn.com: section listings (and optional feeds), then only never-seen stories."""

    name = "menafn"
    default_base_url = "https://menafn.com"
    site_name = "MENAFN"
    site_hosts = frozenset({"menafn.com", "www.menafn.com"})
    # The section listings, newest stories first (menafn-site notes §2a); no feed is
    # known to work (wire-services.md §3.4): NEWSCRAWL_FEED_PATHS adds one.
    listing_paths = (
        "/tb_news.aspx?tb_html=tb_us&tb_title=United%20States%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_europe&tb_title=Europe%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_arab&tb_title=Arab%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_asia&tb_title=Asia%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_politics&tb_title=Politics%20-%20Latest%20News",
        "/qn_news_sections.aspx?src=s",
    )
    PAGE_SETTINGS = (*WireSpider.PAGE_SETTINGS, "MENAFN_TIMEZONE")

    @classmethod
    def check_settings(cls, settings: BaseSettings) -> None:
        """Raise ValueError for a setting value the spider cannot use (exit status 2)."""
        zone(settings.get("MENAFN_TIMEZONE") or "")

    @property
    def local(self) -> tzinfo:
        """MENAFN's clock: the zone its naive timestamps are printed in (``MENAFN_TIMEZONE``)."""
        return zone(self.settings.get("MENAFN_TIMEZONE"))

    def story_ref(self, url: str) -> Ref | None:
        return story_ref(url)

    def request_url(self, link: Link) -> str:
        # Every link form (?src=RSS, www., the old .aspx page) is asked for in one form.
        return f"{self.base_url}/{link.story_id}/{link.slug}"

    def html_page(self, response: TextResponse, ref: Ref | None) -> MenafnPage:
        return MenafnPage(response, fetched_at(response), ref, self.local)

    def text_page(self, text: str, url: str, ref: Ref | None) -> MenafnTextPage:
        return MenafnTextPage(text, url, ref, utc_now(), self.local)
