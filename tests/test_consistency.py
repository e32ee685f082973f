"""The article check of point 2 (extraction/consistency.py): it catches each contradiction."""

from __future__ import annotations

from typing import Any

import pytest

from newscrawl.dates import zone
from newscrawl.extraction.consistency import inconsistencies
from newscrawl.items import Article

NY = zone("America/New_York")
SOUND: dict[str, Any] = {
    "title": "Northfield Analytics Opens Regional Data Center",
    "published_at": "2025-11-05T13:30:00+00:00",
    "published_text": "05 Nov, 2025, 08:30 ET",
    "language": "en",
    "dateline": "CHICAGO, Nov. 5, 2025 /PRNewswire/ --",
    "organization": "Northfield Analytics",
    "body": "Northfield Analytics, a provider of supply-chain forecasting software, today opened a "
    "regional data center in Columbus, Ohio, its third in the United States.\n\n"
    "| EUR million | Q3 2025 |\n| --- | --- |\n| Revenue | 412.6 |",
}


def test_a_sound_article_passes_as_a_dict_and_as_an_article() -> None:
    assert inconsistencies(SOUND, NY) == []
    assert inconsistencies(Article(**SOUND), NY) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"published_at": "2025-11-05T08:30:00+00:00"}, "read in the site's clock"),
        ({"published_text": "2025-11-05T08:30:00Z"}, "read in the site's clock"),
        ({"published_text": "yesterday"}, "is not a stamp"),
        ({"language": "fr"}, "but the text is 'en'"),
        ({"language": "eng"}, "not ISO 639-1"),
        ({"title": "Kim\u00e2\u20ac\u2122s visit"}, "title shows mojibake"),
        ({"body": "\u00c7\u00e1\u00df\u00e6\u00ed\u00ca \u00ca\u00d1\u00cd\u00c8 \u00c8\u00de\u00d1"
                  "\u00c7\u00d1 \u00e3\u00cc\u00e1\u00d3"}, "body shows mojibake"),
        ({"body": "Revenue\n\n412.6\n\n+11%"}, "is a table cell on its own"),
        ({"body": "Revenue 412.6\nEBITDA 88.4"}, "has line breaks and no table"),
    ],
)  # fmt: skip
def test_each_contradiction_is_named(change: dict[str, Any], problem: str) -> None:
    found = inconsistencies({**SOUND, **change}, NY)
    assert any(problem in line for line in found), found


def test_missing_values_contradict_nothing() -> None:
    assert (
        inconsistencies({"body": "Short.", "published_at": None, "published_text": None}, NY) == []
    )
