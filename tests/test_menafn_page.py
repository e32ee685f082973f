"""MENAFN pages: the story rules (clean_story), text renderings and HTML pages."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from scrapy.http import HtmlResponse

from newscrawl.dates import zone
from newscrawl.items import Article
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.story import Story, clean_story
from newscrawl.sites.menafn.text import MenafnTextPage

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
TRACKING_ID = "MENAFN05092023000071011013ID1107006744"
STORY_ID = "1109793603"
SLUG = "Lavrov-Meets-Kim"
URL = f"https://menafn.com/{STORY_ID}/{SLUG}"
REF = (STORY_ID, SLUG)
LONG_CAPTION = "the minister visited the new plant in Zarqa on Sunday morning with staff."

# --- clean_story ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "title", "expected"),
    [
        (
            ["(MENAFN) Lavrov met Kim.", "They talked."],
            None,
            Story("(MENAFN)", ["Lavrov met Kim.", "They talked."]),
        ),
        (
            ["(MENAFN- Kuwait News Agency (KUNA)) KUWAIT, Dec 17 (KUNA) -- Boursa rose."],
            None,
            Story("(MENAFN- Kuwait News Agency (KUNA))", ["KUWAIT, Dec 17 (KUNA) -- Boursa rose."]),
        ),
        (  # a dateline printed alone on its line
            ["(MENAFN)", "Lavrov met Kim."],
            None,
            Story("(MENAFN)", ["Lavrov met Kim."]),
        ),
        (  # no dateline: the first paragraph is story text
            ["AMMAN -- The cabinet met.", "It decided."],
            None,
            Story(None, ["AMMAN -- The cabinet met.", "It decided."]),
        ),
        ([], None, Story(None, [])),
    ],
)
def test_clean_story_splits_the_dateline(
    paragraphs: list[str], title: str | None, expected: Story
) -> None:
    assert clean_story(paragraphs, title) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["(MENAFN) A died at 76. (end) gta"], ["A died at 76."]),
        (["(MENAFN) A died at 76. (end) gta ta"], ["A died at 76."]),
        (
            ["(MENAFN) A died at 76. (end)", "mke", "Next story text."],
            ["A died at 76.", "Next story text."],
        ),
        (["(MENAFN) A died at 76.", "(end)", "mke ta"], ["A died at 76."]),
        (  # initials are only dropped right after an end marker
            ["(MENAFN) A said.", "mke", "B said."],
            ["A said.", "mke", "B said."],
        ),
        (  # a story that merely mentions the end
            ["(MENAFN) Sales at the (end of year) rally rose.", "The end came."],
            ["Sales at the (end of year) rally rose.", "The end came."],
        ),
        (["(MENAFN) A.", "Read also: Italian envoy discusses stability", "B."], ["A.", "B."]),
        (["(MENAFN) A.", "Read more: Other story", "B."], ["A.", "B."]),
        (["(MENAFN) A.", "Photo: OP", "B."], ["A.", "B."]),
        (["(MENAFN) A.", "Photo credit: Ukrinform", "B."], ["A.", "B."]),
        (["(MENAFN) A.", ".jpg)", "image_story.jpg", "B."], ["A.", "B."]),
        (["(MENAFN) A.", "--", "403", "Tags", "Category", "Date", "B."], ["A.", "B."]),
        (  # a long sentence that starts with Photo is story text
            ["(MENAFN) A.", f"Photo: {LONG_CAPTION}"],
            ["A.", f"Photo: {LONG_CAPTION}"],
        ),
    ],
)
def test_clean_story_drops_furniture(paragraphs: list[str], expected: list[str]) -> None:
    assert clean_story(paragraphs, None).paragraphs == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected", "tracking_id"),
    [
        (
            ["(MENAFN) A.", "B.", TRACKING_ID, "Legal Disclaimer:", "MENAFN provides the info"],
            ["A.", "B."],
            TRACKING_ID,
        ),
        (["(MENAFN) A.", "Legal Disclaimer:", "MENAFN provides", "C."], ["A."], None),
        (["(MENAFN) A.", "Legal Disclaimer: MENAFN provides it", "C."], ["A."], None),
        (["(MENAFN) A.", "MENAFN provides the information as is", "C."], ["A."], None),
        (["(MENAFN) A.", "CommentsNo comment", "C."], ["A."], None),
        (  # glued at the end of a paragraph: cut and returned
            ["(MENAFN) A.", f"B at age 76.{TRACKING_ID}", "Legal Disclaimer:"],
            ["A.", "B at age 76."],
            TRACKING_ID,
        ),
        (  # glued after the end marker
            ["(MENAFN) A.", f"B at age 76. (end) gta{TRACKING_ID}"],
            ["A.", "B at age 76."],
            TRACKING_ID,
        ),
    ],
)
def test_clean_story_cuts_the_footer(
    paragraphs: list[str], expected: list[str], tracking_id: str | None
) -> None:
    story = clean_story(paragraphs, None)
    assert (story.paragraphs, story.tracking_id) == (expected, tracking_id)


def test_clean_story_removes_the_title_also_when_printed_twice() -> None:
    title = "Lavrov Meets Kim In Wonsan"
    story = clean_story([title, title, "(MENAFN) Lavrov met Kim.", "They talked."], title)
    assert story == Story("(MENAFN)", ["Lavrov met Kim.", "They talked."])


def test_clean_story_keeps_one_copy_of_repeats() -> None:
    story = clean_story(["(MENAFN) Lead.", "Text.", "Text.", "Lead."], None)
    assert story.paragraphs == ["Text.", "Lead."]


def test_story_body_joins_paragraphs_with_one_blank_line() -> None:
    assert Story(None, ["A.", "B."]).body == "A.\n\nB."
    assert Story().body == ""


# --- MenafnTextPage ------------------------------------------------------------------------

BANNER = "Tuesday, 02 January 2024 12:17 GMT"
TITLE = "Lavrov Meets Kim In Wonsan"
TIMESTAMP = "2025-07-13 04:11:24"
STORY = "(MENAFN) Lavrov met Kim.\n\nThey talked."


def text_article(text: str, ref: tuple[str, str] | None = REF, url: str = URL) -> Article:
    return MenafnTextPage(text, url, ref, CRAWLED_AT, MENAFN).to_article()


@pytest.mark.parametrize(
    ("banner", "title", "timestamp"), list(itertools.product([False, True], repeat=3))
)
def test_text_page_header_parts_may_each_be_missing(
    banner: bool, title: bool, timestamp: bool
) -> None:
    header = [line for line, on in ((BANNER, banner), (TITLE, title), (TIMESTAMP, timestamp)) if on]
    article = text_article("\n".join([*header, STORY]))
    assert article.title == (TITLE if title else "Lavrov Meets Kim")  # else the slug words
    assert article.published_at == ("2025-07-13T08:11:24+00:00" if timestamp else None)
    assert article.page_date == ("2024-01-02T12:17:00+00:00" if banner else None)
    assert article.dateline == "(MENAFN)"
    assert article.provider == "MENAFN"
    assert article.body == "Lavrov met Kim.\n\nThey talked."
    assert (article.id, article.url, article.language) == (f"menafn:{STORY_ID}", URL, "en")
    assert article.word_count == 5


def test_text_page_sample_layout() -> None:
    text = f"{BANNER}\n{TITLE}\n\n{TIMESTAMP}\n{STORY}\n"
    article = text_article(text)
    assert (article.title, article.published_at, article.page_date) == (
        TITLE,
        "2025-07-13T08:11:24+00:00",
        "2024-01-02T12:17:00+00:00",
    )
    assert article.body == "Lavrov met Kim.\n\nThey talked."
    assert article.crawled_at == CRAWLED_AT
    assert article.source == "menafn"


def test_text_page_skips_navigation_lines_and_a_stray_403() -> None:
    text = (
        "                 Entertainment          Sport\n"
        "|      Politics          Economy     Oil&Energy  \n"
        "403\n"
        "\u0639\u0631\u0628\u064a\n"
        "--\n"
        f"{TITLE}\n{TIMESTAMP}\n{STORY}"
    )
    article = text_article(text)
    assert (article.title, article.published_at) == (TITLE, "2025-07-13T08:11:24+00:00")
    assert article.body == "Lavrov met Kim.\n\nThey talked."


ERROR_BLOCK_LINES = (
    "403",
    "Sorry!!",
    "Error! We're sorry, but the page you were looking for doesn't exist.",
)
HEADLINE = "Kuwait, Oman Sign Power Link Deal, Eye Gas Swap"  # commas a slug drops


@pytest.mark.parametrize(
    "block",
    [
        "\n".join(ERROR_BLOCK_LINES),  # as the stored page text of 1109426932 has it
        "\n\n".join(ERROR_BLOCK_LINES).replace("'", "\u2019"),  # spaced, curly apostrophes
        "Sorry!!!\nERROR! We're sorry, but the page you were looking for doesn't exist",
        f" date 2025-04-10 {ERROR_BLOCK_LINES[0]}\n{ERROR_BLOCK_LINES[1]}",  # page-store prefix
    ],
)
def test_the_hidden_error_block_before_the_headline_is_not_the_header(block: str) -> None:
    """MENAFN serves its hidden error block on every story page (menafn-site-2.md C1); in a
    text rendering it can stand before the headline: the printed headline is the title, not
    the slug's words, and the stamp after it is still read."""
    ref = ("1109500001", "Kuwait-Oman-Sign-Power-Link-Deal-Eye-Gas-Swap")
    text = f"{block}\n{HEADLINE}\n{TIMESTAMP}\n{STORY}"
    article = text_article(text, ref, "https://menafn.com/1109500001/x")
    assert article.title == HEADLINE
    assert article.published_text == TIMESTAMP
    assert article.body == "Lavrov met Kim.\n\nThey talked."


def test_a_text_page_of_the_error_block_alone_has_no_body() -> None:
    page = MenafnTextPage("\n".join(ERROR_BLOCK_LINES), URL, REF, CRAWLED_AT, MENAFN)
    article = page.to_article()
    assert (article.title, article.body) == ("Lavrov Meets Kim", None)
    assert page.problem(article) == "no body"


def test_text_page_drops_the_page_store_prefix() -> None:
    text = (
        " date 2023-09-05 (MENAFN- Kuwait News Agency (KUNA)) KUWAIT, Sept 5 (KUNA) --\n"
        "1993 -- A businessman passed away age 74.\n"
        "2018 -- A dean passed at age 76. (end)\ngta\n"
        f"{TRACKING_ID}\nLegal Disclaimer:\nMENAFN provides the information as is."
    )
    article = text_article(text, ref=("1107006744", "Today-In-Kuwaits-History"))
    assert article.title == "Today In Kuwaits History"
    assert article.published_at is None  # the store's date is not a timestamp
    assert article.dateline == "(MENAFN- Kuwait News Agency (KUNA))"
    assert article.provider == "Kuwait News Agency (KUNA)"
    assert article.body == (
        "KUWAIT, Sept 5 (KUNA) --\n\n"
        "1993 -- A businessman passed away age 74.\n\n"
        "2018 -- A dean passed at age 76."
    )
    assert article.tracking_id == TRACKING_ID


def test_text_page_with_a_title_printed_twice() -> None:
    article = text_article(f"{TITLE}\n{TITLE}\n{STORY}")
    assert (article.title, article.body) == (TITLE, "Lavrov met Kim.\n\nThey talked.")


def test_text_page_without_a_dateline() -> None:
    article = text_article(f"{TITLE}\n{TIMESTAMP}\nStory without a dateline.\n\nSecond.")
    assert (article.dateline, article.provider) == (None, None)
    assert article.body == "Story without a dateline.\n\nSecond."


def test_text_page_with_only_a_tracking_id_has_an_empty_body() -> None:
    page = MenafnTextPage(TRACKING_ID, URL, REF, CRAWLED_AT, MENAFN)
    article = page.to_article()
    assert article.body is None
    assert (article.word_count, article.content_hash) == (None, None)
    assert article.tracking_id == TRACKING_ID
    assert article.title == "Lavrov Meets Kim"
    assert page.is_site_page(article) is True


def test_a_non_menafn_text_is_not_menafn() -> None:
    page = MenafnTextPage(
        "Just some notes\nNothing here.", "file:///tmp/notes.txt", None, CRAWLED_AT, MENAFN
    )
    article = page.to_article()
    assert page.is_site_page(article) is False
    assert article.id is not None
    assert article.id.startswith("menafn:h")
    assert (article.dateline, article.tracking_id, article.page_date) == (None, None, None)


def test_an_empty_text_is_not_menafn() -> None:
    page = MenafnTextPage("", "file:///tmp/empty.txt", None, CRAWLED_AT, MENAFN)
    article = page.to_article()
    assert (article.title, article.body, article.id) == (None, None, None)
    assert page.is_site_page(article) is False


def test_text_page_crlf_line_ends() -> None:
    article = text_article(
        f"{TITLE}\r\n{TIMESTAMP}\r\n(MENAFN) Lavrov met Kim.\r\n\r\nThey talked."
    )
    assert (article.title, article.body) == (TITLE, "Lavrov met Kim.\n\nThey talked.")


# --- MenafnPage (HTML) ---------------------------------------------------------------------

JSON_LD = (
    '<script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "NewsArticle", "headline": "LD Headline",'
    ' "datePublished": "2025-03-10T18:45:00+03:00",'
    ' "articleBody": "LD body first paragraph.\\n\\nLD body second paragraph.",'
    ' "description": "LD description",'
    ' "image": {"@type": "ImageObject", "url": "https://menafn.com/ld.jpg"},'
    ' "keywords": "Oil, Gold", "articleSection": "Business"}</script>'
)
OPEN_GRAPH = (
    '<meta property="og:title" content="OG Title">'
    '<meta property="og:description" content="OG description">'
    '<meta property="og:image" content="https://menafn.com/og.jpg">'
    '<meta property="og:url" content="https://menafn.com/1109000002/OG-Url">'
    '<meta property="article:published_time" content="2025-01-01T10:00:00Z">'
)
FURNITURE = (
    '<script>var leak = "script text";</script>'
    '<div style="display: none">Hidden style text.</div>'
    "<p hidden>Hidden attribute text.</p>"
    '<p aria-hidden="true">Aria hidden text.</p>'
    "<aside>Aside text.</aside>"
    '<div class="related">Related box text.</div>'
    '<div class="share-buttons"><a href="#">Share on Facebook</a></div>'
    '<ul class="social"><li>Tweet this</li></ul>'
)
LEAKS = (
    "script text",
    "Hidden",
    "Aria hidden",
    "Aside",
    "Related box",
    "Share on",
    "Tweet",
)
SITE_PAGE = f"""<html lang="en"><head><title>Head Title | MENAFN</title>
{JSON_LD}{OPEN_GRAPH}</head><body>
<span id="lbl_Date_Time">{BANNER}</span>
<div id="ContentPlaceHolder1_div_story">
<h1 class="main-entry-title">Site Title &amp; More</h1>
<span class="entry-date">2025-07-13 04:11:24</span>
<img id="ImgNews" src="/updates/site.jpg">
<div id="ContentPlaceHolder1_div_story_body">
<p>(MENAFN- Kuwait News Agency (KUNA)) KUWAIT -- Site first paragraph.</p>
<p>Site second paragraph.</p>{FURNITURE}
<p>Third paragraph,<br>line two.<br>Line three.</p>
</div>
<div id="ContentPlaceHolder1_lbl_hashtags"><a>Kuwait</a><a>Oil</a></div>
<span id="ContentPlaceHolder1_lblb_cats">Economy</span>
</div>
</body></html>"""


def html_page(
    body: str, url: str = URL, ref: tuple[str, str] | None = None
) -> tuple[MenafnPage, Article]:
    response = HtmlResponse(url=url, body=body, encoding="utf-8")
    page = MenafnPage(response, CRAWLED_AT, ref, MENAFN)
    return page, page.to_article()


def test_site_selectors_win_over_json_ld_and_open_graph() -> None:
    page, article = html_page(SITE_PAGE)
    assert article.title == "Site Title & More"
    # The printed stamp is the reference (schema v3): the JSON-LD time (+03:00) names another
    # instant, so the stamp read on MENAFN's clock wins and the disagreement is noted.
    assert article.published_at == "2025-07-13T08:11:24+00:00"
    assert article.published_text == "2025-07-13 04:11:24"
    assert article.disagreements == ["published_other"]
    assert article.page_date == "2024-01-02T12:17:00+00:00"
    assert article.dateline == "(MENAFN- Kuwait News Agency (KUNA))"
    assert article.provider == "Kuwait News Agency (KUNA)"
    assert article.body == (
        "KUWAIT -- Site first paragraph.\n\nSite second paragraph.\n\n"
        "Third paragraph, line two.\n\nLine three."
    )
    assert article.image_url == "https://menafn.com/updates/site.jpg"
    assert article.tags == ["Kuwait", "Oil"]
    assert article.category == "Economy"
    assert article.summary == "OG description"
    assert article.language == "en"
    assert (article.id, article.url) == (f"menafn:{STORY_ID}", URL)
    assert article.word_count == 14
    assert page.is_site_page(article) is True


def test_the_site_stamp_is_read_on_the_eastern_clock_when_nothing_states_an_offset() -> None:
    page = SITE_PAGE.replace("+03:00", "").replace("2025-01-01T10:00:00Z", "")
    _, article = html_page(page)
    assert article.published_at == "2025-07-13T08:11:24+00:00"  # 04:11:24 EDT


def test_the_site_stamp_can_be_read_in_another_configured_zone() -> None:
    page = SITE_PAGE.replace("+03:00", "").replace("2025-01-01T10:00:00Z", "")
    response = HtmlResponse(url=URL, body=page, encoding="utf-8")
    on_utc = replace(MENAFN, clock=zone("UTC"))
    article = MenafnPage(response, CRAWLED_AT, None, on_utc).to_article()
    assert article.published_at == "2025-07-13T04:11:24+00:00"


def test_hidden_and_furniture_elements_never_reach_the_body() -> None:
    _, article = html_page(SITE_PAGE)
    assert article.body is not None
    for leak in LEAKS:
        assert leak not in article.body


def test_json_ld_article_body_when_there_are_no_site_selectors() -> None:
    body = (
        f"<html><head>{JSON_LD}{OPEN_GRAPH}</head><body><div class='content'>"
        "<p>A generic paragraph that is long enough to count as text.</p></div></body></html>"
    )
    page, article = html_page(body, url="http://127.0.0.1:8000/x")
    assert article.title == "LD Headline"
    assert article.published_at == "2025-03-10T15:45:00+00:00"
    assert article.body == "LD body first paragraph.\n\nLD body second paragraph."
    assert article.summary == "OG description"
    assert article.image_url == "https://menafn.com/og.jpg"
    assert article.tags == ["Oil", "Gold"]
    assert article.category == "Business"
    assert article.language == "en"
    # no id in the fetch URL: the page's own og:url names the story
    assert (article.id, article.url) == (
        "menafn:1109000002",
        "https://menafn.com/1109000002/OG-Url",
    )
    assert page.is_site_page(article) is True


def test_json_ld_article_body_with_markup() -> None:
    json_ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
        ' "articleBody": "<p>(MENAFN) First with <b>bold</b> text.</p><p>Second.</p>"}'
        "</script>"
    )
    _, article = html_page(f"<html><head>{json_ld}</head><body></body></html>")
    assert (article.dateline, article.body) == ("(MENAFN)", "First with bold text.\n\nSecond.")


def test_open_graph_and_generic_main_text_as_last_resort() -> None:
    body = f"""<html lang="en-GB"><head>{OPEN_GRAPH}</head><body>
<nav><p>A navigation paragraph that is long enough to count.</p></nav>
<article>
<p>Generic first paragraph that is long enough to count.</p>
<p>Generic second paragraph that is long enough too.</p>
<aside><p>An aside paragraph which is long enough to be counted.</p></aside>
<div class="related"><p>A related paragraph which is long enough to count.</p></div>
<div class="share"><p>Share this story with your friends and family now.</p></div>
<div style="display:none"><p>A hidden paragraph which is long enough to count.</p></div>
<script>leak()</script>
</article>
<div class="sidebar"><p>A sidebar paragraph that is long enough to count, and longer.</p></div>
</body></html>"""
    _, article = html_page(body, url="http://127.0.0.1:8000/y")
    assert article.title == "OG Title"
    assert article.published_at == "2025-01-01T10:00:00+00:00"
    assert article.body == (
        "Generic first paragraph that is long enough to count.\n\n"
        "Generic second paragraph that is long enough too."
    )
    assert article.language == "en"
    assert article.tags == []
    assert article.category is None


def test_br_paragraphs_in_the_story_container() -> None:
    body = (
        '<html><body><h1 class="main-entry-title">T</h1>'
        '<div id="ContentPlaceHolder1_div_story">(MENAFN- Jordan Times) AMMAN -- First one.'
        "<br><br>Second one.<br/>Third one.<br>\n<br>  Fourth one.</div></body></html>"
    )
    _, article = html_page(body)
    assert article.dateline == "(MENAFN- Jordan Times)"
    assert article.provider == "Jordan Times"
    assert article.body == "AMMAN -- First one.\n\nSecond one.\n\nThird one.\n\nFourth one."


def test_an_empty_story_container_gives_no_body() -> None:
    body = (
        "<html><head><title>Empty</title></head><body>"
        '<h1 class="main-entry-title">Empty Story</h1>'
        '<div id="ContentPlaceHolder1_div_story_body">  \n </div></body></html>'
    )
    page, article = html_page(body)
    assert article.title == "Empty Story"
    assert article.body is None
    assert (article.word_count, article.content_hash) == (None, None)
    assert page.is_site_page(article) is True


def test_an_empty_site_container_falls_back_to_json_ld() -> None:
    body = (
        f"<html><head>{JSON_LD}</head><body>"
        '<div id="ContentPlaceHolder1_div_story_body"> </div></body></html>'
    )
    _, article = html_page(body)
    assert article.body == "LD body first paragraph.\n\nLD body second paragraph."


@pytest.mark.parametrize(
    ("fetched_from", "ref", "expected"),
    [
        (f"http://127.0.0.1:8000/{STORY_ID}/{SLUG}", REF, URL),
        ("http://127.0.0.1:8000/story?id=1", REF, URL),
        (f"http://127.0.0.1:8000/{STORY_ID}/{SLUG}", None, URL),
        (
            "http://127.0.0.1:8000/story",
            (STORY_ID, ""),
            f"https://menafn.com/{STORY_ID}/Site-Title-More",
        ),
    ],
)
def test_known_ref_gives_the_canonical_url(
    fetched_from: str, ref: tuple[str, str] | None, expected: str
) -> None:
    _, article = html_page(SITE_PAGE, url=fetched_from, ref=ref)
    assert (article.id, article.url) == (f"menafn:{STORY_ID}", expected)


def test_provider_logo_without_a_dateline() -> None:
    body = (
        '<html><body><h1 class="main-entry-title">T</h1>'
        '<img id="ContentPlaceHolder1_img_logo_anchor" alt="The Peninsula" src="/l.png">'
        '<div id="ContentPlaceHolder1_div_story_body"><p>DOHA -- Story text.</p></div>'
        "</body></html>"
    )
    _, article = html_page(body)
    assert (article.dateline, article.provider) == (None, "The Peninsula")


def test_dateline_provider_wins_over_the_logo() -> None:
    body = (
        '<html><body><h1 class="main-entry-title">T</h1>'
        '<img id="ContentPlaceHolder1_img_logo_anchor" alt="Logo Name" src="/l.png">'
        '<div id="ContentPlaceHolder1_div_story_body"><p>(MENAFN- Gulf Times) Text.</p></div>'
        "</body></html>"
    )
    _, article = html_page(body)
    assert article.provider == "Gulf Times"


def test_an_unrelated_html_page_is_not_menafn() -> None:
    body = "<html><head><title>Cats</title></head><body><p>Short.</p></body></html>"
    page, article = html_page(body, url="file:///tmp/cats.html")
    assert page.is_site_page(article) is False


def test_relative_image_urls_resolve_against_the_base_element() -> None:
    body = (
        b'<html><head><base href="https://menafn.com/updates/">'
        b'<meta property="og:image" content="pr/a.jpg"></head><body>'
        b'<h1 class="main-entry-title">T</h1><div id="ContentPlaceHolder1_div_story_body">'
        b"<p>(MENAFN) Body text here.</p></div></body></html>"
    )
    response = HtmlResponse("http://127.0.0.1:8000/1109000001/x", body=body, encoding="utf-8")
    article = MenafnPage(response, CRAWLED_AT, None, MENAFN).to_article()
    assert article.image_url == "https://menafn.com/updates/pr/a.jpg"


def test_a_title_ending_in_a_question_mark_is_known_by_its_slug() -> None:
    text = "Will Oil Prices Rise Again?\n2025-07-13 04:11:24\n(MENAFN) Analysts expect more.\n"
    page = MenafnTextPage(
        text, "file:///x.txt", ("1109000001", "Will-Oil-Prices-Rise-Again"), CRAWLED_AT, MENAFN
    )
    article = page.to_article()
    assert article.title == "Will Oil Prices Rise Again?"
    assert article.published_at == "2025-07-13T08:11:24+00:00"
    assert article.body == "Analysts expect more."
