"""Common Crawl's news archive (CC-NEWS) as a source: which WARC files a listing and a window
name, and reading them one after another from the web.

Common Crawl publishes CC-NEWS as WARC files named by the time each was started,
``crawl-data/CC-NEWS/YYYY/MM/CC-NEWS-YYYYMMDDhhmmss-NNNNN.warc.gz``, one month's listed in
``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` (paths relative to the bucket's root, e.g.
``https://data.commoncrawl.org/``). A file holds what was fetched from its start until the next
file's, so a window reads the last file started before it opens, every file started within it,
and those started up to ``LATE`` after it closes (a story is fetched after it is published).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

LATE = timedelta(days=1)  # a story published on the window's last day may be fetched the next
LISTING_MAX_BYTES = 16 * 2**20  # a month's listing is about 40 KB of gzip
_MONTH_LISTING = re.compile(r"^(?P<root>.*/CC-NEWS/)\d{4}/\d{2}/(?P<name>warc\.paths(?:\.gz)?)$")
_STARTED = re.compile(r"-(\d{14})-\d+\.warc(?:\.gz)?$")


def is_listing(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".paths.gz", ".paths"))


def month_listings(url: str, since: date | None, until: date) -> list[str]:
    """The listings a window reads: a CC-NEWS month listing stands for the months of the
    window, from the day before it (the file it opens in may have started then) to ``LATE``
    after it; any other listing for itself.

    >>> root = "https://data.commoncrawl.org/crawl-data/CC-NEWS/"
    >>> month_listings(root + "2024/01/warc.paths.gz", date(2024, 1, 1), date(2024, 2, 2))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['https://data.commoncrawl.org/crawl-data/CC-NEWS/2023/12/warc.paths.gz',
     'https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/warc.paths.gz',
     'https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/02/warc.paths.gz']
    >>> month_listings(root + "2024/01/warc.paths.gz", None, date(2024, 3, 1))
    ['https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/warc.paths.gz']
    """
    found = _MONTH_LISTING.match(url)
    if found is None or since is None:
        return [url]
    first, last = since - timedelta(days=1), until + LATE
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{found['root']}{year:04d}/{month:02d}/{found['name']}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def file_url(listing: str, line: str) -> str:
    """The URL of a listed file: an absolute URL as it is; a path, as Common Crawl lists
    them, from the root its first folder hangs on in the listing's own URL (else the host's).

    >>> listing = "http://127.0.0.1:8000/cc/crawl-data/CC-NEWS/2024/01/warc.paths.gz"
    >>> file_url(listing, "crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101001442-00031.warc.gz")
    'http://127.0.0.1:8000/cc/crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101001442-00031.warc.gz'
    >>> file_url("https://example.org/list.paths", "a/b.warc.gz")
    'https://example.org/a/b.warc.gz'
    """
    line = line.strip()
    if line.lower().startswith(("http://", "https://")):
        return line
    parts = urlsplit(listing)
    first = "/" + line.lstrip("/").split("/", 1)[0] + "/"
    at = parts.path.find(first)
    root = parts.path[:at] if at >= 0 else ""
    return f"{parts.scheme}://{parts.netloc}{root}/{line.lstrip('/')}"


def started(url: str) -> datetime | None:
    """When a CC-NEWS file was started, from its name (UTC); None when the name carries no
    time, or digits that are no time (a file misnamed by hand: FRESH-USER-2 G5), so the file
    is read whatever the window, never the run stopped.

    >>> started("https://x/crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101001442-00031.warc.gz")
    datetime.datetime(2024, 1, 1, 0, 14, 42, tzinfo=datetime.timezone.utc)
    >>> started("CC-NEWS-20241307203530-00003.warc.gz") is None  # month 13
    True
    """
    found = _STARTED.search(urlsplit(url).path)
    if found is None:
        return None
    try:
        return datetime.strptime(found[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def in_window(urls: list[str], opens: datetime | None, closes: datetime | None) -> list[str]:
    """The files that may hold answers fetched from ``opens`` to ``closes`` + LATE, in the
    order they were started; a file whose name carries no start time is kept.

    >>> names = [f"CC-NEWS-202401{d:02d}000000-{d:05d}.warc.gz" for d in (1, 5, 9, 13, 17)]
    >>> opens, closes = datetime(2024, 1, 7, tzinfo=UTC), datetime(2024, 1, 12, 6, tzinfo=UTC)
    >>> [name[14:16] for name in in_window(names, opens, closes)]
    ['05', '09', '13']
    """
    timed = sorted((stamp, url) for url in urls if (stamp := started(url)) is not None)
    first = 0
    if opens is not None:
        before = [i for i, (stamp, _) in enumerate(timed) if stamp <= opens]
        first = before[-1] if before else 0
    last = closes + LATE if closes is not None else None
    chosen = [url for stamp, url in timed[first:] if last is None or stamp < last]
    return [url for url in urls if started(url) is None] + chosen
