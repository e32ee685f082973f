"""Sitemaps (sitemaps.org 0.9) and Google News sitemaps: a sitemap file's entries, its kind, the
month a sitemap's URL names, and the months a backfill window touches.

Scrapy's own ``scrapy.utils.sitemap.Sitemap`` reads the file: its kind (``urlset`` or
``sitemapindex``) and each entry's ``loc`` and ``lastmod``. It keeps only an entry's direct
children, so the Google News extension's fields, one level down in ``news:news``
(``publication_date``, ``stock_tickers``, ``keywords``), are read here from the same bytes, with
the same safe parser options (no entity is expanded, nothing is fetched). A gzip file is
inflated here too: Scrapy's ``gunzip`` keeps what a damaged stream gives without saying so, and
a damaged monthly archive (PR Newswire's, discovery-sitemaps.md) must be named.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from lxml import etree
from scrapy.utils.sitemap import Sitemap

from newscrawl.dates import read_timestamp
from newscrawl.window import Window

SITEMAP_MAXSIZE = 50 * 2**20  # sitemaps.org: a sitemap is at most 50 MB uncompressed
GZIP_MAGIC = b"\x1f\x8b"
MARGIN = timedelta(days=1)  # a month's sitemap may be cut on another clock: a day either side
SLACK = timedelta(hours=1)  # beyond a zone's offset: a daylight-saving hour, a late stamp
_INFLATE_STEP = 2**20  # most bytes inflated by one call
_PIECE = 4096  # compressed bytes given to one call
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NUMERIC_MONTH = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-_/.]?(0[1-9]|1[0-2])(?![0-9])")
_NAMED_MONTH = re.compile(
    r"(?<![a-z])(" + "|".join(_MONTHS) + r")[a-z]*[-_ ]?((?:19|20)[0-9]{2})(?![0-9])", re.I
)
_NEWS_FIELDS = {"publication_date": "published", "stock_tickers": "tickers", "keywords": "keywords"}


class NotASitemap(ValueError):
    """An answer that is no sitemap: why, in a few words."""


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` (or ``<sitemap>``) of a sitemap: where, when it changed, and the Google
    News fields as printed (None where absent)."""

    loc: str
    lastmod: str | None = None
    published: str | None = None  # news:publication_date
    tickers: str | None = None  # news:stock_tickers, comma-separated
    keywords: str | None = None  # news:keywords, comma-separated


@dataclass(frozen=True)
class SitemapFile:
    """A sitemap's kind (``urlset`` or ``sitemapindex``) and entries; ``damage`` says what was
    wrong with a damaged gzip stream (the entries are then those read before the damage)."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)
    damage: str | None = None


def read_sitemap(body: bytes, limit: int = SITEMAP_MAXSIZE) -> SitemapFile:
    """The sitemap a body holds (XML, or XML in gzip), or NotASitemap."""
    damage = None
    if body.startswith(GZIP_MAGIC):
        body, damage = inflate(body, limit)
    if b"<" not in body[:4096]:
        raise NotASitemap("not a sitemap (no XML)")
    try:
        sitemap = Sitemap(body)
    except (etree.LxmlError, StopIteration, ValueError):
        raise NotASitemap("not a sitemap (XML that does not parse)") from None
    if sitemap.type not in {"urlset", "sitemapindex"}:
        raise NotASitemap(f"not a sitemap (its root is <{sitemap.type}>)")
    news = news_fields(body) if b"sitemap-news" in body[:4096] else {}
    entries = [
        SitemapEntry(loc, entry.get("lastmod") or None, **news.get(loc, {}))
        for entry in sitemap
        if (loc := entry["loc"].strip())
    ]
    return SitemapFile(sitemap.type, entries, damage)


def inflate(body: bytes, limit: int) -> tuple[bytes, str | None]:
    """A gzip file's data, and what was wrong if the stream is damaged (the data is then what
    inflated before the damage). Raises NotASitemap past ``limit`` bytes.

    >>> import gzip
    >>> packed = gzip.compress(b"<urlset/>" * 1000)
    >>> inflate(packed, 2**20)[1], inflate(packed[:-30], 2**20)[1]
    (None, 'the gzip stream ends early')
    """
    inflater = zlib.decompressobj(wbits=31)
    data = bytearray()
    # Fed a piece at a time (what a failing call inflated is lost with it), the 8-byte trailer
    # (CRC-32, size) on its own: a stream whose every byte came but whose check fails keeps all.
    head, trailer = body[:-8], body[-8:]
    pieces = [head[start : start + _PIECE] for start in range(0, len(head), _PIECE)]
    try:
        for pending in [*pieces, trailer]:
            while pending and not inflater.eof:
                data += inflater.decompress(pending, _INFLATE_STEP)
                pending = inflater.unconsumed_tail
                if len(data) > limit:
                    raise NotASitemap(f"too large: over {limit // 2**20} MB inflated")
    except zlib.error as exc:
        return bytes(data), f"the gzip stream does not inflate ({exc})"
    if not inflater.eof:
        return bytes(data), "the gzip stream ends early"
    return bytes(data), None


def news_fields(body: bytes) -> dict[str, dict[str, str]]:
    """The Google News fields of each ``<url>``, by its ``loc``: ``published``, ``tickers``,
    ``keywords`` as printed. Parsed as Scrapy parses the sitemap: recovering, no entities."""
    found: dict[str, dict[str, str]] = {}
    events = etree.iterparse(
        io.BytesIO(body), events=("end",), tag="{*}url", recover=True, resolve_entities=False,
        no_network=True, remove_comments=True,
    )  # fmt: skip
    try:
        for _, url in events:
            values = {_local(child.tag): (child.text or "").strip() for child in url.iter()}
            if values.get("loc"):
                found[values["loc"]] = {
                    ours: values[name] for name, ours in _NEWS_FIELDS.items() if values.get(name)
                }
            url.clear()
            while url.getprevious() is not None:  # entries read are let go, as Scrapy's are
                del url.getparent()[0]
    except etree.LxmlError:
        pass  # a broken tail: the entries before it are kept, as Scrapy's reader keeps them
    return found


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def named_month(url: str) -> tuple[int, int] | None:
    """The month a sitemap's URL names (``2025-04``, ``2025/04``, ``202504``, ``Apr_2025``).

    >>> named_month("https://sitemaps.globenewswire.com/news/en/2025-04.xml")
    (2025, 4)
    >>> named_month("https://www.prnewswire.com/Sitemap_Index_Apr_2025.xml.gz")
    (2025, 4)
    >>> named_month("https://www.prnewswire.com/sitemap-news.xml?page=2") is None
    True
    """
    if match := _NAMED_MONTH.search(url):
        return int(match[2]), _MONTHS.index(match[1][:3].lower()) + 1
    if match := _NUMERIC_MONTH.search(url):
        return int(match[1]), int(match[2])
    return None


def window_months(window: Window, today: date) -> list[tuple[int, int]]:
    """The months a window touches, a day either side (a month's sitemap may be cut on another
    clock than the site's), oldest first; none without ``since`` (no first month to start at).

    >>> window_months(Window(date(2025, 4, 1), date(2025, 4, 30)), date(2025, 6, 1))
    [(2025, 3), (2025, 4), (2025, 5)]
    >>> window_months(Window(date(2025, 4, 10)), date(2025, 5, 2))
    [(2025, 4), (2025, 5)]
    """
    if window.since is None:
        return []
    first, last = window.since - MARGIN, min(window.until or today, today) + MARGIN
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_urls(template: str, months: list[tuple[int, int]]) -> Iterator[str]:
    """A monthly sitemap's URL per month: ``{YYYY}``, ``{MM}`` and ``{Mon}`` filled in; a URL
    without them is itself.

    >>> list(month_urls("/Sitemap_Index_{Mon}_{YYYY}.xml.gz", [(2025, 4)]))
    ['/Sitemap_Index_Apr_2025.xml.gz']
    """
    if not any(part in template for part in ("{YYYY}", "{MM}", "{Mon}")):
        yield template
        return
    for year, month in months:
        yield (
            template.replace("{YYYY}", f"{year:04d}")
            .replace("{MM}", f"{month:02d}")
            .replace("{Mon}", _MONTHS[month - 1].title())
        )


def moment(value: str | None, clock: tzinfo) -> datetime | None:
    """A sitemap date (W3C datetime, or a day alone) as an aware moment; a naive one on the
    site's clock, a day alone at its midnight."""
    if not value:
        return None
    stamp = read_timestamp(value)
    if stamp is None:
        try:
            stamp = datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=clock, fold=0)


def sitemap_wanted(
    url: str, lastmod: str | None, window: Window, clock: tzinfo, today: date
) -> bool:
    """Whether a sitemap a robots.txt or a sitemap index names may hold stories of the window:
    the month its URL names is one the window touches, or it names none and was not last
    changed before the window opens (a day's margin either way).

    >>> from zoneinfo import ZoneInfo
    >>> w, et = Window(date(2025, 4, 1), date(2025, 4, 30)), ZoneInfo("EST5EDT")
    >>> today = date(2025, 6, 1)
    >>> sitemap_wanted("/Sitemap_Index_Feb_2025.xml.gz", None, w, et, today)
    False
    >>> sitemap_wanted("/sitemap-news.xml", "2025-03-01T00:00:00Z", w, et, today)
    False
    """
    month = named_month(url)
    if month is not None:
        return month in window_months(window, today)
    changed = moment(lastmod, clock)
    opens = window.opens(clock)
    return changed is None or opens is None or changed >= opens - MARGIN


def entry_wanted(
    entry: SitemapEntry, window: Window, clock: tzinfo, next_month: bool = False
) -> bool:
    """Whether a story entry may be of the window (its page's own date decides):

    - its publication date is within the window, give or take the site's zone offset and an
      hour (the error news sitemaps are known for: local wall time labelled UTC, or back);
    - else, by ``lastmod`` (when the page last changed: never before it was published), it was
      not last changed before the window opens; and, in the archive of the month after the
      window (``next_month``: read only for the hours its clock may differ by), not more
      than a day after the window closes (a release of the window's last hours edited days
      later is missed there: CC-NEWS has it);
    - an undated entry always.
    """
    opens, closes = window.opens(clock), window.closes(clock)
    published = moment(entry.published, clock)
    if published is not None:
        off = zone_error(clock, published)
        return (opens is None or published >= opens - off) and (
            closes is None or published < closes + off
        )
    changed = moment(entry.lastmod, clock)
    if changed is None or opens is None:
        return True
    late = next_month and closes is not None and changed >= closes + MARGIN
    return changed >= opens - MARGIN and not late


def after_window(url: str, window: Window) -> bool:
    """Whether the month a sitemap's URL names begins after the window's last day.

    >>> after_window("/Sitemap_Index_May_2025.xml.gz", Window(until=date(2025, 4, 30)))
    True
    """
    month, last = named_month(url), window.until
    return month is not None and last is not None and month > (last.year, last.month)


def zone_error(clock: tzinfo, near: datetime) -> timedelta:
    """How far a sitemap date near ``near`` may be off: the site's zone offset, and an hour.

    >>> from zoneinfo import ZoneInfo
    >>> zone_error(ZoneInfo("America/New_York"), datetime(2025, 4, 30, tzinfo=UTC))
    datetime.timedelta(seconds=18000)
    """
    offset = near.astimezone(clock).utcoffset() or timedelta()
    return abs(offset) + SLACK


def older_than_window(entries: list[SitemapEntry], window: Window, clock: tzinfo) -> bool:
    """Whether every entry is dated, and dated before the window opens (a day's margin): a
    sitemap page after which older pages hold nothing for the window."""
    opens = window.opens(clock)
    if opens is None or not entries:
        return False
    dates = [moment(e.published or e.lastmod, clock) for e in entries]
    return all(d is not None and d < opens - MARGIN for d in dates)


def today_on(clock: tzinfo) -> date:
    """Today's date on the site's clock."""
    return datetime.now(UTC).astimezone(clock).date()
