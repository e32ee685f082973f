"""Where an offline run's WARC files come from: paths on disk, the URL of one, or the URL of a
listing of them (CC-NEWS); each read by an ArchiveReader within the spider's scope."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.warc.ccnews import (
    LISTING_MAX_BYTES,
    file_url,
    in_window,
    is_listing,
    month_listings,
    started,
)
from newscrawl.warc.records import STATS, ArchiveReader
from newscrawl.warc.remote import Client, FetchFailed, RemoteFile
from newscrawl.warc.scope import Scope
from newscrawl.window import Window

logger = logging.getLogger(__name__)


def spider_scope(spider: Any) -> Scope:
    """The spider's part of any archive: its name, hosts, story URL rule, and its window's
    start on the site's clock (``site_hosts``, ``story_ref``, ``window``, ``local``)."""
    window: Window = spider.window
    return Scope(
        name=spider.name,
        hosts=frozenset(host.lower() for host in spider.site_hosts if host),
        is_story=lambda url: spider.story_ref(url) is not None,
        opens=window.opens(spider.local),
    )


def in_window_paths(
    crawler: Crawler, paths: Iterable[Path], window: Window, clock: tzinfo
) -> Iterator[Path]:
    """The files of a source folder, less the CC-NEWS files (named by the time each was
    started) that cannot hold pages fetched in the window: chosen as a listing's are, counted
    in ``warc_files_outside_window``."""
    paths = list(paths)
    timed = [str(path) for path in paths if started(path.name) is not None]
    chosen = set(in_window(timed, window.opens(clock), window.closes(clock)))
    for path in paths:
        if started(path.name) is None or str(path) in chosen:
            yield path
        elif crawler.stats is not None:
            crawler.stats.inc_value(f"{STATS}files_outside_window")


def local_reader(crawler: Crawler, path: Path, scope: Scope) -> ArchiveReader:
    """The reader of a WARC file on disk."""
    uri = path.resolve().as_uri()
    _count(crawler.stats, "files")
    return ArchiveReader.from_crawler(crawler, uri, lambda: path.open("rb"), scope)


def remote_readers(
    crawler: Crawler, url: str, scope: Scope, window: Window, clock: tzinfo
) -> Iterator[ArchiveReader]:
    """A reader per WARC file the URL names (itself, or the files of a listing in the window),
    one after another, each streamed as it is read. A file that cannot be fetched is one
    warning line and a count (``warc_file_failures``, ``errors``); the others are read on."""
    client = Client.from_crawler(crawler, url)
    try:
        yield from _readers(crawler, client, url, scope, window, clock)
    finally:
        client.pool.clear()  # its connections


def _readers(
    crawler: Crawler, client: Client, url: str, scope: Scope, window: Window, clock: tzinfo
) -> Iterator[ArchiveReader]:
    files = listed_files(crawler, client, url, window, clock) if is_listing(url) else [url]
    for number, file in enumerate(files, 1):
        try:
            body = RemoteFile(client, file)
        except FetchFailed as exc:
            logger.warning("WARC file %d of %d not read: %s", number, len(files), exc)
            _count(crawler.stats, "file_failures")
            continue
        began = time.monotonic()
        yield ArchiveReader.from_crawler(crawler, file, _opened(body), scope)
        _count(crawler.stats, "files")
        seconds = max(time.monotonic() - began, 1e-3)
        logger.info(
            "WARC file %d of %d done: %.1f MB in %.0f s (%.1f MB/s)",
            number, len(files), body.position / 1e6, seconds, body.position / 1e6 / seconds,
        )  # fmt: skip


def listed_files(
    crawler: Crawler, client: Client, url: str, window: Window, clock: tzinfo
) -> list[str]:
    """The WARC files of a listing (and, for a CC-NEWS month's, of the window's other months)
    that may hold answers fetched in the window; a listing that cannot be fetched is one
    warning line and a count (``warc_listing_failures``, ``errors``)."""
    files: list[str] = []
    today = datetime.now(UTC).date()
    for listing in month_listings(url, window.since, window.until or today):
        try:
            text = client.get(listing, LISTING_MAX_BYTES).decode("utf-8", "replace")
        except FetchFailed as exc:
            logger.warning("WARC listing not read: %s", exc)
            _count(crawler.stats, "listing_failures")
            continue
        files += [file_url(listing, line) for line in text.splitlines() if line.strip()]
    chosen = in_window(files, window.opens(clock), window.closes(clock))
    if crawler.stats is not None:
        crawler.stats.inc_value(f"{STATS}files_outside_window", len(files) - len(chosen))
    logger.info("%d WARC files listed, %d of them in the window", len(files), len(chosen))
    return chosen


def unread_source(stats: StatsCollector) -> str | None:
    """Why a run failed to read its source, where no file of it could be fetched at all."""
    names = ("file_failures", "listing_failures")
    failures = sum(int(stats.get_value(f"{STATS}{name}", 0)) for name in names)
    if failures and not stats.get_value(f"{STATS}files"):
        return f"no WARC file of the source could be read ({failures} failed)"
    return None


def _opened(body: RemoteFile) -> Callable[[], RemoteFile]:
    return lambda: body


def _count(stats: StatsCollector | None, name: str) -> None:
    if stats is None:
        return
    stats.inc_value(f"{STATS}{name}")
    if name.endswith("failures"):
        stats.inc_value("newscrawl/errors")
