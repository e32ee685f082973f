"""Finding stories: article links on listing/story pages, RSS items, mobile API records."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from lxml import etree
from scrapy.http import Response, TextResponse

from newscrawl.dates import read_timestamp
from newscrawl.extraction.page import document_base
from newscrawl.site import JsonFeedRule, RefRule

_PAGINATION = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pagination ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' pager ')]//a/@href"
)
_DATE_XPATH = ".//time/@datetime | .//*[contains(concat(' ', @class, ' '), ' entry-date ')]/text()"


@dataclass(frozen=True)
class Link:
    """A story found by discovery, with its publication date where the source shows it."""

    story_id: str
    slug: str
    published: date | None = None


def _on_site(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and (parts.netloc in hosts or parts.hostname in hosts)


def _day(value: str | None) -> date | None:
    """The day a listing or feed prints beside a link, as printed (on the site's clock)."""
    moment = read_timestamp(value) if value else None
    return moment.date() if moment else None


def link_to(
    url: str, hosts: frozenset[str], ref: RefRule, published: date | None = None
) -> Link | None:
    """A Link for an on-site story URL in any of its forms (``ref``: the site's rule)."""
    if not _on_site(url, hosts):
        return None
    found = ref(url)
    return Link(found[0], found[1], published) if found else None


def _item_date(anchor: Any) -> date | None:
    """The date printed in the listing item around a link, if the item shows exactly one."""
    for ancestor in itertools.islice(anchor.iterancestors(), 3):
        stamps = ancestor.xpath(_DATE_XPATH)
        if len(stamps) > 1:
            return None  # a box of several items: no date belongs to this link
        if stamps:
            return _day(stamps[0])
    return None


@functools.cache
def story_anchors(id_digits: int) -> Any:
    """An XPath for the anchors whose href may hold a story id (a run of ``id_digits`` digits
    or more, the site's shortest id): the others are not joined at all. Typed Any: lxml's
    stubs cannot say what an XPath returns."""
    run = "#" * id_digits
    return etree.XPath(
        f"//a[@href][contains(translate(@href, '0123456789', '##########'), '{run}')]"
    )


def listing_links(
    response: TextResponse,
    hosts: frozenset[str],
    *,
    dated: bool = True,
    root: Any = None,
    ref: RefRule,
    id_digits: int,
) -> Iterator[Link]:
    """Every story link of a page (``.entry-title > a``, popular lists, More Stories...),
    with the date printed beside it when ``dated``. ``root``: the page's tree if parsed;
    ``ref``: the site's URL rule; ``id_digits``: the fewest digits its story ids have."""
    tree = response.selector.root if root is None else root
    base = document_base(tree, response.url)
    for anchor in story_anchors(id_digits)(tree):
        link = link_to(urljoin(base, anchor.get("href").strip()), hosts, ref)
        if link:
            yield Link(link.story_id, link.slug, _item_date(anchor) if dated else None)


def _page_number(url: str) -> int | None:
    """The ``page`` (or ``p``) query parameter of a listing URL, if it is a number."""
    for name, value in parse_qsl(urlsplit(url).query):
        if name.lower() in {"page", "p"} and value.isdigit():
            return int(value)
    return None


def next_pages(response: TextResponse) -> list[str]:
    """The listing's next page link: marked as next (``a.next``, ``rel="next"``), else the
    link of a pagination list (``.pagination``, ``.pager``) to this page's number plus one
    (PR Newswire's ``ul.pagination`` marks none: its last link is the next page)."""
    marked = response.css(
        'a.next::attr(href), a[rel="next"]::attr(href), link[rel="next"]::attr(href)'
    ).getall()
    if marked:
        return marked[:1]
    wanted = (_page_number(response.url) or 1) + 1
    numbered = [h for h in response.xpath(_PAGINATION).getall() if _page_number(h) == wanted]
    return numbered[:1]


def _rss_links(root: Element, hosts: frozenset[str], ref: RefRule) -> Iterator[Link]:
    for item in root.iter("item"):
        link = item.findtext("link") or item.findtext("guid") or ""
        found = link_to(link.strip(), hosts, ref, _day(item.findtext("pubDate")))
        if found:
            yield found


def _json_links(
    answer: object, hosts: frozenset[str], ref: RefRule, json_feed: JsonFeedRule
) -> Iterator[Link]:
    """The story links of a site's JSON feed (``json_feed``: how the site's records read)."""
    for record in json_feed(answer):
        published = _day(record.published)
        found = link_to(record.url, hosts, ref, published)
        if found:
            yield found
        elif record.story_id.isdigit():
            yield Link(record.story_id, "", published)


def feed_links(
    response: Response, hosts: frozenset[str], ref: RefRule, json_feed: JsonFeedRule | None
) -> list[Link] | None:
    """Links of an RSS feed or of the site's JSON feed (``json_feed``: its reader, if it has
    one); None when the body is neither."""
    body = response.body.lstrip()
    if body.startswith((b"[", b"{")):
        try:
            answer = json.loads(body)
        except ValueError:
            return None
        if json_feed is None or not isinstance(answer, list):
            return None
        return list(_json_links(answer, hosts, ref, json_feed))
    try:  # no DTDs, no external entities, no entity expansion (billion laughs)
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    if root.tag not in {"rss", "rdf", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"}:
        return None  # well-formed XML (or XHTML) that is not a feed
    return list(_rss_links(root, hosts, ref))
