"""WARC archives (ISO 28500, WARC 1.1, written and read by warcio): a live run keeps every story
response it receives, and ``-a source=ARCHIVE`` reads them back for re-extraction.

What is kept: every answer to a request the spider marks with ``ARCHIVE_META`` (its story
pages), whatever its status: 200s, also the ones that end rejected, and the 3xx/4xx/5xx a retry
or redirect followed. Listing pages, feeds and robots.txt are not kept: they are fetched again
by every run and no re-extraction reads them.

As received: ArchiveMiddleware sits next to the downloader (order 960), so it sees each answer
before HttpCompressionMiddleware (590) decodes it. The response record holds the body the server
sent (still gzip/br-encoded where it was) with its headers, ``Content-Encoding`` and
``Content-Length`` included, which are true of those bytes: what replay tools (pywb, wabac.js)
and ``warcio extract`` expect. Only the connection's own framing is gone, as Twisted consumes it
(``Transfer-Encoding: chunked`` and its chunk sizes, ``Connection``, ``Keep-Alive``); a chunked
answer is stored as its body, with no length header, delimited by the record. Re-extraction
passes a record through the same HttpCompressionMiddleware (same decoders, same
``DOWNLOAD_MAXSIZE``), so the page classes get the very bytes and headers a live run gave them,
and ``decode_page`` makes the same encoding decision.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from socket import gethostname
from typing import Any, Self
from urllib.parse import urlsplit

from isal import isal_zlib
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newscrawl import __version__
from newscrawl.run.extension import current_run
from newscrawl.run.files import PartFile
from newscrawl.run.layout import archive_file

logger = logging.getLogger(__name__)

ARCHIVE_META = "newscrawl_archive"  # request.meta: keep the answers to this request
FETCHED_AT = "newscrawl_fetched_at"  # request.meta: when its answer arrived (datetime, UTC)
GZIP_LEVEL = 1  # ISA-L's level 1: about zlib 6's size at a tenth of its time


def warc_date(moment: datetime) -> str:
    """WARC 1.1's ``WARC-Date`` (UTC, microseconds where there are any).

    >>> warc_date(datetime(2026, 11, 28, 3, 12, 2, 51000, tzinfo=UTC))
    '2026-11-28T03:12:02.051000Z'
    """
    return str(datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def response_head(response: Response) -> StatusAndHeaders:
    """The status line and headers of a response as received (header names as Scrapy cased
    them; header values not ASCII are %-encoded by warcio, RFC 8187)."""
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]
    protocol = response.protocol or "HTTP/1.1"
    return StatusAndHeaders(status_line(response.status), headers, protocol=protocol)


def status_line(status: int) -> str:
    """``200 OK``; a status HTTP does not name keeps its number alone (``299``).

    >>> status_line(404), status_line(299)
    ('404 Not Found', '299')
    """
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def request_head(request: Request) -> StatusAndHeaders:
    """The request line and the headers Scrapy's middlewares set (``Host`` first, as sent)."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] + [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in request.headers.items()
        for value in values
    ]
    line = f"{request.method} {target} HTTP/1.1"
    return StatusAndHeaders(line, headers, protocol="", is_http_request=True)


class _GzipMembers:
    """What warcio writes to: each record becomes one gzip member of the part file.

    warcio ends every record with one ``flush()`` (its own gzip writer relies on that too),
    so a member ends there; one member per record is what lets readers seek to a record.
    ISA-L's deflate (isal) instead of warcio's zlib level 9: the archive would otherwise cost
    a third of the crawl's CPU (bench/archive.py measures it).
    """

    def __init__(self, sink: PartFile, level: int = GZIP_LEVEL) -> None:
        self.sink = sink
        self.level = level
        self.deflate = self._member()

    def _member(self) -> Any:
        return isal_zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS | 16)

    def write(self, data: bytes) -> None:
        self.sink.write_bytes(self.deflate.compress(data))

    def flush(self) -> None:
        self.sink.write_bytes(self.deflate.flush())
        self.deflate = self._member()


class WarcPart:
    """One run's WARC file: a ``warcinfo`` record, then a ``response`` and a ``request`` record
    per answer (linked by ``WARC-Concurrent-To``). Written as ``<run>.warc.gz.part`` from the
    first record on, renamed by ``finish`` inside the run's commit protocol; records go
    straight to the file, so memory holds one answer at a time."""

    def __init__(self, path: Path, info: dict[str, str]) -> None:
        self.file = PartFile(path)
        self.info = info
        self.writer = WARCWriter(_GzipMembers(self.file), gzip=False, warc_version="1.1")
        self.warcinfo_id = ""

    @property
    def path(self) -> Path:
        return self.file.path

    def write_answer(self, request: Request, response: Response, fetched_at: datetime) -> None:
        """Append the request and its answer, dated ``fetched_at``. Raises OSError."""
        if not self.warcinfo_id:
            info = self.writer.create_warcinfo_record(self.path.name, self.info)
            self.writer.write_record(info)
            self.warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        common = {"WARC-Date": warc_date(fetched_at), "WARC-Warcinfo-ID": self.warcinfo_id}
        address = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
        answer = self.writer.create_warc_record(
            request.url, "response", payload=BytesIO(response.body),
            length=len(response.body), http_headers=response_head(response),
            warc_headers_dict={**common, **address},
        )  # fmt: skip
        asked = self.writer.create_warc_record(
            request.url, "request", http_headers=request_head(request), warc_headers_dict=common
        )
        self.writer.write_request_response_pair(asked, answer)

    def finish(self) -> bool:
        """fsync and rename to the final name; False (no file) if nothing was archived."""
        return self.file.finish(keep_empty=False)

    def abandon(self) -> None:
        """Give up a file that could not be written: it never gets its final name."""
        self.file.abandon()


def warcinfo(crawler: Crawler, run: str) -> dict[str, str]:
    """The ``warcinfo`` fields (WARC 1.1, annex C): what wrote the file, for which run."""
    settings = crawler.settings
    return {
        "software": f"newscrawl/{__version__} (Scrapy {version('scrapy')}; "
        f"warcio {version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
        "warc-format/warc-1.1/",
        "isPartOf": run,
        "description": "story pages as received by one live newscrawl run",
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": str(settings["USER_AGENT"]),
        "hostname": gethostname(),
    }


class ArchiveMiddleware:
    """Downloader middleware: the answers to story requests go to the run's WARC file.

    ``NEWSCRAWL_ARCHIVE=0`` turns it off. A disk that fails the archive fails the run (exit
    status 1, named in ``runs.jsonl``), but never costs an article: crawling goes on.
    """

    def __init__(self, archive: WarcPart, failed: Callable[[str], None]) -> None:
        self.archive: WarcPart | None = archive
        self.failed = failed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_ARCHIVE"):
            raise NotConfigured("NEWSCRAWL_ARCHIVE is off")
        run = current_run(crawler)
        if run is None:
            raise NotConfigured("no run keeps books: nothing to archive for")
        archive = WarcPart(archive_file(run.folder, run.name), warcinfo(crawler, run.key))
        run.add_archive(archive)
        return cls(archive, run.fail)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if self.archive is None or not request.meta.get(ARCHIVE_META):
            return response
        fetched_at = datetime.now(UTC)
        request.meta[FETCHED_AT] = fetched_at
        try:
            self.archive.write_answer(request, response, fetched_at)
        except OSError as exc:
            logger.error("the archive could not be written, archiving stops: %s", exc)
            self.failed(f"archive could not be written: {exc}")
            self.archive.abandon()
            self.archive = None
        return response


def fetched_at(response: Response) -> str:
    """``crawled_at`` of a story page: when its answer arrived (its ``WARC-Date``) where it was
    archived or read from an archive, else now; seconds precision, UTC."""
    request = response.request
    moment = request.meta.get(FETCHED_AT) if request is not None else None
    return str((moment or datetime.now(UTC)).replace(microsecond=0).isoformat())
