"""Kinds of extraction fault from public bug reports, each on inputs written here.

The shared cases (`../shared/data/cases/`) hold one input per kind; these are others of the
same kinds, so that the rule is tested, not the file.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from newscrawl.items import Article
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.menafn.page import MenafnPage

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
STORY_ID = "1110500001"
SLUG = "Oman-Lifts-Fuel-Prices-For-December"
URL = f"https://menafn.com/{STORY_ID}/{SLUG}"
DATELINE = "(MENAFN- Times of Oman)"
P1 = "MUSCAT: Oman's fuel prices committee raised the price of M91 petrol by two baisas a litre."
P2 = "Diesel stays unchanged at 258 baisas a litre for the month, the committee said on Sunday."
BODY = f"{P1}\n\n{P2}"


def page(html: str, url: str = URL, ref: tuple[str, str] | None = (STORY_ID, SLUG)) -> Article:
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8")
    return MenafnPage(response, CRAWLED_AT, ref, MENAFN).to_article()


def jsonld_page(script: str, visible: str = "<p>Teaser only.</p>") -> str:
    return (
        f"<html><head><title>Oman Lifts Fuel Prices For December | MENAFN</title>"
        f'<script type="application/ld+json">{script}</script></head>'
        f"<body><article>{visible}</article></body></html>"
    )


# --- JSON-LD that a strict parser refuses ---------------------------------------------------

STRICT = (
    '"@type": "NewsArticle", "headline": "Oman Lifts Fuel Prices For December",'
    ' "datePublished": "2025-11-30T20:00:00+04:00", "articleSection": "Energy",'
    ' "keywords": "Oman, Fuel"'
)


@pytest.mark.parametrize(
    "script",
    [
        # raw line breaks and a tab inside a string
        f'{{{STRICT}, "articleBody": "{DATELINE} {P1}\n\n\t{P2}"}}',
        # comments, also one holding a URL-like "//" in a string that must stay
        f'{{ // generated\n{STRICT}, /* body: */ "articleBody": "{DATELINE} {P1}\\n\\n{P2}",'
        ' "url": "https://menafn.com/1110500001/x",}',
        # CDATA and HTML-comment wrappers
        f'<![CDATA[{{{STRICT}, "articleBody": "{DATELINE} {P1}\\n\\n{P2}"}}]]>',
        f'<!--{{{STRICT}, "articleBody": "{DATELINE} {P1}\\n\\n{P2}"}}-->',
        # a top-level list, and @graph
        f'[{{"@type": "WebSite"}}, {{{STRICT}, "articleBody": "{DATELINE} {P1}\\n\\n{P2}"}}]',
        f'{{"@graph": [{{"@type": "Organization"}}, {{{STRICT},'
        f' "articleBody": "{DATELINE} {P1}\\n\\n{P2}"}}]}}',
    ],
    ids=["control-chars", "comments", "cdata", "html-comment", "list", "graph"],
)
def test_lenient_json_ld_gives_body_date_keywords_and_section(script: str) -> None:
    article = page(jsonld_page(script))
    assert article.body == BODY
    assert (article.dateline, article.provider) == (DATELINE, "Times of Oman")
    assert article.published_at == "2025-11-30T16:00:00+00:00"
    assert (article.tags, article.category) == (["Oman", "Fuel"], "Energy")
    assert article.title == "Oman Lifts Fuel Prices For December"


def test_json_ld_keys_in_other_letter_cases() -> None:
    script = (
        '{"@Type": "NewsArticle", "Headline": "Oman Lifts Fuel Prices For December",'
        ' "DatePublished": "2025-11-30T16:00:00Z", "DateModified": "2025-12-02T09:00:00Z",'
        f' "ArticleBody": "{DATELINE} {P1}\\n\\n{P2}", "ArticleSection": "Energy"}}'
    )
    article = page(jsonld_page(script))
    assert (article.body, article.published_at) == (BODY, "2025-11-30T16:00:00+00:00")
    assert article.category == "Energy"


@pytest.mark.parametrize(
    "encoded",
    [
        f"<p>{DATELINE} {P1}</p><p>{P2}</p>",  # markup
        f"&lt;p&gt;{DATELINE} {P1}&lt;/p&gt;&lt;p&gt;{P2}&lt;/p&gt;",  # escaped once
        f"&amp;lt;p&amp;gt;{DATELINE} {P1}&amp;lt;/p&amp;gt;"
        f"&amp;lt;p&amp;gt;{P2}&amp;lt;/p&amp;gt;",
        f"&lt;div&gt;{DATELINE} {P1}&lt;br&gt;&lt;br&gt;{P2}&lt;/div&gt;",
    ],
    ids=["html", "escaped-once", "escaped-twice", "escaped-br"],
)
def test_json_ld_article_body_holding_html(encoded: str) -> None:
    script = f'{{{STRICT}, "articleBody": "{encoded}"}}'
    article = page(jsonld_page(script))
    assert article.body == BODY
    assert article.provider == "Times of Oman"


# --- a headline only in <title> --------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Oman Lifts Fuel Prices For December | MENAFN.COM", "Oman Lifts Fuel Prices For December"),
        ("Oman Lifts Fuel Prices For December - MENAFN", "Oman Lifts Fuel Prices For December"),
        (
            "Oman Lifts Fuel Prices \u2013 December | MENAFN.com",
            "Oman Lifts Fuel Prices \u2013 December",
        ),
        ("Gulf Bourses - Mixed Close - MENAFN", "Gulf Bourses - Mixed Close"),
        ("Gulf Bourses - Mixed Close", "Gulf Bourses - Mixed Close"),  # nothing to take off
    ],
)
def test_the_site_name_comes_off_the_end_of_title(title: str, expected: str) -> None:
    html = f"<html><head><title>{title}</title></head><body><div><p>{DATELINE} {P1}</p><p>{P2}"
    html += "</p></div></body></html>"
    assert page(html).title == expected


def test_the_story_h1_is_preferred_to_the_title_element() -> None:
    html = (
        "<html><head><title>Fuel | Oman | MENAFN.COM</title></head><body><article>"
        f"<h1>Oman Lifts Fuel Prices For December</h1><p>{DATELINE} {P1}</p><p>{P2}</p>"
        "</article></body></html>"
    )
    assert page(html).title == "Oman Lifts Fuel Prices For December"


# --- related links and captions ------------------------------------------------------------


@pytest.mark.parametrize(
    "related",
    [
        "<p>Also read: Qatar Raises Diesel Price</p>",
        "<p>Also Read - Qatar Raises Diesel Price</p>",
        "<p>Related: <a href='/1110500002/Qatar'>Qatar Raises Diesel Price</a></p>",
        "<p>READ ALSO:</p><p><a href='/1110500002/Qatar'>Qatar Raises Diesel Price</a></p>",
    ],
)
def test_related_link_lines_go_with_their_headline(related: str) -> None:
    html = f"<html><body><div class='story'><p>{DATELINE} {P1}</p>{related}<p>{P2}</p></div>"
    assert page(html + "</body></html>").body == BODY


def test_a_related_link_glued_to_the_end_of_a_paragraph_line() -> None:
    html = (
        f"<html><body><div class='story'>{DATELINE} {P1} Read also:<br>"
        f"Qatar Raises Diesel Price<br>{P2}</div></body></html>"
    )
    assert page(html).body == BODY


@pytest.mark.parametrize(
    "caption",
    [
        "<p class='caption'>Motorists queue at a Muscat filling station on Sunday evening.</p>",
        "<div class='photo'><img src='a.jpg'><span class='wp-caption-text'>Motorists queue at"
        " a Muscat filling station on Sunday evening.</span></div>",
        "<figure><img src='a.jpg'><figcaption>Motorists queue at a Muscat filling station on"
        " Sunday evening.</figcaption></figure>",
    ],
    ids=["class-caption", "wp-caption-text", "figcaption"],
)
def test_captions_marked_only_by_class_or_figcaption_stay_out(caption: str) -> None:
    html = f"<html><body><div class='story'><p>{DATELINE} {P1}</p>{caption}<p>{P2}</p></div>"
    assert page(html + "</body></html>").body == BODY


# --- dates: published wins, updated never --------------------------------------------------

STORY = f"<div class='story'><p>{DATELINE} {P1}</p><p>{P2}</p></div>"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (  # itemprop wins over an earlier updated <time>
            "<time class='updated' datetime='2025-12-02T09:00:00Z'>Dec 2</time>"
            "<span itemprop='datePublished' content='2025-11-30T16:00:00Z'>Nov 30</span>",
            "2025-11-30T16:00:00+00:00",
        ),
        (  # class "published"
            "<time class='entry-modified' datetime='2025-12-02T09:00:00Z'></time>"
            "<time class='entry-published' datetime='2025-11-30T16:00:00Z'></time>",
            "2025-11-30T16:00:00+00:00",
        ),
        (  # a label, with a naive MENAFN stamp (Eastern)
            "<p>Updated: 12/2/2025 9:00 AM</p><p>Published: 11/30/2025 11:00 AM</p>",
            "2025-11-30T16:00:00+00:00",
        ),
        (  # only an update time: no publication time, not a guess
            "<span class='date-updated'>2025-12-02 09:00:00</span>",
            None,
        ),
        (
            "<meta property='article:modified_time' content='2025-12-02T09:00:00Z'>",
            None,
        ),
    ],
    ids=["itemprop", "class", "label", "updated-only", "modified-meta"],
)
def test_a_time_marked_published_wins_and_an_update_time_never_counts(
    markup: str, expected: str | None
) -> None:
    html = f"<html><head></head><body><article>{markup}{STORY}</article></body></html>"
    assert page(html).published_at == expected


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("11/30/2025 11:00 AM", "2025-11-30T16:00:00+00:00"),  # no seconds
        ("11/30/2025 12:05:09 AM", "2025-11-30T05:05:09+00:00"),  # 12 AM
        ("11/30/2025 12:05 PM", "2025-11-30T17:05:00+00:00"),  # 12 PM
        ("2025-11-30 23:05", "2025-12-01T04:05:00+00:00"),  # 24-hour, no seconds
        ("2025-06-30 23:05:00", "2025-07-01T03:05:00+00:00"),  # EDT in summer
    ],
)
def test_every_menafn_stamp_form_on_the_site_selector(stamp: str, expected: str) -> None:
    html = (
        "<html><body><div id='ContentPlaceHolder1_div_story'>"
        f"<h1 class='main-entry-title'>Oman Lifts Fuel Prices</h1>"
        f"<span class='entry-date'>{stamp}</span>"
        f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p><p>{P2}</p></div>"
        "</div></body></html>"
    )
    assert page(html).published_at == expected


def test_a_stamp_line_that_does_not_parse_never_joins_the_dateline() -> None:
    html = (
        f"<html><body><div class='story'>Oman Lifts Fuel Prices<br>31/11/2025 8:05 PM<br>"
        f"{DATELINE}<br>{P1}<br>{P2}</div></body></html>"
    )
    article = page(html)
    assert (article.dateline, article.body) == (DATELINE, BODY)
    assert article.published_at is None
