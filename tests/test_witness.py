"""The second witness (newscrawl/witness.py): what sitemaps, feeds and listing cards say of a
story, compared with its page in the run's health and filling only what the page left empty;
tickers by the short names releases print (newscrawl/extraction/exchanges.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newscrawl.extraction.exchanges import listing, listings
from newscrawl.items import Article
from newscrawl.sites.menafn import MENAFN
from newscrawl.spiders.discovery import Link, dated_link
from newscrawl.witness import Witness, WitnessTally, fill_from_witness, sitemap_witness
from tests.in_process import FAST_SETTINGS, crawl_in_process
from tests.site import MenafnSite, synthetic_stories

EASTERN = ZoneInfo("America/New_York")
PAGE = "2025-04-30T23:54:00+00:00"  # the page's published_at: 19:54 EDT


def test_a_disagreement_is_counted_by_its_size_never_written() -> None:
    tally = WitnessTally()
    tally.add(PAGE, Witness("sitemap", PAGE), EASTERN)  # agrees
    tally.add(PAGE, Witness("sitemap", "2025-04-30T23:54:40+00:00"), EASTERN)  # to the minute
    tally.add(PAGE, Witness("sitemap", "2025-04-30T19:54:00+00:00"), EASTERN)  # ET read as UTC
    tally.add(PAGE, Witness("sitemap", "2025-05-01T00:30:00+00:00"), EASTERN)  # 36 min late
    tally.add(PAGE, Witness("listing", "2025-04-30"), EASTERN)  # the day, on the site's clock
    tally.add(PAGE, Witness("feed", "2025-05-01"), EASTERN)  # a day late
    tally.add(None, Witness("feed", "2025-05-01"), EASTERN)  # the page has none: not guessed
    tally.add(PAGE, Witness("sitemap"), EASTERN)  # nothing to compare
    assert tally.to_dict() == {
        "feed": {"compared": 1, "agree": 0, "off_hours": {}, "off_days": {"+1": 1},
                 "page_has_none": 1},
        "listing": {"compared": 1, "agree": 1, "off_hours": {}, "off_days": {},
                    "page_has_none": 0},
        "sitemap": {"compared": 4, "agree": 2, "off_hours": {"+1": 1, "-4": 1},
                    "off_days": {}, "page_has_none": 0},
    }  # fmt: skip


def test_a_witness_fills_only_what_the_page_left_empty() -> None:
    witness = sitemap_witness(
        "2025-04-30T19:54:00-04:00",
        "TSX Venture Exchange:abc, OTCQB:ABCDF",
        "Mining, Gold",
        EASTERN,
    )
    assert witness == Witness("sitemap", PAGE, ("TSXV:ABC", "OTCQB:ABCDF"), ("Mining", "Gold"))
    bare = Article(published_at=None)
    fill_from_witness(bare, witness)
    assert (bare.tickers, bare.tags, bare.published_at) == (
        ["TSXV:ABC", "OTCQB:ABCDF"], ["Mining", "Gold"], None,
    )  # fmt: skip
    own = Article(published_at=PAGE, tickers=["NASDAQ:ABC"], tags=["Gold mining"])
    fill_from_witness(own, witness)
    assert (own.tickers, own.tags, own.witness) == (["NASDAQ:ABC"], ["Gold mining"], witness)
    assert Witness.from_meta(json.loads(json.dumps(witness.to_meta()))) == witness


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("NASDAQ:AAPL", "NASDAQ:AAPL"),
        ("Nasdaq Global Select Market:aapl", "NASDAQ:AAPL"),
        ("TSX Venture Exchange:ABC", "TSXV:ABC"),
        ("Toronto Stock Exchange:ARG", "TSX:ARG"),
        ("The New York Stock Exchange:IBM", "NYSE:IBM"),
        ("NYSE MKT:XYZ", "NYSEAMERICAN:XYZ"),  # as the release text's (NYSE MKT: XYZ) gives it
        ("London Stock Exchange:MPAY", "LSE:MPAY"),
        ("Oslo Børs:TIDE", "OSLO BØRS:TIDE"),  # not in the table: kept as printed, upper-case
        ("AAPL", None),
        (":AAPL", None),
    ],
)
def test_a_listing_is_exchange_colon_symbol_by_the_short_name(
    printed: str, expected: str | None
) -> None:
    assert listing(printed) == expected


def test_listings_are_read_once_each_in_order() -> None:
    assert listings("NYSE:IBM,nyse:ibm , TSX:ARG,") == ["NYSE:IBM", "TSX:ARG"]


def test_a_listing_cards_stamp_is_a_witness_on_the_sites_clock() -> None:
    link = dated_link(Link("1", "a"), "2025-04-30 23:30:00", "listing", MENAFN.clock)
    assert link.published == date(2025, 4, 30)
    assert link.witness == Witness("listing", "2025-05-01T03:30:00+00:00")
    assert link == Link("1", "a", date(2025, 4, 30))  # the witness is no part of the link


def test_listing_cards_and_feeds_witness_a_cron_run(out: Path) -> None:
    """MENAFN's listing cards print its Eastern stamps, its feeds RFC 2822 dates: both agree
    with the pages, and say so in the run's health."""
    with MenafnSite(synthetic_stories(24)) as site:
        listings = {**FAST_SETTINGS, "NEWSCRAWL_DISCOVERY_DEPTH": 1}  # each story from a card
        cards = crawl_in_process(out / "cards", base_url=site.base_url, settings=listings)
        only_feeds = {
            **FAST_SETTINGS, "NEWSCRAWL_LISTING_PATHS": "", "NEWSCRAWL_DISCOVERY_DEPTH": 1,
            "NEWSCRAWL_FEED_PATHS": "/rss/rss20.xml,/rss/atom10.xml",
        }  # fmt: skip
        feeds = crawl_in_process(out / "feeds", base_url=site.base_url, settings=only_feeds)
    assert (cards.status, feeds.status) == (0, 0), (cards.summary, feeds.summary)
    listing = cards.last()["health"]["witnesses"]["listing"]
    assert listing["compared"] == listing["agree"] == 24
    feed = feeds.last()["health"]["witnesses"]["feed"]
    assert feed["compared"] == feed["agree"] == 8  # every sixth story, in two feeds
