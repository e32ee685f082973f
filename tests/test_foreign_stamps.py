"""Printed stamps in the wires' other languages (FRESH-USER-1 F10): a GlobeNewswire release
printing its stamp in French, German or Spanish keeps it as ``published_text``, and a page
with no datetime metadata still gets ``published_at``, read in the site's clock."""

from __future__ import annotations

from collections import defaultdict

import pytest
from scrapy.http import TextResponse

from newscrawl.extraction.stamp_words import MONTHS
from newscrawl.items import Article
from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from tests.conftest import FIXTURES

GLOBE = FIXTURES.parent / "globenewswire"
CRAWLED_AT = "2026-11-28T00:00:00+00:00"
PRINTED = '<time datetime="2025-09-16T05:45:00Z">September 16, 2025 01:45 ET</time>'


def release(case: str, stamp: str, datetime_attr: str | None) -> Article:
    """A fixture release with its printed stamp replaced (and its ``<time datetime>``, or none);
    its JSON-LD date alone ("9/16/2025") is all the metadata left beside it."""
    page = (GLOBE / case / "page.html").read_text(encoding="utf-8")
    original = page[page.index("<time datetime=") : page.index("</time>") + len("</time>")]
    attr = f' datetime="{datetime_attr}"' if datetime_attr else ""
    page = page.replace(original, f"<time{attr}>{stamp}</time>")
    response = TextResponse(f"file:///saved/{case}.html", body=page.encode(), encoding="utf-8")
    article = GLOBENEWSWIRE.html_page(response, CRAWLED_AT, None).to_article()
    assert isinstance(article, Article)
    return article


@pytest.mark.parametrize(
    "stamp",
    [
        "16 septembre 2025 01:45 ET",  # French, as FRESH-USER-1 saw it
        "16 sept. 2025 01h45 HE",  # French abbreviations, "heure de l'Est"
        "16. September 2025 01:45 ET",  # German
        "16 de septiembre de 2025 01:45 ET",  # Spanish
        "16 sep. 2025, 01:45 ET",
    ],
)
@pytest.mark.parametrize(
    "datetime_attr", ["2025-09-16T05:45:00Z", "2025-09-16T01:45:00", None]
)  # UTC, naive (the site's clock), none at all
def test_a_stamp_printed_in_the_releases_language_is_read(
    stamp: str, datetime_attr: str | None
) -> None:
    article = release("french-release-english-menu", stamp, datetime_attr)
    assert article.published_text == stamp
    assert article.published_at == "2025-09-16T05:45:00+00:00"  # 01:45 EDT
    assert [d for d in article.disagreements if d.startswith("published")] == []


def test_a_winter_stamp_is_read_on_the_winter_clock() -> None:
    """A second release, its stamp after the clocks went back: 01:30 EST is 06:30 UTC."""
    article = release("german-release", "12. November 2025 01:30 Uhr ET", None)
    assert article.published_text == "12. November 2025 01:30 Uhr ET"
    assert article.published_at == "2025-11-12T06:30:00+00:00"


@pytest.mark.parametrize(
    "stamp",
    ["16 brumaire 2025 01:45 ET", "septembre 2025 01:45 ET", "16 sept. 01h45 HE"],
)
def test_what_is_not_a_whole_stamp_stays_unread(stamp: str) -> None:
    """An unknown month word, or a stamp without its day or year: null, never a guess (the
    date alone of the JSON-LD does not make a time either)."""
    article = release("french-release-english-menu", stamp, None)
    assert (article.published_text, article.published_at) == (None, None)


def test_no_month_word_names_two_months() -> None:
    """What lets every table read every stamp, whatever language the page declares."""
    months: dict[str, set[int]] = defaultdict(set)
    for table in MONTHS.values():
        for word, month in table.items():
            months[word].add(month)
    english = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    for month, word in enumerate(english, 1):
        months[word].add(month)
    assert {word: found for word, found in months.items() if len(found) > 1} == {}
    assert all(len(table) >= 12 and set(table.values()) == set(range(1, 13))
               for table in MONTHS.values())  # fmt: skip


def test_the_fixture_prints_the_stamp_replaced() -> None:
    assert PRINTED in (GLOBE / "french-release-english-menu" / "page.html").read_text("utf-8")
