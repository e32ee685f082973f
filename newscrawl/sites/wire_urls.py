"""GlobeNewswire and PR Newswire release URLs: release ids, paths and canonical form (pages,
spiders), and the ids a saved page's file name carries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newscrawl.sites.menafn.urls import Ref

GLOBENEWSWIRE_HOST = "www.globenewswire.com"
PRNEWSWIRE_HOST = "www.prnewswire.com"
# /news-release/2016/04/06/1300478/0/en/Segment-Launches-Sources.html (also under /en/, /fr/…,
# the language of the site's menus: the release is the same)
_GLOBENEWSWIRE_PATH = re.compile(
    r"^(?:/[a-z]{2})?(?P<path>/news-release/\d{4}/\d{2}/\d{2}/(?P<id>\d{4,10})/\d+/[a-z]{2}/"
    r"[^/]+\.html)$",
    re.IGNORECASE,
)
# /news-releases/hackerrank--cybermedia-technologies-partner-300256929.html
_PRNEWSWIRE_PATH = re.compile(
    r"^(?P<path>/news-releases/(?:[^/]*-)?(?P<id>\d{9})\.html)$", re.IGNORECASE
)
# Saved file names: the contract's `<id>[-<slug>]`, and for PR Newswire also the name a browser
# gives a saved release, `<slug>-<id>`. A GlobeNewswire id has 7 digits today (1300478 in 2016,
# 3035512 in 2025); 6 or more keep a date such as `2024-report` from passing for one.
_GLOBENEWSWIRE_NAME = re.compile(r"^(?P<id>\d{6,10})(?:-.+)?$")
_PRNEWSWIRE_NAME = re.compile(r"^(?:(?P<id>\d{9})(?:-.+)?|.+-(?P<tail>\d{9}))$")


def _path_ref(url: str, pattern: re.Pattern[str]) -> Ref | None:
    match = pattern.match(urlsplit(url.strip()).path)
    return (match["id"], match["path"]) if match else None


def globenewswire_ref(url: str) -> Ref | None:
    """(release id, path) of a GlobeNewswire release URL in any of its forms, else None.

    >>> globenewswire_ref("https://www.globenewswire.com/fr/news-release/2016/04/06/1300478/0/"
    ...                   "en/Segment-Launches-Sources.html?print=1")
    ('1300478', '/news-release/2016/04/06/1300478/0/en/Segment-Launches-Sources.html')
    >>> globenewswire_ref("https://www.globenewswire.com/search/organization/Segment") is None
    True
    """
    return _path_ref(url, _GLOBENEWSWIRE_PATH)


def prnewswire_ref(url: str) -> Ref | None:
    """(9-digit release id, path) of a PR Newswire release URL, else None.

    >>> prnewswire_ref("https://www.prnewswire.com/news-releases/hackerrank--cybermedia-"
    ...                "technologies-partner-300256929.html#top")
    ('300256929', '/news-releases/hackerrank--cybermedia-technologies-partner-300256929.html')
    >>> prnewswire_ref("https://www.prnewswire.com/news-releases/news-releases-list/") is None
    True
    """
    return _path_ref(url, _PRNEWSWIRE_PATH)


def saved_globenewswire_ref(stem: str) -> Ref | None:
    """(release id, "") a saved GlobeNewswire page's file name ``<id>[-<slug>]`` carries.

    >>> saved_globenewswire_ref("1300478-Segment-Launches-Sources")
    ('1300478', '')
    >>> saved_globenewswire_ref("page"), saved_globenewswire_ref("2024-annual-report")
    (None, None)
    """
    match = _GLOBENEWSWIRE_NAME.match(stem)
    return (match["id"], "") if match else None


def saved_prnewswire_ref(stem: str) -> Ref | None:
    """(release id, "") a saved PR Newswire page's file name carries: ``<id>[-<slug>]``, or
    ``<slug>-<id>`` as a browser names a saved release.

    >>> saved_prnewswire_ref("hackerrank--cybermedia-technologies-partner-300256929")
    ('300256929', '')
    >>> saved_prnewswire_ref("300256929-hackerrank"), saved_prnewswire_ref("page")
    (('300256929', ''), None)
    """
    match = _PRNEWSWIRE_NAME.match(stem)
    return (match["id"] or match["tail"], "") if match else None
