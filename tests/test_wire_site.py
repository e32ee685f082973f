"""The local wire sites (tests/site/wires.py): pages made from the real saved pages still
carry each release's facts where the wires put them, listings page, feeds are RSS."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from newscrawl.site import Site
from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.sites.prnewswire import PRNEWSWIRE
from newscrawl.spiders.discovery import next_pages
from newscrawl.spiders.feeds import read_feed
from tests.site import WireSite, synthetic_releases
from tests.site.wires import FEED_SIZE, LISTINGS, PAGE_SIZE

SITES: dict[str, Site] = {"globenewswire": GLOBENEWSWIRE, "prnewswire": PRNEWSWIRE}
FEEDS = {"globenewswire": "/RssFeed/orgclass/1/feedTitle/x", "prnewswire": "/rss/all.rss"}
BASE = "http://127.0.0.1:8123"


@pytest.mark.parametrize("wire", SITES)
@pytest.mark.parametrize("layout", ["evidenced", "redesigned"])
def test_release_pages_carry_their_facts(wire: str, layout: str) -> None:
    site = WireSite(wire, synthetic_releases(wire, 12))
    site.layout = layout
    for release in site.releases:
        answer = site.route(release.path, BASE)
        response = TextResponse(BASE + release.path, body=answer.body, encoding="utf-8")
        page = SITES[wire].html_page(response, "2026-01-01T00:00:00+00:00", (release.id, ""))
        article = page.to_article()
        assert page.problem(article) is None
        assert page.layer == ("site" if layout == "evidenced" else "meta")
        assert (article.id, article.url) == (f"{wire}:{release.id}", release.canonical_url)
        assert (article.title, article.body) == (release.title, release.body)
        assert (article.dateline, article.organization) == (release.dateline, release.organization)
        assert article.published_at == release.published.isoformat()


@pytest.mark.parametrize("wire", SITES)
def test_listings_page_and_feeds_hold_the_newest(wire: str) -> None:
    site = WireSite(wire, synthetic_releases(wire, PAGE_SIZE + 5))
    newest = site.releases
    first = site.route(f"{LISTINGS[wire]}?page=1&pagesize=100", BASE)
    response = HtmlResponse(f"{BASE}{LISTINGS[wire]}?page=1&pagesize=100", body=first.body)
    (following,) = next_pages(response)
    last = site.route(response.urljoin(following)[len(BASE) :], BASE)
    paths = [r.path for r in newest]
    assert [p for p in paths if p.encode() in first.body] == paths[:PAGE_SIZE]
    assert [p for p in paths if p.encode() in last.body] == paths[PAGE_SIZE:]
    assert next_pages(HtmlResponse(response.urljoin(following), body=last.body)) == []
    feed = site.route(FEEDS[wire], BASE)
    hosts = frozenset({"www.globenewswire.com", "www.prnewswire.com"})
    answer = XmlResponse(BASE + FEEDS[wire], body=feed.body)
    links = read_feed(answer, hosts, SITES[wire].story_ref, None).links
    assert [link.story_id for link in links] == [r.id for r in newest[:FEED_SIZE]]
