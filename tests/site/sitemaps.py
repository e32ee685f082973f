"""The wires' sitemaps as the public evidence describes them (`discovery-sitemaps.md`):

- GlobeNewswire's monthly Google News sitemaps, `sitemaps.globenewswire.com/news/en/YYYY-MM.xml`
  (`news:publication_date` with its offset, `news:title`, `news:keywords`, `news:stock_tickers`);
- PR Newswire's rolling news sitemap, `sitemap-news.xml?page=N` (the last 48 hours), and its
  monthly archives, `Sitemap_Index_{Mon}_{YYYY}.xml.gz`, listed in `sitemap-gz.xml` (a sitemap
  index), some of which fail gzip's integrity check.

>>> b"<urlset" in news_sitemap([])
True
>>> damaged_gzip(b"x" * 1000)[:2]
b'\\x1f\\x8b'
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from .releases import Release

SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NAMES = {"globenewswire": "GlobeNewswire", "prnewswire": "PR Newswire"}


def _document(root: str, entries: Iterable[str], news: bool = False) -> bytes:
    spaces = f' xmlns="{SITEMAPS}"' + (f' xmlns:news="{NEWS}"' if news else "")
    body = "".join(entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{spaces}>{body}</{root}>\n'.encode()


def publication_date(release: Release, off_by_zone: bool = False) -> str:
    """The entry's ``news:publication_date``; ``off_by_zone``: the Eastern wall time labelled
    UTC, the fault Yoast's and Jetpack's news sitemaps are known for (hours off the page)."""
    if off_by_zone:
        return release.local.replace(tzinfo=None).isoformat() + "+00:00"
    return release.local.isoformat()


def news_sitemap(releases: Sequence[Release], off_by_zone: frozenset[str] = frozenset()) -> bytes:
    """A Google News sitemap of ``releases`` (ids in ``off_by_zone`` get the zone fault)."""
    entries = (
        f"<url><loc>{escape(r.canonical_url)}</loc><news:news><news:publication>"
        f"<news:name>{NAMES[r.wire]}</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>{publication_date(r, r.id in off_by_zone)}"
        f"</news:publication_date><news:title>{escape(r.title)}</news:title>"
        + (f"<news:keywords>{escape(', '.join(r.keywords))}</news:keywords>" if r.keywords else "")
        + (
            f"<news:stock_tickers>{escape(', '.join(r.tickers))}</news:stock_tickers>"
            if r.tickers
            else ""
        )
        + "</news:news></url>"
        for r in releases
    )
    return _document("urlset", entries, news=True)


def url_sitemap(releases: Sequence[Release]) -> bytes:
    """A plain sitemap (``loc`` and ``lastmod``), as the monthly archives are."""
    entries = (
        f"<url><loc>{escape(r.canonical_url)}</loc><lastmod>{r.local.isoformat()}</lastmod></url>"
        for r in releases
    )
    return _document("urlset", entries)


def sitemap_index(sitemaps: Sequence[tuple[str, datetime]]) -> bytes:
    """A sitemap index: (URL, last modified) per sitemap."""
    entries = (
        f"<sitemap><loc>{escape(url)}</loc><lastmod>{modified.isoformat()}</lastmod></sitemap>"
        for url, modified in sitemaps
    )
    return _document("sitemapindex", entries)


def damaged_gzip(data: bytes) -> bytes:
    """``data`` gzipped, then cut at two thirds: a complete answer holding a gzip stream that
    ends early (what "fails gzip integrity" looks like from a client)."""
    packed = gzip.compress(data, mtime=0)
    return packed[: len(packed) * 2 // 3]
