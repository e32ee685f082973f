"""Stock exchanges as releases abbreviate them, for ``tickers`` (``EXCHANGE:SYMBOL``).

The rule: a listing is written ``EXCHANGE:SYMBOL``, both upper-case, with the exchange under the
short name the wires print in a release's first line, ``(NASDAQ: AAPL)``, ``(TSX: ARG)``,
``(TSXV: ABC)``. A long or variant name (``TSX Venture Exchange``, ``Nasdaq Global Select
Market``, ``New York Stock Exchange``, ``NYSE MKT``) is mapped to that short name by the table
the release text is read with (``tickers.EXCHANGES``); a name the table does not know is kept as
printed, upper-case, spaces collapsed (never guessed). Google News sitemaps give listings in
this shape (``news:stock_tickers``, ``NASDAQ:AAPL, TSX Venture Exchange:ABC``), under the
issuer's name for the exchange.
"""

from __future__ import annotations

import re

from newscrawl.extraction.tickers import EXCHANGES

_SPACES = re.compile(r"\s+")


def short_exchange(name: str) -> str:
    """The short name releases print for an exchange, as the release text gives it
    (``tickers.EXCHANGES``: one table, so a sitemap's listing and the page's agree); an
    unknown one as given, upper-case.

    >>> short_exchange("TSX Venture Exchange"), short_exchange("Nasdaq Global Select Market")
    ('TSXV', 'NASDAQ')
    >>> short_exchange("The New York Stock Exchange"), short_exchange("Bolsa de Santiago")
    ('NYSE', 'BOLSA DE SANTIAGO')
    >>> short_exchange("NYSE MKT"), short_exchange("tsx.v")
    ('NYSEAMERICAN', 'TSXV')
    """
    key = _SPACES.sub(" ", name.replace(",", " ")).strip().upper().removeprefix("THE ")
    dotless = _SPACES.sub(" ", key.replace(".", " ")).strip()
    return EXCHANGES.get(key) or EXCHANGES.get(dotless) or dotless


def listing(value: str) -> str | None:
    """One ``EXCHANGE:SYMBOL`` listing by the rule above, or None if it is not one.

    >>> listing("TSX Venture Exchange:abc"), listing(" NASDAQ : AAPL "), listing("AAPL")
    ('TSXV:ABC', 'NASDAQ:AAPL', None)
    """
    exchange, colon, symbol = value.partition(":")
    symbol = _SPACES.sub("", symbol).upper()
    if not colon or not exchange.strip() or not symbol:
        return None
    return f"{short_exchange(exchange)}:{symbol}"


def listings(text: str) -> list[str]:
    """The listings of a comma-separated list (``news:stock_tickers``), in order, once each.

    >>> listings("NASDAQ:AAPL, TSX Venture Exchange:ABC, nasdaq:aapl, junk")
    ['NASDAQ:AAPL', 'TSXV:ABC']
    """
    found = (listing(part) for part in text.split(","))
    return list(dict.fromkeys(value for value in found if value))
