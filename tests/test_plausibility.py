"""Evidence-based MENAFN selectors, and pages that are not the story: rejected, never written."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extraction.plausibility import body_problem, is_furniture, is_paywall, split_problem
from newscrawl.items import Article
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.menafn.page import MenafnPage

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
STORY_ID = "1110500011"
SLUG = "Kuwait-Bourse-Ends-Week-Higher"
URL = f"https://menafn.com/{STORY_ID}/{SLUG}"
TITLE = "Kuwait Bourse Ends Week Higher"
DATELINE = "(MENAFN- Kuwait News Agency (KUNA))"
P1 = "KUWAIT, Dec 4 (KUNA) -- Boursa Kuwait ended the week higher, its premier index up 0.8 pct."
P2 = "Traded value reached KD 61.2 million in 14,850 deals, the exchange said in a statement."
P3 = "Banks led the gains, while industrial shares eased slightly toward the end of the session."
TRACKING = f"MENAFN04122025000071011013ID{STORY_ID}"
ERROR_BLOCK = (
    "<div class='Style403'>403</div><div class='SorryStyle'>Sorry!!</div>"
    "<div class='ErrorTextStyle'>Error! We're sorry, but the page you were looking for doesn't"
    " exist.</div>"
)
SIDEBAR = (
    "<div class='widget'><h1 class='main-entry-title'>Gold Steadies In Asia</h1>"
    "<span class='entry-date'>2024-01-01 01:01:01</span>"
    "<div class='entry-summary tit'><p>Gold prices held steady in early Asian trade as the"
    " dollar eased against a basket of major currencies.</p></div></div>"
)


def check(
    html: str, url: str = URL, ref: tuple[str, str] | None = (STORY_ID, SLUG)
) -> tuple[Article, str | None, str | None]:
    """(article, problem, layer) for a page."""
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8")
    page = MenafnPage(response, CRAWLED_AT, ref, MENAFN)
    article = page.to_article()
    return article, page.problem(article), page.layer


def story_page(children: str, before: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>{TITLE} | MENAFN.COM</title></head><body>{before}"
        f"<div id='ContentPlaceHolder1_div_story'>{children}</div>{after}</body></html>"
    )


# --- selectors, scoped inside #ContentPlaceHolder1_div_story ----------------------------------


def test_side_widgets_that_reuse_the_theme_classes_are_ignored() -> None:
    html = story_page(
        f"<h1 class='main-entry-title'>{TITLE}</h1><span class='entry-date'>2025-12-04 08:10:00"
        f"</span><div class='entry-summary tit'><p>{DATELINE} {P1}</p><p>{P2}</p></div>",
        before=SIDEBAR,
    )
    article, problem, layer = check(html)
    assert (article.title, article.body, layer, problem) == (TITLE, f"{P1}\n\n{P2}", "site", None)
    assert article.published_at == "2025-12-04T13:10:00+00:00"


def test_the_2024_body_selector_entry_summary3() -> None:
    html = story_page(
        f"<h1 class='main-entry-title'>{TITLE}</h1><div class='entry-summary'></div>"
        f"<div class='entry-summary entry-summary3'><p>{DATELINE} {P1}</p><p>{P2}</p></div>"
    )
    article, problem, layer = check(html)
    assert (article.body, layer, problem) == (f"{P1}\n\n{P2}", "site", None)


def test_the_fifth_child_div_of_the_story_block() -> None:
    html = story_page(
        "<div class='text-center'><img src='/updates/pr/x.jpg'></div>"
        f"<div class='col-sm-12'><h1 class='main-entry-title'>{TITLE}</h1></div>"
        "<div class='entry-blog-meta'>Date 2025-12-04 08:10:00</div><div class='empty'></div>"
        f"<div class='story-text'><p>{DATELINE} {P1}</p><p>{P2}</p></div>"
        "<div class='post-meta-info'>Tags Kuwait Comments No comment</div>"
    )
    article, problem, layer = check(html)
    assert (article.body, layer, problem) == (f"{P1}\n\n{P2}", "site", None)


def test_the_visible_error_block_on_a_real_story_is_neither_body_nor_a_soft_404() -> None:
    html = story_page(
        f"{ERROR_BLOCK}<h1 class='main-entry-title'>{TITLE}</h1>"
        f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p><p>{P2}</p></div>"
    )
    article, problem, _ = check(html)
    assert (article.body, problem) == (f"{P1}\n\n{P2}", None)
    html = story_page(
        f"<h1 class='main-entry-title'>{TITLE}</h1>{ERROR_BLOCK}<p>{DATELINE} {P1}</p>"
    )
    article, problem, _ = check(html)  # the whole story block, error block inside it
    assert (article.body, problem) == (P1, None)


def test_the_error_block_without_a_story_is_a_soft_404() -> None:
    _, problem, _ = check(f"<html><body>{ERROR_BLOCK}</body></html>")
    assert problem == "soft 404: the site says the page does not exist"


@pytest.mark.parametrize(
    "notice",
    [
        "<p><b>Error!</b> We're sorry, but the page you were looking for doesn't exist.</p>",
        "<div><a href='/'>Home</a> &raquo; Sorry, the page you are looking for does not exist"
        " or has moved.</div>",
        "<p>The page you were looking for <em>doesn't</em> exist.<!-- 404 --></p>",
    ],
)
def test_a_notice_that_starts_with_an_inline_element_is_a_soft_404(notice: str) -> None:
    """The words after an inline element (its tail) are seen too (issue 17): a not-found
    notice is one whatever markup its first words are in."""
    html = f"<html><head><title>MENAFN</title></head><body><main>{notice}</main></body></html>"
    _, problem, _ = check(html)
    assert problem == "soft 404: the site says the page does not exist"


def test_paragraphs_repeated_later_are_dropped_and_blank_runs_are_one_break() -> None:
    body = f"{DATELINE} {P1}<br><br><br><br>{P2}<br><br>{P3}<br><br>{P2}<br><br>{P3}"
    html = story_page(f"<div id='ContentPlaceHolder1_div_story_body'>{body}</div>")
    article, _, _ = check(html)
    assert article.body == f"{P1}\n\n{P2}\n\n{P3}"


@pytest.mark.parametrize(
    "image",
    ["https://menafn.com/includes/img/logo.jpg", "https://menafn.com/images/Menafn_SmallLogo.jpg"],
)
def test_menafn_placeholder_images_mean_no_image(image: str) -> None:
    html = story_page(
        f"<img id='ImgNews' src='{image}'><div id='ContentPlaceHolder1_div_story_body'>"
        f"<p>{DATELINE} {P1}</p></div>",
        before=f"<meta property='og:image' content='{image}'>",
    )
    assert check(html)[0].image_url is None


# --- bodies that are page chrome ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<p>This story is no longer available.</p>", "not a story: a notice"),
        ("<p>Sorry, the article you requested has been removed.</p>", "not a story: a notice"),
        ("<p>The page you are looking for could not be found.</p>", "not a story: a notice"),
        ("<p>Copyright © 2000 – 2025 MENAFN. All rights reserved.</p>", "no body"),
        ("<p>© MENAFN 2025. All rights reserved.</p><p>Legal Disclaimer: MENAFN provides the"
         " information “as is” without warranty of any kind.</p>", "no body"),
        ("<ul><li>Home</li><li>News</li><li>Markets</li><li>Press Releases</li></ul>",
         "not a story: no sentence in the body"),
    ],
    ids=["no-longer-available", "removed", "not-found", "copyright", "disclaimer", "menu"],
)  # fmt: skip
def test_a_body_that_is_site_furniture_is_rejected(body: str, reason: str) -> None:
    html = story_page(f"<h1 class='main-entry-title'>{TITLE}</h1>"
                      f"<div id='ContentPlaceHolder1_div_story_body'>{body}</div>")  # fmt: skip
    _, problem, _ = check(html)
    assert problem is not None
    assert split_problem(problem)[0] == reason


def test_a_fallback_body_that_is_the_sites_footer_text_is_rejected() -> None:
    about = (
        "MENAFN is a leading financial news and information provider for the Middle East and"
        " North Africa, delivering business news and market data to professionals since 2000."
    )
    html = f"<html><body><div id='app'></div><footer><p>{about}</p></footer></body></html>"
    article, problem, layer = check(html)
    if article.body:  # the fallback took it: it must be rejected as the site's own text
        assert layer == "generic"
        assert problem is not None
        assert problem.startswith("not a story: the body is the site's own text")
    else:
        assert problem == "no body"


def test_a_story_that_quotes_notice_words_is_kept() -> None:
    long_story = " ".join([P1, "Officials said the page of the old decree was not found."] * 4)
    html = story_page(f"<div id='ContentPlaceHolder1_div_story_body'><p>{long_story}</p></div>")
    assert check(html)[1] is None


# --- pages that are not the requested story --------------------------------------------------


def test_a_redirect_to_the_home_page_is_not_the_story() -> None:
    html = story_page(f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p></div>")
    _, problem, _ = check(html, url="https://menafn.com/")
    assert problem == "redirected away from the story (landed on https://menafn.com/)"


def test_a_redirect_to_the_same_story_under_another_slug_is_fine() -> None:
    html = story_page(f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p></div>")
    assert check(html, url=f"https://menafn.com/{STORY_ID}/New-Slug?src=RSS")[1] is None


def test_a_page_that_says_it_is_another_story_is_rejected() -> None:
    canonical = "<link rel='canonical' href='https://menafn.com/1110400000/Other-Story'>"
    html = story_page(
        f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p></div>",
        before=canonical,
    )
    assert check(html)[1] == "not the requested story (the page is story 1110400000)"
    stamp = f"<div id='ContentPlaceHolder1_div_story_body'><p>{DATELINE} {P1}</p>"
    stamp += "<p>MENAFN04122025000071011013ID1110400000</p></div>"
    problem = check(story_page(stamp))[1]
    assert problem == (
        "not the requested story (its tracking stamp is MENAFN04122025000071011013ID1110400000)"
    )


def test_a_section_listing_served_at_the_story_url_is_rejected() -> None:
    items = "".join(
        f"<div class='news-item'><h3 class='entry-title'><a href='/11104000{i:02d}/Story-{i}'>"
        f"Gulf markets story number {i}</a></h3><p>Gulf stock markets moved on the day as"
        f" investors weighed fresh economic data from the region, number {i}.</p></div>"
        for i in range(10)
    )
    html = (
        "<html><head><title>Arab World - Latest News | MENAFN.COM</title></head><body>"
        f"<h1 class='section-title'>Arab World - Latest News</h1>{items}</body></html>"
    )
    article, problem, _ = check(html)
    assert problem is not None, article.body


def test_the_story_itself_with_its_own_tracking_stamp_passes() -> None:
    html = story_page(
        f"<h1 class='main-entry-title'>{TITLE}</h1><div id='ContentPlaceHolder1_div_story_body'>"
        f"<p>{DATELINE} {P1}</p><p>{P2}</p><p>{TRACKING}</p></div>"
    )
    article, problem, _ = check(html)
    assert (problem, article.tracking_id) == (None, TRACKING)


# --- the rules themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Copyright © 2025 MENAFN. All rights reserved.", True),
        ("(c) 2025 Kuwait News Agency", True),
        ("All Rights Reserved. MENAFN 2025", True),
        ("This story continues for MENAFN subscribers. Sign in to read the full article.", False),
        ("The court ruled that all rights reserved by the founders had lapsed in 1998 when"
         " the company was sold to a Gulf investor and its copyright assigned.", False),
        ("Copyright holders met in Amman on Monday to discuss reform.", False),
    ],
)  # fmt: skip
def test_is_furniture(line: str, expected: bool) -> None:
    assert is_furniture(line) is expected


def test_a_teaser_cut_by_a_subscription_prompt_is_not_the_story() -> None:
    assert is_paywall("This story continues for MENAFN subscribers. Sign in to read more.")
    html = story_page(
        f"<h1 class='main-entry-title'>{TITLE}</h1><div id='ContentPlaceHolder1_div_story_body'>"
        f"<p>{DATELINE} {P1}</p><p>This story continues for MENAFN subscribers. Subscribe to"
        " read the full article.</p></div>"
    )
    article, problem, _ = check(html)
    assert article.body == P1  # the prompt is not story text either
    assert problem == "not the whole story: a subscription prompt cuts it (a teaser only)"


def test_body_problem_passes_short_real_wire_stories() -> None:
    flash = ["KUWAIT, Dec 4 (KUNA) -- Kuwait's Amir received the Crown Prince at Bayan Palace."]
    assert body_problem(flash) is None
