"""Feeds in every dialect (spiders/feeds.py): the hand-written feeds of tests/fixtures/feeds/,
the local site's feeds read by the spider, a site's JSON feed, and answers that are no feed
or that try to make the parser expand entities, fetch or read files."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.site import Site
from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.prnewswire import PRNEWSWIRE
from newscrawl.spiders.discovery import Link
from newscrawl.spiders.feeds import Feed, NotAFeed, read_feed
from newscrawl.spiders.menafn import MenafnSpider
from tests.conftest import FIXTURES
from tests.site import MenafnSite, synthetic_stories
from tests.site.feeds import DIALECTS

pytestmark = pytest.mark.xdist_group("feed_reading")  # one worker: its module fixture, once

FEEDS = FIXTURES.parent / "feeds"
EXPECTED = json.loads((FEEDS / "expected.json").read_text("utf-8"))
SITES = {site.name: site for site in (MENAFN, GLOBENEWSWIRE, PRNEWSWIRE)}


def read(site: Site, body: bytes, url: str = "https://menafn.com/rss/feed.xml") -> Feed:
    return read_feed(Response(url=url, body=body), site.hosts, site.story_ref, site.json_feed)


# --- the hand-written feeds -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_written_feed_gives_its_stories(name: str) -> None:
    expected = EXPECTED[name]
    site = SITES[expected["site"]]
    feed = read(site, (FEEDS / name).read_bytes(), f"{site.root}/rss/{name}")
    assert (feed.dialect, feed.entries) == (expected["dialect"], expected["entries"])
    links = [
        Link(i, slug, date.fromisoformat(day) if day else None)
        for i, slug, day in expected["links"]
    ]
    assert feed.links == links


def test_there_is_a_written_feed_of_every_dialect() -> None:
    dialects = {expected["dialect"] for expected in EXPECTED.values()}
    assert {"rss090", "rss091n", "rss092", "rss10", "rss20", "atom10"} <= dialects
    assert [n for n, expected in EXPECTED.items() if expected["entries"] == 0]  # an empty one


def test_a_relative_atom_link_resolves_against_the_feed_address() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>'
        b'<id>tag:x</id><link href="../1109793603/Lavrov"/></entry></feed>'
    )
    feed = read(MENAFN, body, "https://menafn.com/rss/ukraine.atom")
    assert feed.links == [Link("1109793603", "Lavrov")]


# --- a site's JSON feed (MENAFN's mobile API) ---------------------------------------------

API = b"""  [
 {"newsid": "1109793603", "link": "https://menafn.com/1109793603/Lavrov",
  "newsdate": "2025-07-13T04:11:24"},
 {"newsid": 1109000002, "link": "", "newsdate": "2025-07-14 01:00:00"},
 {"newsid": "abc", "link": "https://example.com/1/x"},
 "not a record",
 {"link": "http://www.menafn.com/1109000004/From-Link", "newsdate": "bad"}
]"""


def test_menafns_mobile_api_is_its_json_feed() -> None:
    feed = read(MENAFN, API, "https://menafn.com/api/getsection")
    assert (feed.dialect, feed.entries) == ("json", 4)
    assert feed.links == [
        Link("1109793603", "Lavrov", date(2025, 7, 13)),
        Link("1109000002", "", date(2025, 7, 14)),
        Link("1109000004", "From-Link", None),
    ]


def test_json_is_no_feed_of_a_site_without_a_json_feed() -> None:
    with pytest.raises(NotAFeed, match="JSON"):
        read(PRNEWSWIRE, API, "https://www.prnewswire.com/api")


# --- not a feed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>",
        b"<html><head><title>MENAFN</title></head><body><p>Not a feed<br></p></body></html>",
        b"<?xml version='1.0'?><note><to>x</to></note>",
        b"[not json",
        b'{"error": "no such section"}',
        b"",
        b"plain text",
    ],
)
def test_an_answer_that_is_no_feed_is_refused(body: bytes) -> None:
    with pytest.raises(NotAFeed, match="not a feed"):
        read(MENAFN, body)


# --- safety: no entity expanded, nothing fetched, no file read ------------------------------


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        + "\n".join(entities)
        + "\n]>\n<rss><channel><item><link>https://menafn.com/1109793603/x</link>"
        "<title>&lol9;</title></item></channel></rss>"
    ).encode()


def quadratic_blowup() -> bytes:
    """One plain entity of 50 KB used 20,000 times: a gigabyte if it were expanded."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{"a" * 50_000}">]>\n'
        '<rss version="2.0"><channel><item><link>https://menafn.com/1109793603/x</link>'
        f"<title>{'&a;' * 20_000}</title></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        billion_laughs(),
        quadratic_blowup(),
        quadratic_blowup().decode().encode("utf-16"),  # the prolog check reads UTF-16 too
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&x;</title>'
        b"<link>https://menafn.com/1109793603/X</link></item></channel></rss>",
    ],
    ids=["billion-laughs", "quadratic-blowup", "quadratic-blowup-utf16", "external-entity"],
)
def test_a_feed_with_a_dtd_of_its_own_is_refused_at_once(body: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(NotAFeed, match="DTD of its own"):
        read(MENAFN, body)
    assert time.perf_counter() - started < 0.5


def test_a_body_naming_a_file_or_url_is_not_opened(tmp_path: Path) -> None:
    """feedparser opens a path or fetches a URL it is given as a string: never here."""
    secret = tmp_path / "feed.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><item><link>https://menafn.com/1109793603/S'
                       b"</link></item></channel></rss>")  # fmt: skip
    for body in (str(secret).encode(), secret.as_uri().encode()):
        with pytest.raises(NotAFeed):
            read(MENAFN, body)


def test_an_outside_dtd_is_never_fetched() -> None:
    """RSS 0.91's DOCTYPE names Netscape's DTD: the feed is read, the DTD is not asked for."""
    with MenafnSite([]) as site:
        body = (
            '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS'
            f' 0.91//EN" "{site.base_url}/rss-0.91.dtd">\n<rss version="0.91"><channel>'
            "<title>t</title><item><title>x</title><link>https://menafn.com/1109793603/x</link>"
            "</item></channel></rss>"
        ).encode()
        feed = read(MENAFN, body)
        assert (feed.dialect, feed.links) == ("rss091n", [Link("1109793603", "x")])
        assert site.requests == []


# --- the spider on the local site's feeds ---------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[MenafnSite]:
    with MenafnSite(synthetic_stories(24)) as running:
        yield running


def fetched(site: MenafnSite, path: str) -> Response:
    with urllib.request.urlopen(site.base_url + path) as answer:  # a local test site
        return XmlResponse(site.base_url + path, body=answer.read(), status=answer.status)


def test_the_spider_finds_every_story_through_the_feeds_of_every_dialect(
    site: MenafnSite, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = get_crawler(MenafnSpider)
    spider = MenafnSpider.from_crawler(crawler, base_url=site.base_url)
    requested: set[str] = set()
    for dialect in (*DIALECTS, "empty"):
        requests = list(spider.parse_feed(fetched(site, f"/rss/{dialect}.xml")))
        assert all(isinstance(r, Request) for r in requests)
        assert dialect == "empty" or requests, dialect  # every dialect gives stories
        requested |= {r.meta["ref"][0] for r in requests}
    assert requested == {str(s.id) for s in site.stories}
    stats = crawler.stats.get_stats()
    assert stats["newscrawl/discovery/feeds"] == len(DIALECTS) + 1
    assert stats["newscrawl/discovery/feed_items"] == len(site.stories)
    assert stats["newscrawl/discovery/feeds_empty"] == 1
    assert f"feed is empty: {site.base_url}/rss/empty.xml: 0 items (rss20)" in caplog.text


def test_an_answer_that_is_no_feed_is_a_counted_failure_naming_url_and_status(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(MenafnSpider)
    spider = MenafnSpider.from_crawler(crawler)
    page = HtmlResponse("https://menafn.com/rss/gone.xml", body=b"<html><body>Moved</body></html>")
    assert list(spider.parse_feed(page)) == []
    assert crawler.stats.get_value("newscrawl/discovery/feed_failures") == 1
    assert "feed failed: https://menafn.com/rss/gone.xml: HTTP 200, not a feed" in caplog.text
    text = TextResponse("https://menafn.com/api", body=b"{}", encoding="utf-8")
    assert list(spider.parse_feed(text)) == []
    assert crawler.stats.get_value("newscrawl/discovery/feed_failures") == 2
