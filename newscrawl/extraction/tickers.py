"""An issuer's listings, as a release prints them after its name: ``(NASDAQ: AAPL)``.

``tickers`` holds them as ``EXCHANGE:SYMBOL``, the exchange upper-case as commonly abbreviated
(CONTRACT, "Version 3"). Only exchanges are read: "(Photo: Reuters)" or "(Ref: A12)" name
none. A release that names other companies' listings too (a partner, an acquirer) gives the
issuer's: those printed after the issuer's name, else the first ones printed.
"""

from __future__ import annotations

import re

# Exchange names as releases print them -> the usual abbreviation. Spellings of one exchange
# map to one name; names not listed are not read as exchanges.
EXCHANGES = {
    "NASDAQ": "NASDAQ", "NASDAQ GS": "NASDAQ", "NASDAQ GM": "NASDAQ", "NASDAQ CM": "NASDAQ",
    "NASDAQGS": "NASDAQ", "NASDAQGM": "NASDAQ", "NASDAQCM": "NASDAQ",
    "NASDAQ GLOBAL SELECT": "NASDAQ", "NASDAQ GLOBAL MARKET": "NASDAQ",
    "NASDAQ CAPITAL MARKET": "NASDAQ", "NASDAQ GLOBAL SELECT MARKET": "NASDAQ",
    "NYSE": "NYSE", "NEW YORK STOCK EXCHANGE": "NYSE", "AMERICAN STOCK EXCHANGE": "NYSEAMERICAN",
    "TORONTO STOCK EXCHANGE": "TSX", "CANADIAN SECURITIES EXCHANGE": "CSE",
    "LONDON STOCK EXCHANGE": "LSE", "AUSTRALIAN SECURITIES EXCHANGE": "ASX",
    "NYSE AMERICAN": "NYSEAMERICAN", "NYSE MKT": "NYSEAMERICAN", "NYSE AMEX": "NYSEAMERICAN",
    "AMEX": "NYSEAMERICAN", "NYSE ARCA": "NYSEARCA", "CBOE": "CBOE", "TSX": "TSX",
    "TSX-V": "TSXV", "TSXV": "TSXV", "TSX.V": "TSXV", "TSX VENTURE": "TSXV",
    "TSX VENTURE EXCHANGE": "TSXV", "CSE": "CSE", "NEO": "NEO", "CBOE CANADA": "NEO",
    "OTC": "OTC", "OTCQX": "OTCQX", "OTCQB": "OTCQB", "OTC PINK": "OTCPINK", "PINK": "OTCPINK",
    "OTC MARKETS": "OTC", "OTCMKTS": "OTC", "LSE": "LSE", "AIM": "AIM", "ASX": "ASX",
    "NZX": "NZX", "JSE": "JSE", "HKEX": "HKEX", "SEHK": "HKEX", "SGX": "SGX", "TASE": "TASE",
    "NSE": "NSE", "BSE": "BSE", "FSE": "FSE", "FRA": "FSE", "FRANKFURT": "FSE",
    "XETRA": "XETRA", "ETR": "XETRA", "SIX": "SIX", "EURONEXT": "EURONEXT",
    "EURONEXT PARIS": "EURONEXT", "EURONEXT AMSTERDAM": "EURONEXT",
    "EURONEXT BRUSSELS": "EURONEXT", "EURONEXT OSLO": "OSE", "OSE": "OSE", "OSLO": "OSE",
    "OSLO BORS": "OSE", "NASDAQ STOCKHOLM": "STO", "NASDAQ HELSINKI": "HEL",
    "NASDAQ COPENHAGEN": "CPH", "NASDAQ FIRST NORTH": "FIRSTNORTH", "STO": "STO",
    "HEL": "HEL", "CPH": "CPH", "TSE": "TSE", "TYO": "TSE", "KRX": "KRX", "KOSDAQ": "KOSDAQ",
    "TWSE": "TWSE", "BMV": "BMV", "B3": "B3", "BOVESPA": "B3", "BVL": "BVL", "BCBA": "BCBA",
    "TADAWUL": "TADAWUL", "DFM": "DFM", "ADX": "ADX", "QSE": "QSE", "EGX": "EGX",
    "BOURSA KUWAIT": "BOURSAKUWAIT", "BORSA ISTANBUL": "BIST", "BIST": "BIST", "WSE": "WSE",
    "GPW": "WSE", "BME": "BME", "BIT": "BIT", "MTA": "BIT",
}  # fmt: skip
_EXCHANGE = "|".join(sorted((re.escape(name).replace(r"\ ", r"\s+") for name in EXCHANGES),
                            key=len, reverse=True))  # fmt: skip
_SYMBOL = r"[A-Z0-9][A-Za-z0-9]*(?:[.\-][A-Z0-9]+)?"
_LISTING = rf"(?P<exchange>{_EXCHANGE})\s*:\s*(?P<symbols>{_SYMBOL}(?:\s*,\s*{_SYMBOL})*)"
_ONE_LISTING = re.compile(_LISTING, re.IGNORECASE)
# A parenthesis holding listings only: "(TSX: ARG)", "(TSX: ARG; OTCQX: ARGGF)".
_GROUP = re.compile(
    rf"\(\s*(?:{_LISTING})(?:\s*(?:[;,/|]|\band\b)\s*(?:{_LISTING}))*\s*\)".replace(
        "?P<exchange>", "?:"
    ).replace("?P<symbols>", "?:"),
    re.IGNORECASE,
)
_LEGAL_FORM = re.compile(
    r"\b(?:inc|corp|corporation|co|ltd|limited|plc|llc|lp|sa|se|ag|nv|asa|ab|oyj|spa|"
    r"holdings?|group|company)\b\.?",
    re.IGNORECASE,
)
_NAME_WINDOW = 80  # characters before a listing where the issuer's name stands


def listings(group: str) -> list[str]:
    """The ``EXCHANGE:SYMBOL`` listings in one parenthesis, upper-case, in order.

    >>> listings("(TSX: ARG; OTCQX: ARGGF)"), listings("(Nasdaq: HLBC)")
    (['TSX:ARG', 'OTCQX:ARGGF'], ['NASDAQ:HLBC'])
    >>> listings("(NYSE American: AAU, AAU.WS)"), listings("(TSX Venture: XYZ.H)")
    (['NYSEAMERICAN:AAU', 'NYSEAMERICAN:AAU.WS'], ['TSXV:XYZ.H'])
    """
    found: list[str] = []
    for match in _ONE_LISTING.finditer(group):
        exchange = EXCHANGES[" ".join(match.group("exchange").upper().split())]
        found += [f"{exchange}:{s.strip().upper()}" for s in match.group("symbols").split(",")]
    return found


def name_key(name: str) -> str:
    """An issuer's name without its legal form and punctuation, to find it in text.

    >>> name_key("Aurora Ridge Gold Corp."), name_key("Harbor Lane Bancorp, Inc.")
    ('aurora ridge gold', 'harbor lane bancorp')
    """
    bare = _LEGAL_FORM.sub(" ", name)
    return " ".join(re.sub(r"[^\w\s&]", " ", bare).lower().split())


def find_tickers(text: str, issuer: str | None = None) -> list[str]:
    """The issuer's listings in a release's text: every listing printed right after the
    issuer's name; where the name is not found before any, the first listings printed (the
    lead names the issuer first). Runs of parentheses (``(TSX: ARG) (OTCQX: ARGGF)``) are one.

    >>> find_tickers("Aurora Ridge Gold Corp. (TSX: ARG) (OTCQX: ARGGF) said.", "Aurora Ridge")
    ['TSX:ARG', 'OTCQX:ARGGF']
    >>> find_tickers("Acme Inc. (NYSE: ACM) will buy Beta (NASDAQ: BETA). Acme (NYSE: ACM)", "Acme")
    ['NYSE:ACM']
    >>> find_tickers("Beta (NASDAQ: BETA) was bought by Acme Inc. (NYSE: ACM).", "Acme Inc.")
    ['NYSE:ACM']
    >>> find_tickers("Photo (Source: Reuters) and (Ref: A12)")
    []
    """
    runs = _listing_runs(text)
    if not runs:
        return []
    key = name_key(issuer or "")
    own = [found for before, found in runs if key and key in name_key(before)]
    chosen = own or [runs[0][1]]
    return list(dict.fromkeys(t for run in chosen for t in run))


def _listing_runs(text: str) -> list[tuple[str, list[str]]]:
    """(the text before it, listings) of each run of listing parentheses, in order; the text
    before one starts after the run before it, at most ``_NAME_WINDOW`` characters back."""
    runs: list[tuple[str, list[str]]] = []
    end = 0
    for match in _GROUP.finditer(text):
        between = text[end : match.start()]
        if runs and not between.strip(" ,;and"):
            runs[-1][1].extend(listings(match.group(0)))
        else:
            runs.append((between[-_NAME_WINDOW:], listings(match.group(0))))
        end = match.end()
    return runs
