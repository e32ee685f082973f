"""Reading sitemaps (spiders/sitemaps.py) and the backfill's choices (spiders/backfill.py):
news fields, gzip and damaged gzip, sitemap indexes, months in URLs, the window's margins,
paged sitemaps, robots.txt's Sitemap: lines, and where each URL is fetched from."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from scrapy import Request
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.sites.prnewswire import PRNEWSWIRE
from newscrawl.spiders.backfill import on_base
from newscrawl.spiders.prnewswire import PrnewswireSpider
from newscrawl.spiders.sitemaps import (
    NotASitemap,
    SitemapEntry,
    entry_wanted,
    inflate,
    month_urls,
    named_month,
    read_sitemap,
    sitemap_wanted,
    window_months,
)
from newscrawl.window import Window
from tests.site.releases import Release, synthetic_releases
from tests.site.sitemaps import damaged_gzip, news_sitemap, sitemap_index, url_sitemap

EASTERN = ZoneInfo("America/New_York")
APRIL = Window(date(2025, 4, 1), date(2025, 4, 30))
TODAY = date(2025, 7, 1)


def releases(count: int = 30) -> list[Release]:
    return synthetic_releases("globenewswire", count, seed=3)


def test_a_news_sitemap_gives_each_entry_with_its_news_fields() -> None:
    made = releases()
    sitemap = read_sitemap(news_sitemap(made))
    assert sitemap.kind == "urlset"
    assert sitemap.damage is None
    assert [e.loc for e in sitemap.entries] == [r.canonical_url for r in made]
    for entry, release in zip(sitemap.entries, made, strict=True):
        assert entry.published == release.local.isoformat()
        assert entry.tickers == (", ".join(release.tickers) or None)
        assert entry.keywords == ", ".join(release.keywords)


def test_a_gzip_archive_reads_as_its_xml_and_a_damaged_one_says_so() -> None:
    made = releases(200)
    whole = read_sitemap(gzip.compress(url_sitemap(made)))
    assert (whole.kind, whole.damage, len(whole.entries)) == ("urlset", None, 200)
    assert whole.entries[0].lastmod == made[0].local.isoformat()
    cut = read_sitemap(damaged_gzip(url_sitemap(made)))
    assert cut.damage == "the gzip stream ends early"
    assert 0 < len(cut.entries) < 200
    assert [e.loc for e in cut.entries[:-1]] == [r.canonical_url for r in made][
        : len(cut.entries) - 1
    ]
    packed = bytearray(gzip.compress(url_sitemap(made)))
    packed[-8] ^= 0xFF  # the CRC no longer matches
    crc = read_sitemap(bytes(packed))
    assert crc.damage is not None
    assert crc.damage.startswith("the gzip stream does not inflate")
    assert len(crc.entries) == 200  # every byte came, only the check failed
    torn = bytearray(gzip.compress(url_sitemap(made)))
    torn[len(torn) // 2 : len(torn) // 2 + 40] = bytes(40)  # zeros in the middle of the stream
    middle = read_sitemap(bytes(torn))
    assert middle.damage is not None
    assert 0 < len(middle.entries) < 200


def test_a_sitemap_index_gives_its_sitemaps() -> None:
    index = sitemap_index([("https://www.prnewswire.com/Sitemap_Index_Apr_2025.xml.gz",
                            datetime(2025, 4, 30, 18, 0, tzinfo=EASTERN))])  # fmt: skip
    sitemap = read_sitemap(index)
    assert sitemap.kind == "sitemapindex"
    assert sitemap.entries == [
        SitemapEntry(
            "https://www.prnewswire.com/Sitemap_Index_Apr_2025.xml.gz", "2025-04-30T18:00:00-04:00"
        )
    ]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "no XML"),
        (b"Sorry, no sitemap here", "no XML"),
        (b"<html><body>Access Denied</body></html>", "its root is <html>"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "its root is <rss>"),
    ],
)
def test_an_answer_that_is_no_sitemap_is_refused(body: bytes, why: str) -> None:
    with pytest.raises(NotASitemap, match=why):
        read_sitemap(body)


def test_entities_are_never_expanded_and_a_bomb_is_cut() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;</loc></url>'
        b"<url><loc>https://www.globenewswire.com/x</loc></url></urlset>"
    )
    assert all("ha" not in e.loc for e in read_sitemap(laughs).entries)
    bomb = gzip.compress(b"<urlset>" + b" " * (3 * 2**20) + b"</urlset>")
    with pytest.raises(NotASitemap, match="too large"):
        inflate(bomb, 2**20)


@pytest.mark.parametrize(
    ("url", "month"),
    [
        ("https://sitemaps.globenewswire.com/news/en/2025-04.xml", (2025, 4)),
        ("https://www.prnewswire.com/Sitemap_Index_Apr_2025.xml.gz", (2025, 4)),
        ("https://example.com/sitemaps/2024/12/news.xml", (2024, 12)),
        ("https://example.com/sitemap-202501.xml", (2025, 1)),
        ("https://example.com/sitemap-september-2023.xml", (2023, 9)),
        ("https://www.prnewswire.com/sitemap-news.xml?page=12", None),
        ("https://www.prnewswire.com/news-releases/acme-302400120.html", None),
    ],
)
def test_the_month_a_sitemap_url_names(url: str, month: tuple[int, int] | None) -> None:
    assert named_month(url) == month


def test_a_window_reads_its_months_a_day_either_side() -> None:
    assert window_months(APRIL, TODAY) == [(2025, 3), (2025, 4), (2025, 5)]
    assert window_months(Window(date(2025, 4, 10), date(2025, 4, 20)), TODAY) == [(2025, 4)]
    assert window_months(Window(date(2024, 12, 31), date(2025, 1, 1)), TODAY) == [
        (2024, 12), (2025, 1),
    ]  # fmt: skip
    future = Window(date(2025, 6, 20), date(2026, 1, 1))
    assert window_months(future, TODAY) == [(2025, 6), (2025, 7)]  # up to today
    assert window_months(Window(until=date(2025, 4, 30)), TODAY) == []  # no first month
    url = "https://sitemaps.globenewswire.com/news/en/{YYYY}-{MM}.xml"
    assert list(month_urls(url, [(2025, 3)])) == [
        "https://sitemaps.globenewswire.com/news/en/2025-03.xml"
    ]


def test_which_sitemaps_of_an_index_or_robots_txt_are_read() -> None:
    def wanted(url: str, lastmod: str | None = None) -> bool:
        return sitemap_wanted(url, lastmod, APRIL, EASTERN, TODAY)

    assert [wanted(f"/Sitemap_Index_{m}_2025.xml.gz") for m in ("Feb", "Mar", "Apr", "May", "Jun")
            ] == [False, True, True, True, False]  # fmt: skip
    assert wanted("/sitemap-news.xml?page=1")  # no month, no date: read
    assert not wanted("/sitemap-company.xml", "2025-03-20T10:00:00Z")  # last changed before
    assert wanted("/sitemap-company.xml", "2025-03-31T10:00:00Z")  # within the day's margin


def entry(published: str | None = None, lastmod: str | None = None) -> SitemapEntry:
    return SitemapEntry("https://www.globenewswire.com/x", lastmod, published)


def test_which_story_entries_are_fetched() -> None:
    # news:publication_date: the window (it closes 1 May 04:00 UTC), give or take the site's
    # zone offset (4 hours in April) and an hour
    assert entry_wanted(entry("2025-04-30T23:30:00+00:00"), APRIL, EASTERN)  # ET wall as UTC
    assert entry_wanted(entry("2025-05-01T08:30:00+00:00"), APRIL, EASTERN)
    assert not entry_wanted(entry("2025-05-01T09:30:00+00:00"), APRIL, EASTERN)
    assert entry_wanted(entry("2025-03-31T23:30:00+00:00"), APRIL, EASTERN)
    assert not entry_wanted(entry("2025-03-31T22:30:00+00:00"), APRIL, EASTERN)
    # lastmod alone (changed at or after publication): not changed before the window
    assert entry_wanted(entry(lastmod="2025-06-20T10:00:00Z"), APRIL, EASTERN)
    assert not entry_wanted(entry(lastmod="2025-03-29T10:00:00Z"), APRIL, EASTERN)
    # …and in the archive of the month after the window, not long after it
    assert entry_wanted(entry(lastmod="2025-05-01T10:00:00Z"), APRIL, EASTERN, next_month=True)
    late = entry(lastmod="2025-05-09T10:00:00Z")
    assert not entry_wanted(late, APRIL, EASTERN, next_month=True)
    assert entry_wanted(entry(), APRIL, EASTERN)  # undated: the page decides


def test_urls_of_the_site_are_fetched_from_base_url() -> None:
    local = "http://127.0.0.1:8001"
    assert on_base("https://www.prnewswire.com/sitemap-gz.xml", local, PRNEWSWIRE) == (
        f"{local}/sitemap-gz.xml"
    )
    assert on_base("http://prnewswire.com/sitemap-news.xml?page=2", local, PRNEWSWIRE) == (
        f"{local}/sitemap-news.xml?page=2"
    )
    assert on_base("https://sitemaps.globenewswire.com/news/en/2025-04.xml",
                   GLOBENEWSWIRE.root, GLOBENEWSWIRE) == (
        "https://sitemaps.globenewswire.com/news/en/2025-04.xml"
    )  # fmt: skip
    assert on_base("https://cdn.example.net/sitemap.xml", local, PRNEWSWIRE) == (
        "https://cdn.example.net/sitemap.xml"
    )  # another host: as it is (the address guard still checks it)


def spider(**window: str) -> PrnewswireSpider:
    settings = {"NEWSCRAWL_BACKFILL_MAX_PAGES": 5000, "NEWSCRAWL_DISCOVERY_DEPTH": 2}
    crawler = get_crawler(PrnewswireSpider, settings)
    return PrnewswireSpider.from_crawler(crawler, base_url="http://127.0.0.1:9", **window)


def test_a_paged_sitemap_is_read_until_a_page_brings_no_new_story() -> None:
    """A site that answers every page number past the last with the last page again."""
    wire = synthetic_releases("prnewswire", 10, seed=5)
    reader = spider(since="2025-03-01", until="2025-03-31")
    body = news_sitemap(wire)
    url = "http://127.0.0.1:9/sitemap-news.xml?page=1"
    first = list(reader.parse_sitemap(XmlResponse(url, body=body, request=Request(url))))
    pages = [r.url for r in first if r.callback == reader.parse_sitemap]
    assert pages == ["http://127.0.0.1:9/sitemap-news.xml?page=2"]
    stories = [r for r in first if r.callback == reader.parse_article]
    assert {r.meta["ref"][0] for r in stories} == {r.id for r in wire}
    assert all(r.meta["witness"]["source"] == "sitemap" for r in stories)
    again = Request(pages[0], meta={"sitemap_page": 2})
    assert list(reader.parse_sitemap(XmlResponse(pages[0], body=body, request=again))) == []


def test_a_paged_sitemap_older_than_the_window_ends_the_paging() -> None:
    wire = synthetic_releases("prnewswire", 10, seed=5)  # March 2025
    reader = spider(since="2025-06-01", until="2025-06-30")
    url = "http://127.0.0.1:9/sitemap-news.xml?page=3"
    answer = XmlResponse(url, body=news_sitemap(wire), request=Request(url))
    assert list(reader.parse_sitemap(answer)) == []
    assert wire[-1].published < datetime(2025, 6, 1, tzinfo=UTC)


def test_robots_txt_names_the_sitemaps_a_backfill_reads() -> None:
    reader = spider(since="2025-04-01", until="2025-04-30")
    robots = (
        b"User-agent: *\nDisallow: /search/\n"
        b"Sitemap: https://www.prnewswire.com/sitemap-gz.xml\n"
        b"sitemap: /Sitemap_Index_Jan_2020.xml.gz\n"  # another month: not read
    )
    url = "http://127.0.0.1:9/robots.txt"
    requests = list(reader.parse_robots(TextResponse(url, body=robots, encoding="utf-8")))
    assert [r.url for r in requests] == [
        "http://127.0.0.1:9/sitemap-gz.xml",
        "http://127.0.0.1:9/sitemap-news.xml?page=1",
    ]
    assert all(r.meta["allow_offsite"] for r in requests)


def test_an_answer_that_is_no_sitemap_is_a_counted_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = spider(since="2025-04-01", until="2025-04-30")
    url = "http://127.0.0.1:9/sitemap-gz.xml"
    page = Response(url, body=b"<html><title>Access Denied</title></html>", request=Request(url))
    assert list(reader.parse_sitemap(page)) == []
    assert reader.crawler.stats.get_value("newscrawl/discovery/sitemap_failures") == 1
    assert f"sitemap failed: {url}: HTTP 200, not a sitemap (its root is <html>)" in caplog.text
