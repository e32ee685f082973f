"""MENAFN's marks on a story: its source dateline, the provider it names, the tracking stamp."""

from __future__ import annotations

import pytest

from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.sites.menafn.marks import find_tracking_id, provider_from_dateline, split_dateline
from newscrawl.sites.menafn.story import load_article

TRACKING_ID = "MENAFN05092023000071011013ID1107006744"

# --- datelines and providers ---------------------------------------------------------------

LONG_UNBALANCED = "(MENAFN- never closed " + "word " * 40 + "and so on."


@pytest.mark.parametrize(
    ("text", "dateline", "rest"),
    [
        ("(MENAFN)", "(MENAFN)", ""),
        ("(MENAFN) Russian Foreign Minister", "(MENAFN)", "Russian Foreign Minister"),
        ("  (MENAFN) Lead", "(MENAFN)", "Lead"),
        (
            "(MENAFN- Kuwait News Agency (KUNA)) KUWAIT, Dec 17 (KUNA) -- Boursa",
            "(MENAFN- Kuwait News Agency (KUNA))",
            "KUWAIT, Dec 17 (KUNA) -- Boursa",
        ),
        (
            "( MENAFN - Kuwait News Agency (KUNA)) KUWAIT",
            "( MENAFN - Kuwait News Agency (KUNA))",
            "KUWAIT",
        ),
        ("MENAFN - Jordan Times) AMMAN - Chairman", "MENAFN - Jordan Times)", "AMMAN - Chairman"),
        ("(MENAFN - The Conversation)Data is", "(MENAFN - The Conversation)", "Data is"),
        ("(MENAFN\u2013 X) y", "(MENAFN\u2013 X)", "y"),
        ("(MENAFN-Gulf Times)Doha", "(MENAFN-Gulf Times)", "Doha"),
        (LONG_UNBALANCED, None, LONG_UNBALANCED),
        ("MENAFN provides the information", None, "MENAFN provides the information"),
        ("KUWAIT, Dec 17 (KUNA) -- text", None, "KUWAIT, Dec 17 (KUNA) -- text"),
        ("The (MENAFN) report", None, "The (MENAFN) report"),
        ("", None, ""),
    ],
)
def test_split_dateline(text: str, dateline: str | None, rest: str) -> None:
    assert split_dateline(text) == (dateline, rest)


@pytest.mark.parametrize(
    ("dateline", "provider"),
    [
        ("(MENAFN)", "MENAFN"),
        ("(MENAFN- Kuwait News Agency (KUNA))", "Kuwait News Agency (KUNA)"),
        ("( MENAFN - Kuwait News Agency (KUNA))", "Kuwait News Agency (KUNA)"),
        ("MENAFN - Jordan Times)", "Jordan Times"),
        ("(MENAFN - The Conversation)", "The Conversation"),
        ("(MENAFN\u2013 X)", "X"),
        ("(MENAFN-Gulf Times)", "Gulf Times"),
        ("(MENAFN- The  Peninsula)", "The Peninsula"),
    ],
)
def test_provider_from_dateline(dateline: str, provider: str) -> None:
    assert provider_from_dateline(dateline) == provider


# --- tracking stamps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (TRACKING_ID, TRACKING_ID),
        (f"text {TRACKING_ID} more", TRACKING_ID),
        (f"at age 76.{TRACKING_ID}", TRACKING_ID),  # glued to the story
        (f"{TRACKING_ID}Legal Disclaimer:", TRACKING_ID),  # glued to the footer
        ("MENAFN0509202300007101101ID1107006744", None),  # 19 digits
        ("MENAFN05092023000071011013ID12345", None),  # story id too short
        ("MENAFN provides the information", None),
        ("", None),
    ],
)
def test_find_tracking_id(value: str, expected: str | None) -> None:
    assert find_tracking_id(value) == expected


# --- the provider an article names ---------------------------------------------------------


def load(**values: str) -> Article:
    loader = ArticleLoader()
    loader.add_value("source", "menafn")
    for name, value in values.items():
        loader.add_value(name, value)
    return load_article(loader)


def test_the_dateline_names_the_provider_over_a_logo() -> None:
    article = load(provider="Logo Name", dateline="(MENAFN- The Peninsula)", title="T", body="B")
    assert article.provider == "The Peninsula"
    assert load(provider="Logo Name", title="T", body="B").provider == "Logo Name"


def test_a_wire_dateline_leaves_the_provider_alone() -> None:
    dateline = "PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --"
    article = load(provider="PR Newswire", dateline=dateline, title="T", body="B")
    assert (article.dateline, article.provider) == (dateline, "PR Newswire")
