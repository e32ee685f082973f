"""newscrawl.spiders.discovery: story links of listing and story pages, the next listing page
(feeds: `test_feed_reading.py`)."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newscrawl.sites.globenewswire import globenewswire_ref
from newscrawl.sites.menafn import MENAFN
from newscrawl.spiders.discovery import Link, link_to, listing_links, next_pages
from newscrawl.spiders.menafn import MenafnSpider

HOSTS = frozenset({"menafn.com", "www.menafn.com"})
LISTING_URL = "https://menafn.com/tb_news.aspx?tb_html=tb_arab"
FEED_URL = "https://menafn.com/rss/menafn_Kuwait.xml"

LISTING = """<html><body><ul class="popular-news-list">
<li><h2 class="entry-title"><a href="/1109793603/Lavrov-Meets-Kim">Lavrov</a></h2>
  <span class="entry-date">2025-07-13 04:11:24</span></li>
<li><a href="http://www.menafn.com/1095277951/Kuwait-oil-price?src=RSS">Oil</a></li>
<li><a href="https://menafn.com/1109588722/How-The-UK?Social=on">UK</a>
  <time datetime="2025-05-01T10:00:00Z">1 May</time></li>
<li><a href="https://example.com/1109999999/x">Offsite</a></li>
<li><a href="https://menafn.com.evil.example/1109999998/x">Look-alike host</a></li>
<li><a href="/tb_news.aspx?tb_html=tb_gulf">Gulf news</a></li>
<li><a href="/">Home</a><a href="mailto:news@menafn.com">Mail</a>
  <a href="javascript:void(0)">JS</a><a href="#top">Top</a></li>
<li><a href="/qn_news_story_s.aspx?storyid=1095168700&amp;title=Abdali-Mall">Old</a></li>
<li><a href="ftp://menafn.com/1109999997/ftp">FTP</a></li>
</ul>
<article><a href=" /1109111111/In-Article ">In article</a>
  <span class="entry-date">12/28/2024 7:09:34 PM</span></article>
<a href="/1109222222/Outside-Any-Item">Loose</a>
<a class="next" href="/tb_news.aspx?page=2">Next</a>
</body></html>"""


def menafn_links(response: TextResponse, hosts: frozenset[str] = HOSTS) -> list[Link]:
    """The story links of a page by MENAFN's rules."""
    return list(listing_links(response, hosts, ref=MENAFN.story_ref, id_digits=MENAFN.id_digits))


def test_listing_links() -> None:
    response = HtmlResponse(url=LISTING_URL, body=LISTING, encoding="utf-8")
    assert menafn_links(response) == [
        Link("1109793603", "Lavrov-Meets-Kim", date(2025, 7, 13)),
        Link("1095277951", "Kuwait-oil-price", None),
        Link("1109588722", "How-The-UK", date(2025, 5, 1)),
        Link("1095168700", "Abdali-Mall", None),
        Link("1109111111", "In-Article", date(2024, 12, 28)),
        Link("1109222222", "Outside-Any-Item", None),
    ]


def test_listing_links_resolve_against_a_test_site() -> None:
    body = '<html><body><a href="/1109793603/Lavrov">x</a></body></html>'
    response = HtmlResponse(url="http://127.0.0.1:8000/tb_news.aspx", body=body, encoding="utf-8")
    assert menafn_links(response, frozenset({"127.0.0.1:8000"})) == [Link("1109793603", "Lavrov")]
    assert menafn_links(response) == []


def test_next_pages() -> None:
    response = HtmlResponse(url=LISTING_URL, body=LISTING, encoding="utf-8")
    assert next_pages(response) == ["/tb_news.aspx?page=2"]
    empty = HtmlResponse(url=LISTING_URL, body=b"<html><body></body></html>")
    assert next_pages(empty) == []


PAGINATION = """<html><body><ul class="pagination">
<li><a href="?page=1&amp;pagesize=100">1</a></li>
<li><a href="?page=2&amp;pagesize=100">2</a></li>
<li><a href="?page=3&amp;pagesize=100">3</a></li>
<li><a href="?page=3&amp;pagesize=100">&#187;</a></li>
</ul><a href="/news-releases/?page=9">Archive</a></body></html>"""


@pytest.mark.parametrize(
    ("page", "expected"),
    [(1, ["?page=2&pagesize=100"]), (2, ["?page=3&pagesize=100"]), (3, [])],
)
def test_a_pagination_list_gives_the_page_after_this_one(page: int, expected: list[str]) -> None:
    """PR Newswire's `ul.pagination` marks no link as next: the link to this page + 1 is."""
    url = f"https://www.prnewswire.com/news-releases/news-releases-list/?page={page}&pagesize=100"
    response = HtmlResponse(url=url, body=PAGINATION, encoding="utf-8")
    assert next_pages(response) == expected


def test_story_ids_shorter_than_menafns_are_found_when_the_site_says_so() -> None:
    """GlobeNewswire ids have 7 digits: the anchor filter takes the site's shortest id."""
    body = '<a href="/news-release/2016/04/06/1300478/0/en/Segment.html">Segment</a>'
    url = "https://www.globenewswire.com/newsroom"
    response = HtmlResponse(url=url, body=body, encoding="utf-8")
    hosts = frozenset({"www.globenewswire.com"})
    assert list(listing_links(response, hosts, ref=globenewswire_ref, id_digits=9)) == []
    found = list(listing_links(response, hosts, ref=globenewswire_ref, id_digits=4))
    assert found == [Link("1300478", "/news-release/2016/04/06/1300478/0/en/Segment.html")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://menafn.com/1109793603/Lavrov", Link("1109793603", "Lavrov")),
        ("http://www.menafn.com/1109793603/Lavrov?src=RSS", Link("1109793603", "Lavrov")),
        ("https://example.com/1109793603/Lavrov", None),
        ("ftp://menafn.com/1109793603/Lavrov", None),
        ("/1109793603/Lavrov", None),  # not absolute
        ("https://menafn.com/tb_news.aspx", None),
    ],
)
def test_link_to(url: str, expected: Link | None) -> None:
    assert link_to(url, HOSTS, MENAFN.story_ref) == expected


def test_a_listing_or_feed_that_fails_names_its_url_and_http_status(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(MenafnSpider)
    spider = MenafnSpider.from_crawler(crawler)
    for url, errback in [(LISTING_URL, spider.listing_failed), (FEED_URL, spider.feed_failed)]:
        request = Request(url)
        failure = Failure(HttpError(HtmlResponse(url, status=503, request=request)))  # type: ignore[no-untyped-call]
        failure.request = request  # type: ignore[attr-defined]  # as Scrapy's errbacks get it
        errback(failure)
    assert f"listing page failed: {LISTING_URL}: HTTP 503" in caplog.text
    assert f"feed failed: {FEED_URL}: HTTP 503" in caplog.text
    stats = crawler.stats.get_stats()
    assert stats["newscrawl/discovery/listing_failures"] == 1
    assert stats["newscrawl/discovery/feed_failures"] == 1
    assert stats["newscrawl/errors"] == 1  # a listing that fails is an error; a feed is extra
