"""Feeds: the story links of a feed in any dialect (RSS 0.9x, RSS 1.0/RDF, RSS 2.0, Atom), read
by feedparser, or of a site's own JSON feed (``Site.json_feed``).

Safe on any answer: feedparser is given the body as a stream, so it never fetches a URL or
opens a file the body names (given a string, ``feedparser.parse`` would); a feed whose prolog
declares a DTD subset of its own (entity declarations) is refused before parsing, so no
entity is ever expanded (no billion laughs, no quadratic blowup, no external entity), while
a DOCTYPE naming an outside DTD (RSS 0.91's Netscape one) is stripped by feedparser and never
loaded. The prolog is read with NUL bytes taken out, so UTF-16 and UTF-32 feeds are checked
too; a body with no ``<`` there (an encoding that is not ASCII's) is not read at all.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from scrapy.http import Response

from newscrawl.site import JsonFeedRule, RefRule
from newscrawl.spiders.discovery import Link, dated_link, link_to

_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the first element: what comes before is the prolog
_HEAD = 1 << 16  # bytes looked at for the prolog: a longer one counts as a DTD of its own
_OWN_DTD = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.IGNORECASE)


class NotAFeed(ValueError):
    """An answer that gives no feed: why, in a few words."""


@dataclass(frozen=True)
class Feed:
    """What a feed holds: its dialect (feedparser's name: ``rss20``, ``rss10``, ``atom10``,
    ``rss091n``…, or ``json``), how many entries, and those that are the site's stories."""

    dialect: str
    entries: int
    links: list[Link]


def read_feed(
    response: Response,
    hosts: frozenset[str],
    ref: RefRule,
    json_feed: JsonFeedRule | None,
    clock: tzinfo = UTC,
) -> Feed:
    """The feed an answer holds, its story links by the site's rules (``hosts``, ``ref``,
    ``json_feed``, and ``clock`` for a naive entry date); NotAFeed when it is none (HTML,
    text, a refused DTD, JSON the site does not read)."""
    body = response.body.lstrip()
    if body.startswith((b"[", b"{")):
        return _json(body, hosts, ref, json_feed, clock)
    check_prolog(body)
    import feedparser  # 0.03 s to import: only a run that reads a feed does

    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": response.url},  # relative links resolve on it
        sanitize_html=False,  # entry content is not read: links and dates only
        resolve_relative_uris=False,
    )
    dialect = str(parsed.get("version") or "")
    if not dialect:
        raise NotAFeed("not a feed (neither RSS, RDF nor Atom)")
    entries = parsed.get("entries", [])
    return Feed(dialect, len(entries), list(_entry_links(entries, hosts, ref, clock)))


def check_prolog(body: bytes) -> None:
    """Raise NotAFeed for a body whose prolog declares a DTD of its own (entity declarations,
    an internal subset), or that has no markup an ASCII-compatible reading finds.

    >>> check_prolog(b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "rss-0.91.dtd"><rss/>')
    >>> check_prolog('<!DOCTYPE rss [<!ENTITY a "b">]><rss/>'.encode("utf-16"))
    Traceback (most recent call last):
    newscrawl.spiders.feeds.NotAFeed: refused: it declares a DTD of its own (no entity is expanded)
    """
    head = body[:_HEAD].replace(b"\x00", b"")
    if b"<" not in head:
        raise NotAFeed("not a feed (no markup)")
    prolog = head[: match.start()] if (match := _ROOT_START.search(head)) else head
    if _OWN_DTD.search(prolog):
        raise NotAFeed("refused: it declares a DTD of its own (no entity is expanded)")


def _entry_links(
    entries: Iterable[Any], hosts: frozenset[str], ref: RefRule, clock: tzinfo
) -> Iterator[Link]:
    """Each entry's story link: its link (Atom's alternate), else its id (RSS's guid, RDF's
    ``rdf:about``), with the day it was published (else updated) as the feed prints it."""
    for entry in entries:
        stamp = entry.get("published") or entry.get("updated")
        for url in (entry.get("link"), entry.get("id")):
            found = link_to(str(url).strip(), hosts, ref) if url else None
            if found:
                yield dated_link(found, stamp, "feed", clock)
                break


def _json(
    body: bytes, hosts: frozenset[str], ref: RefRule, json_feed: JsonFeedRule | None, clock: tzinfo
) -> Feed:
    """A site's own JSON feed (``json_feed``: how its records read)."""
    try:
        answer = json.loads(body)
    except ValueError:
        raise NotAFeed("not a feed (broken JSON)") from None
    if json_feed is None or not isinstance(answer, list):
        raise NotAFeed("not a feed (JSON this site's feed reader does not read)")
    links: list[Link] = []
    records = list(json_feed(answer))
    for record in records:
        found = link_to(record.url, hosts, ref)
        if found is None and record.story_id.isdigit():
            found = Link(record.story_id, "")
        if found is not None:
            links.append(dated_link(found, record.published, "feed", clock))
    return Feed("json", len(records), links)
