"""Issuers' listings as EXCHANGE:SYMBOL (extraction/tickers.py)."""

from __future__ import annotations

import re

import pytest

from newscrawl.extraction.tickers import find_tickers

SCHEMA_PATTERN = re.compile(r"^[A-Z][A-Z0-9.]*:[A-Z0-9][A-Z0-9.\-]*$")  # article-v3.schema.json


@pytest.mark.parametrize(
    ("text", "issuer", "tickers"),
    [
        ("Aurora Ridge Gold Corp. (TSX: ARG) announced today", None, ["TSX:ARG"]),
        ("Apple Inc. (NASDAQ: AAPL) and IBM", "Apple Inc.", ["NASDAQ:AAPL"]),
        ("International Business Machines (NYSE:IBM) said", None, ["NYSE:IBM"]),
        ("Borealis Lithium Inc. (TSX-V: BLI) (OTCQB: BLILF) (FSE: 9BL) is pleased", "Borealis "
         "Lithium Inc.", ["TSXV:BLI", "OTCQB:BLILF", "FSE:9BL"]),
        ("Northern Shield (TSX: NSM; NYSE American: NSMX) reports", None,
         ["TSX:NSM", "NYSEAMERICAN:NSMX"]),
        ("Harbor Lane Bancorp, Inc. (Nasdaq: HLBC) declared", None, ["NASDAQ:HLBC"]),
        ("Valmont Biotech SA (Euronext Paris\u00a0: VALB), société", None, ["EURONEXT:VALB"]),
        ("Berkshire (NYSE: BRK.A, BRK.B) said", None, ["NYSE:BRK.A", "NYSE:BRK.B"]),
        ("Kinross (TSX Venture: KGC.H) and (OTCQX: KGCXF)", None, ["TSXV:KGC.H", "OTCQX:KGCXF"]),
        ("The photo (Credit: AP) and (Source: Company filings) and (see: NOTE A)", None, []),
    ],
)  # fmt: skip
def test_listings_after_the_issuer_are_its_tickers(
    text: str, issuer: str | None, tickers: list[str]
) -> None:
    found = find_tickers(text, issuer)
    assert found == tickers
    assert all(SCHEMA_PATTERN.match(t) for t in found)


def test_other_companies_listings_are_not_the_issuers() -> None:
    """An underwriter or acquirer named with its listing later in the release."""
    text = (
        "Cobalt Ridge Therapeutics, Inc. (Nasdaq: CRTX) today announced the pricing. "
        "Harborview Securities (NYSE: HBV) is acting as sole book-running manager."
    )
    assert find_tickers(text, "Cobalt Ridge Therapeutics, Inc.") == ["NASDAQ:CRTX"]
    assert find_tickers(text, None) == ["NASDAQ:CRTX"]  # the first printed: the lead's issuer
    acquired = "Beta Corp. (NASDAQ: BETA) agreed to be bought by Acme Holdings (NYSE: ACME)."
    assert find_tickers(acquired, "Acme Holdings") == ["NYSE:ACME"]
