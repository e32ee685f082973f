"""GlobeNewswire and PR Newswire release URLs: story ids and canonical form (pages, spiders)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

GLOBENEWSWIRE_HOST = "www.globenewswire.com"
PRNEWSWIRE_HOST = "www.prnewswire.com"
# /news-release/2016/04/06/1300478/0/en/Segment-Launches-Sources.html (also under /en/, /fr/…)
_GLOBENEWSWIRE_PATH = re.compile(
    r"^(?:/[a-z]{2})?/news-release/\d{4}/\d{2}/\d{2}/(\d{4,10})/\d+/[a-z]{2}/[^/]+\.html$",
    re.IGNORECASE,
)
# /news-releases/hackerrank--cybermedia-technologies-partner-300256929.html
_PRNEWSWIRE_PATH = re.compile(r"^/news-releases/(?:[^/]*-)?(\d{9})\.html$", re.IGNORECASE)


def globenewswire_id(url: str) -> str | None:
    """The release id in a GlobeNewswire release URL, else None.

    >>> globenewswire_id("https://www.globenewswire.com/news-release/2016/04/06/1300478/0/en/"
    ...                  "Segment-Launches-Sources.html?print=1")
    '1300478'
    >>> globenewswire_id("http://globenewswire.com/en/news-release/2024/05/01/2873365/0/en/X.html")
    '2873365'
    >>> globenewswire_id("https://www.globenewswire.com/search/organization/Segment") is None
    True
    """
    match = _GLOBENEWSWIRE_PATH.match(urlsplit(url.strip()).path)
    return match.group(1) if match else None


def prnewswire_id(url: str) -> str | None:
    """The 9-digit release id in a PR Newswire release URL, else None.

    >>> prnewswire_id("https://www.prnewswire.com/news-releases/hackerrank--cybermedia-"
    ...               "technologies-partner-300256929.html#top")
    '300256929'
    >>> prnewswire_id("https://www.prnewswire.com/news-releases/news-releases-list/") is None
    True
    """
    match = _PRNEWSWIRE_PATH.match(urlsplit(url.strip()).path)
    return match.group(1) if match else None


def canonical_release_url(url: str, host: str) -> str:
    """A release URL in its one form: https, the wire's own host, no query, no fragment.

    A copy fetched from a mirror or the local test site keeps the wire's URL.

    >>> canonical_release_url("http://127.0.0.1:8001/news-releases/x-300256929.html?src=rss",
    ...                       PRNEWSWIRE_HOST)
    'https://www.prnewswire.com/news-releases/x-300256929.html'
    """
    return urlunsplit(("https", host, urlsplit(url.strip()).path, "", ""))
