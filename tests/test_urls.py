"""MENAFN story URLs: ids from every URL form, canonical URLs, slugs, saved-page names."""

from __future__ import annotations

import pytest

from newscrawl.sites.menafn.urls import canonical_url, saved_page_ref, slugify, story_ref


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://menafn.com/1109793603/Lavrov-North-Korean-Leader-Discuss-Bilateral-Issues-in-Wonsan",
            ("1109793603", "Lavrov-North-Korean-Leader-Discuss-Bilateral-Issues-in-Wonsan"),
        ),
        (
            "http://menafn.com/1095277951/Kuwait-oil-price-down-38-cents-to-USD-5262-pb?src=RSS",
            ("1095277951", "Kuwait-oil-price-down-38-cents-to-USD-5262-pb"),
        ),
        (
            "http://www.menafn.com/1095868514/Qatar-Gold-supply-unaffected-by-blockade?src=RSS",
            ("1095868514", "Qatar-Gold-supply-unaffected-by-blockade"),
        ),
        (
            "https://menafn.com/1109588722/How-The-UK-Could-Monetise?Social=on",
            ("1109588722", "How-The-UK-Could-Monetise"),
        ),
        ("https://menafn.com/1109793603/Lavrov#comments", ("1109793603", "Lavrov")),
        ("https://menafn.com/1109793603/Lavrov?src=RSS#top", ("1109793603", "Lavrov")),
        ("https://menafn.com/1109793603/Lavrov/", ("1109793603", "Lavrov")),
        ("https://menafn.com/1109793603", ("1109793603", "")),
        ("https://menafn.com/1109793603/", ("1109793603", "")),
        ("  https://menafn.com/1109793603/Lavrov  ", ("1109793603", "Lavrov")),
        ("/1109793603/Relative", ("1109793603", "Relative")),
        ("http://127.0.0.1:8000/1109793603/Local", ("1109793603", "Local")),
        (
            "https://menafn.com/qn_news_story_s.aspx?storyid=1095168700&title=Abdali-Mall",
            ("1095168700", "Abdali-Mall"),
        ),
        (
            "https://menafn.com/QN_NEWS_STORY_S.ASPX?StoryID=1095168700&Title=Abdali-Mall",
            ("1095168700", "Abdali-Mall"),
        ),
        (
            "http://www.menafn.com/qn_news_story_s.aspx?STORYID=1095168700",
            ("1095168700", ""),
        ),
        (
            "https://menafn.com/qn_news_story.aspx?storyid=1095168700&title=Abdali%20Mall%20%26%20EAT",
            ("1095168700", "Abdali-Mall-EAT"),
        ),
        ("https://menafn.com/qn_news_story_s.aspx?storyid=abc&title=x", None),
        ("https://menafn.com/qn_news_story_s.aspx?title=Abdali-Mall", None),
        (
            "http://www.menafn.com/menafn/9c990483-5c0b-4bb9-87ff-8ade7ac1a9c2/BRIEF-Tulsa-man",
            None,
        ),
        ("https://menafn.com/tb_news.aspx", None),
        ("https://menafn.com/tb_news.aspx?tb_html=tb_arab&tb_title=Arab", None),
        ("https://menafn.com/", None),
        ("https://menafn.com", None),
        ("https://menafn.com/123/short-id", None),
        ("https://menafn.com/1109793603/a/b", None),
        ("https://menafn.com/pr/1109793603/x", None),
        ("", None),
    ],
)
def test_story_ref(url: str, expected: tuple[str, str] | None) -> None:
    assert story_ref(url) == expected


@pytest.mark.parametrize(
    ("story_id", "slug", "expected"),
    [
        (
            "1109793603",
            "Lavrov-North-Korean",
            "https://menafn.com/1109793603/Lavrov-North-Korean",
        ),
        ("1109793603", "", "https://menafn.com/1109793603"),
    ],
)
def test_canonical_url(story_id: str, slug: str, expected: str) -> None:
    assert canonical_url(story_id, slug) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://www.menafn.com/1095277951/Kuwait-oil?src=RSS",
        "https://menafn.com/1095277951/Kuwait-oil?Social=on",
        "https://www.menafn.com/1095277951/Kuwait-oil#x",
        "http://127.0.0.1:8000/1095277951/Kuwait-oil",
    ],
)
def test_every_form_canonicalises_to_one_url(url: str) -> None:
    ref = story_ref(url)
    assert ref is not None
    assert canonical_url(*ref) == "https://menafn.com/1095277951/Kuwait-oil"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kuwait's", "Kuwaits"),
        ("JD40.2", "JD402"),
        ("USD 52.62", "USD-5262"),
        ("20/11", "2011"),
        ("Kuwait's oil price: USD 52.62 on 20/11", "Kuwaits-oil-price-USD-5262-on-2011"),
        (
            "Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan",
            "Lavrov-North-Korean-Leader-Discuss-Bilateral-Issues-in-Wonsan",
        ),
        ("Qatar\u2019s gold", "Qatars-gold"),
        ("Khankendi & Shusha", "Khankendi-Shusha"),
        ("Oil_price", "Oil-price"),
        ("  a -- b  ", "a-b"),
        ("Up 0.9 Pct", "Up-09-Pct"),
        ("", ""),
    ],
)
def test_slugify(title: str, expected: str) -> None:
    assert slugify(title) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (
            "1109793603-Lavrov-North-Korean-Leader",
            ("1109793603", "Lavrov-North-Korean-Leader"),
        ),
        ("1109793603", ("1109793603", "")),
        (
            "1095277951-Kuwait-oil-price-down-38-cents",
            ("1095277951", "Kuwait-oil-price-down-38-cents"),
        ),
        ("notes-2024", None),
        ("page", None),
        ("123-short", None),
        ("1109793603_Lavrov", None),
        ("1109793603-", None),
        ("000_37ca49054672ac49", None),
        ("", None),
    ],
)
def test_saved_page_ref(stem: str, expected: tuple[str, str] | None) -> None:
    assert saved_page_ref(stem) == expected
