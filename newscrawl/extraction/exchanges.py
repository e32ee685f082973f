"""Stock exchanges as releases abbreviate them, for ``tickers`` (``EXCHANGE:SYMBOL``).

The rule: a listing is written ``EXCHANGE:SYMBOL``, both upper-case, with the exchange under the
short name the wires print in a release's first line, ``(NASDAQ: AAPL)``, ``(TSX: ARG)``,
``(TSXV: ABC)``. A long or variant name (``TSX Venture Exchange``, ``Nasdaq Global Select
Market``, ``New York Stock Exchange``, ``NYSE MKT``) is mapped to that short name by the table
below; a name the table does not know is kept as printed, upper-case, spaces collapsed (never
guessed). Google News sitemaps give listings in this shape (``news:stock_tickers``,
``NASDAQ:AAPL, TSX Venture Exchange:ABC``), under the issuer's name for the exchange.
"""

from __future__ import annotations

import re

# Long names and variants -> the short name releases print. Keys are upper-case, spaces
# collapsed, without the punctuation of "The … Inc." forms.
SHORT_NAMES = {
    "NASDAQ": "NASDAQ",
    "NASDAQ GLOBAL SELECT MARKET": "NASDAQ",
    "NASDAQ GLOBAL SELECT": "NASDAQ",
    "NASDAQ GLOBAL MARKET": "NASDAQ",
    "NASDAQ CAPITAL MARKET": "NASDAQ",
    "NASDAQ GS": "NASDAQ",
    "NASDAQ GM": "NASDAQ",
    "NASDAQ CM": "NASDAQ",
    "NASDAQGS": "NASDAQ",
    "NASDAQGM": "NASDAQ",
    "NASDAQCM": "NASDAQ",
    "NEW YORK STOCK EXCHANGE": "NYSE",
    "NYSE": "NYSE",
    "NYSE AMERICAN": "NYSE AMERICAN",
    "NYSE MKT": "NYSE AMERICAN",
    "NYSE AMEX": "NYSE AMERICAN",
    "AMEX": "NYSE AMERICAN",
    "AMERICAN STOCK EXCHANGE": "NYSE AMERICAN",
    "NYSE ARCA": "NYSE ARCA",
    "TORONTO STOCK EXCHANGE": "TSX",
    "TSX": "TSX",
    "TSX VENTURE EXCHANGE": "TSXV",
    "TSX VENTURE": "TSXV",
    "TSX-V": "TSXV",
    "TSXV": "TSXV",
    "CANADIAN SECURITIES EXCHANGE": "CSE",
    "CSE": "CSE",
    "LONDON STOCK EXCHANGE": "LSE",
    "LSE": "LSE",
    "AIM": "AIM",
    "AUSTRALIAN SECURITIES EXCHANGE": "ASX",
    "ASX": "ASX",
    "OTC MARKETS": "OTC",
    "OTC": "OTC",
    "OTCQX": "OTCQX",
    "OTCQB": "OTCQB",
    "OTC PINK": "OTC PINK",
}
_SPACES = re.compile(r"\s+")


def short_exchange(name: str) -> str:
    """The short name releases print for an exchange; an unknown one as given, upper-case.

    >>> short_exchange("TSX Venture Exchange"), short_exchange("Nasdaq Global Select Market")
    ('TSXV', 'NASDAQ')
    >>> short_exchange("The New York Stock Exchange"), short_exchange("Bolsa de Santiago")
    ('NYSE', 'BOLSA DE SANTIAGO')
    """
    key = _SPACES.sub(" ", name.replace(".", " ").replace(",", " ")).strip().upper()
    key = key.removeprefix("THE ")
    return SHORT_NAMES.get(key, key)


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
