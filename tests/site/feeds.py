"""Feeds of the local MENAFN-like site in every dialect a feed reader meets: RSS 0.90 and 1.0
(RDF), RSS 0.91 (with Netscape's DOCTYPE), 0.92 and 2.0, and Atom 1.0, as their specs and the
sites that use them write them. Story links are the canonical ``https://menafn.com/...`` ones,
which a crawl with ``base_url`` maps onto the local site.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime
from html import escape

from .stories import Story

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CHANNEL = "<title>MENAFN - Latest</title><link>https://menafn.com/</link>"


def _rss090(stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{s.canonical_url}?src=RSS</link></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF}" '
        f'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel>{CHANNEL}'
        f"<description>Latest news</description></channel>{items}</rdf:RDF>"
    )


def _rss091(stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{s.canonical_url}</link>"
        f"<description>{escape(s.paragraphs[0][:200])}</description></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications'
        '//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        f'<rss version="0.91"><channel>{CHANNEL}<description>Latest news</description>'
        f"<language>en-us</language>{items}</channel></rss>"
    )


def _rss092(stories: list[Story]) -> str:
    items = "".join(
        f"<item><description>{escape(s.paragraphs[0][:200])}</description>"
        f"<link>{s.canonical_url}</link><category>{escape(s.category or 'News')}</category></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0"?>\n<rss version="0.92"><channel>{CHANNEL}'
        f"<description>Latest news</description>{items}</channel></rss>"
    )


def _rss10(stories: list[Story]) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{s.canonical_url}"/>' for s in stories)
    items = "".join(
        f'<item rdf:about="{s.canonical_url}"><title>{escape(s.title)}</title>'
        f"<link>{s.canonical_url}</link><dc:date>{s.published.isoformat()}</dc:date></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="{RDF}" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="https://menafn.com/rss/rss10.xml">{CHANNEL}'
        f"<description>Latest news</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        f"</channel>{items}</rdf:RDF>"
    )


def _rss20(stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{s.canonical_url}?src=RSS</link>"
        f'<guid isPermaLink="false">menafn-{s.id}</guid>'
        f"<pubDate>{format_datetime(s.published)}</pubDate></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>{CHANNEL}'
        f"<description>Latest news</description>{items}</channel></rss>"
    )


def _atom10(stories: list[Story]) -> str:
    entries = "".join(
        f"<entry><title>{escape(s.title)}</title><id>tag:menafn.com,2025:{s.id}</id>"
        f'<link rel="alternate" href="{s.path.lstrip("/")}"/>'
        f"<published>{s.published.isoformat()}</published>"
        f"<updated>{s.published.isoformat()}</updated></entry>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://menafn.com/">'
        "<title>MENAFN - Latest</title><id>tag:menafn.com,2025:latest</id>"
        f"<updated>2025-07-19T07:42:07Z</updated>{entries}</feed>"
    )


DIALECTS: dict[str, Callable[[list[Story]], str]] = {
    "rss090": _rss090,
    "rss091": _rss091,
    "rss092": _rss092,
    "rss10": _rss10,
    "rss20": _rss20,
    "atom10": _atom10,
}


def render_feed(dialect: str, stories: list[Story]) -> str:
    """A feed of ``stories`` in ``dialect`` (a key of DIALECTS)."""
    return DIALECTS[dialect](stories)
