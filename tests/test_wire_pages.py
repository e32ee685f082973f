"""Wire release pages: ids and URLs from wherever the page came from; no guessed values."""

from __future__ import annotations

from scrapy.http import TextResponse

from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.sites.prnewswire import PRNEWSWIRE
from tests.conftest import FIXTURES

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
PRN_PAGE = FIXTURES.parent / "prnewswire" / "hackerrank-2016" / "page.html"
PRN_PATH = (
    "/news-releases/hackerrank--cybermedia-technologies-partner-to-help-close-the-stem-skills"
    "-gap-in-federal-government-300256929.html"
)


def response(url: str, body: bytes) -> TextResponse:
    return TextResponse(url, body=body, encoding="utf-8")


def test_a_page_from_a_mirror_keeps_the_wires_canonical_url() -> None:
    mirror = f"http://127.0.0.1:8123{PRN_PATH}?src=rss"
    page = PRNEWSWIRE.html_page(response(mirror, PRN_PAGE.read_bytes()), CRAWLED_AT, None)
    article = page.to_article()
    assert article.id == "prnewswire:300256929"
    assert article.url == f"https://www.prnewswire.com{PRN_PATH}"
    assert article.fetched_from == mirror


def test_a_known_story_id_wins_over_the_page() -> None:
    page = PRNEWSWIRE.html_page(
        response(PRN_PAGE.as_uri(), PRN_PAGE.read_bytes()), CRAWLED_AT, ("300256930", "")
    )
    assert page.to_article().id == "prnewswire:300256930"


MINIMAL = b"""<html lang="en"><head><title>Acme Opens a Plant</title></head><body>
<div id="main-body-container"><p>DENVER, March 3, 2025 (GLOBE NEWSWIRE) -- Acme Corp. opened its
second plant in Denver on Monday, adding 120 jobs.</p><p>SOURCE Acme Corp.</p></div>
</body></html>"""


def test_without_any_id_the_page_gets_a_hash_id_and_its_own_address() -> None:
    article = GLOBENEWSWIRE.html_page(
        response("file:///saved/acme.html", MINIMAL), CRAWLED_AT, None
    ).to_article()
    assert article.content_hash is not None
    assert article.id == f"globenewswire:h{article.content_hash[7:23]}"
    assert article.url == "file:///saved/acme.html"
    assert article.dateline == "DENVER, March 3, 2025 (GLOBE NEWSWIRE) --"
    assert article.organization == "Acme Corp."  # from the SOURCE line, the only issuer named
    assert article.published_at is None  # no time anywhere on the page: null, never a guess
    assert article.published_text is None
    assert (
        article.body == "Acme Corp. opened its second plant in Denver on Monday, adding 120 jobs."
    )


def test_a_date_without_a_time_is_not_a_publication_time() -> None:
    body = MINIMAL.replace(
        b"<title>",
        b'<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        b'"2025-03-03"}</script><meta name="DC.date.issued" content="3/3/2025"><title>',
    )
    article = GLOBENEWSWIRE.html_page(
        response("file:///saved/acme.html", body), CRAWLED_AT, None
    ).to_article()
    assert article.published_at is None


UNKNOWN_LAYOUT = b"""<html lang="en"><head><title>Acme Opens a Plant</title>
<link rel="canonical" href="https://www.globenewswire.com/news-release/2025/03/03/3035512/0/en/Acme-Opens-a-Plant.html">
</head><body><nav><a href="/">Home</a> <a href="/rss">RSS</a></nav>
<div class="release-2025" itemprop="articleBody">
<p>DENVER, March 3, 2025 (GLOBE NEWSWIRE) -- Acme Corp. opened its second plant in Denver on
Monday, adding 120 jobs to the 300 people it already employs in Colorado.</p>
<p>The plant makes hand tools for builders and will run two shifts from April.</p>
<p>Media Contact:<br>Jo Doe<br>jo@acme.example</p></div>
<footer><p>Copyright 2025 GlobeNewswire, Inc. All rights reserved.</p></footer>
</body></html>"""


def test_a_layout_the_selectors_do_not_know_falls_back_and_says_so() -> None:
    """New markup: the site's selectors find nothing, the shared layers of pages/base.py
    (here the schema.org articleBody) give the release, furniture still removed."""
    page = GLOBENEWSWIRE.html_page(
        response("file:///saved/new.html", UNKNOWN_LAYOUT), CRAWLED_AT, None
    )
    article = page.to_article()
    assert article.body_layer == "meta"
    assert article.id == "globenewswire:3035512"
    assert article.dateline == "DENVER, March 3, 2025 (GLOBE NEWSWIRE) --"
    assert article.body == (
        "Acme Corp. opened its second plant in Denver on Monday, adding 120 jobs to the 300 "
        "people it already employs in Colorado.\n\nThe plant makes hand tools for builders and "
        "will run two shifts from April."
    )


def test_a_known_id_the_page_does_not_carry_is_not_the_requested_story() -> None:
    page = PRNEWSWIRE.html_page(
        response(PRN_PAGE.as_uri(), PRN_PAGE.read_bytes()), CRAWLED_AT, ("300256930", "")
    )
    article = page.to_article()
    assert page.problem(article) == "not the requested story (the page is story 300256929)"


def test_a_release_that_redirected_to_the_home_page_is_rejected() -> None:
    home = b"""<html><head><title>PR Newswire: press release distribution</title></head><body>
    <nav><a href="/news-releases/">News</a></nav><main><h1>Latest news releases</h1>
    <p>PR Newswire delivers press releases to journalists, investors and the public in more
    than 170 countries every day, from companies of every size.</p></main></body></html>"""
    page = PRNEWSWIRE.html_page(
        response("http://127.0.0.1:8123/", home), CRAWLED_AT, ("300256929", "")
    )
    article = page.to_article()
    assert (
        page.problem(article) == "redirected away from the story (landed on http://127.0.0.1:8123/)"
    )


def test_a_not_found_page_at_a_release_url_is_not_a_story() -> None:
    """A 200 answer that says the release is gone: no selector matches, and what a fallback
    layer finds is the notice, never a body to write."""
    gone = b"""<html><head><title>Page not found | GlobeNewswire</title></head><body>
    <main><h1>Page not found</h1><p>The page you requested could not be found.</p></main>
    </body></html>"""
    url = "http://127.0.0.1:8123/news-release/2025/03/03/3035512/0/en/Acme-Opens-a-Plant.html"
    page = GLOBENEWSWIRE.html_page(response(url, gone), CRAWLED_AT, ("3035512", ""))
    article = page.to_article()
    assert page.layer == "generic"
    assert page.problem(article) == (
        "not a story: a notice (Page not found / The page you requested could not be found.)"
    )


def test_a_page_of_another_site_is_not_the_wires() -> None:
    menafn = next(FIXTURES.glob("html-*/page.html"))
    page = GLOBENEWSWIRE.html_page(response(menafn.as_uri(), menafn.read_bytes()), CRAWLED_AT, None)
    assert not page.is_site_page(page.to_article())
    wire = PRNEWSWIRE.html_page(
        response(PRN_PAGE.as_uri(), PRN_PAGE.read_bytes()), CRAWLED_AT, None
    )
    assert wire.is_site_page(wire.to_article())
