"""Finding stories on pages: story links on listing and story pages, the next listing page.
(Feeds are read in ``feeds.py``.)"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.dates import read_timestamp
from newscrawl.extraction.page import document_base
from newscrawl.site import RefRule
from newscrawl.witness import Witness, printed_moment

_PAGINATION = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pagination ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' pager ')]//a/@href"
)
# Compiled once: ``element.xpath(text)`` compiles its expression at every call.
_ITEM_DATES: Any = etree.XPath(
    ".//time/@datetime | .//*[contains(concat(' ', @class, ' '), ' entry-date ')]/text()"
)


@dataclass(frozen=True)
class Link:
    """A story found by discovery, with its publication day where the source shows it (as
    printed, on the site's clock), and what the source says of it (``witness``: its printed
    time, a sitemap's tickers and keywords; not part of a link's identity)."""

    story_id: str
    slug: str
    published: date | None = None
    witness: Witness | None = field(default=None, compare=False)


def why_failed(failure: Failure) -> str:
    """What a failed request got: its HTTP status, else the error (a timeout, DNS…)."""
    if isinstance(failure.value, HttpError):
        return f"HTTP {failure.value.response.status}"
    return failure.getErrorMessage() or (failure.type.__name__ if failure.type else "")


def _on_site(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and (parts.netloc in hosts or parts.hostname in hosts)


def printed_day(value: str | None) -> date | None:
    """The day a listing or feed prints beside a link, as printed (on the site's clock).

    >>> printed_day("Wed, 01 Mar 2017 23:20:00 -0500"), printed_day("soon")
    (datetime.date(2017, 3, 1), None)
    """
    moment = read_timestamp(value) if value else None
    return moment.date() if moment else None


def link_to(
    url: str, hosts: frozenset[str], ref: RefRule, witness: Witness | None = None
) -> Link | None:
    """A Link for an on-site story URL in any of its forms (``ref``: the site's rule), with
    what its source says of it (``witness``)."""
    if not _on_site(url, hosts):
        return None
    found = ref(url)
    return Link(found[0], found[1], None, witness) if found else None


def _item_stamp(anchor: Any) -> str | None:
    """The stamp printed in the listing item around a link, if the item shows exactly one."""
    for ancestor in itertools.islice(anchor.iterancestors(), 3):
        stamps = _ITEM_DATES(ancestor)
        if len(stamps) > 1:
            return None  # a box of several items: no date belongs to this link
        if stamps:
            return str(stamps[0])
    return None


def dated_link(link: Link, stamp: str | None, source: str, clock: tzinfo) -> Link:
    """``link`` with the day and the witness of a stamp its source prints beside it."""
    if not stamp:
        return link
    witness = Witness(source, printed_moment(stamp, clock))
    return Link(link.story_id, link.slug, printed_day(stamp), witness)


def story_anchors(root: Any, id_digits: int) -> Iterator[Any]:
    """The anchors whose href may hold a story id (a run of ``id_digits`` ASCII digits or
    more, the site's shortest id), in document order: the others are not joined at all.
    A walk in C and a regex per href: a third of XPath's translate() on every href."""
    digits = _digit_run(id_digits)
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href is not None and digits.search(href):
            yield anchor


@functools.cache
def _digit_run(count: int) -> re.Pattern[str]:
    return re.compile(f"[0-9]{{{count}}}")  # ASCII digits: ``\\d`` takes any script's


def listing_links(
    response: TextResponse,
    hosts: frozenset[str],
    *,
    dated: bool = True,
    root: Any = None,
    ref: RefRule,
    id_digits: int,
    clock: tzinfo = UTC,
) -> Iterator[Link]:
    """Every story link of a page (``.entry-title > a``, popular lists, More Stories...),
    with the date printed beside it when ``dated`` (its day, and the stamp as a witness read
    on ``clock``, the site's). ``root``: the page's tree if parsed; ``ref``: the site's URL
    rule; ``id_digits``: the fewest digits its story ids have."""
    tree = response.selector.root if root is None else root
    base = document_base(tree, response.url)
    for anchor in story_anchors(tree, id_digits):
        link = link_to(urljoin(base, anchor.get("href").strip()), hosts, ref)
        if link:
            yield dated_link(link, _item_stamp(anchor), "listing", clock) if dated else link


def page_number(url: str) -> int | None:
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
    wanted = (page_number(response.url) or 1) + 1
    numbered = [h for h in response.xpath(_PAGINATION).getall() if page_number(h) == wanted]
    return numbered[:1]
