"""Pages on disk: which files are saved pages or WARC archives, and reading them safely (size,
gzip, text; a WARC archive's story responses as a live fetch gave them)."""

from __future__ import annotations

import codecs
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.statscollectors import StatsCollector
from warcio.archiveiterator import WARCIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from newscrawl.archive import FETCHED_AT

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PAGE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class UnreadablePage(Exception):
    """A saved page that cannot become an article; ``reason`` is short, ``detail`` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SavedPage:
    path: Path
    kind: str  # "text" or "html"
    data: bytes

    @property
    def stem(self) -> str:
        """The file name without its page and ``.gz`` suffixes: ``<id>[-<slug>]``."""
        return self.path.name.removesuffix(".gz").rsplit(".", 1)[0]

    def text(self) -> str:
        """The page as UTF-8 text (a BOM is dropped); anything else is not guessed at."""
        bom = len(codecs.BOM_UTF8) if self.data.startswith(codecs.BOM_UTF8) else 0
        try:
            return self.data[bom:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = exc.start + bom
            detail = f"invalid byte 0x{self.data[offset]:02x} at offset {offset}"
            raise UnreadablePage("not UTF-8 text", detail) from None


def page_kind(path: Path) -> str | None:
    """``text``, ``html`` or None (not a saved page) from the file name.

    >>> page_kind(Path("1109-x.txt.gz")), page_kind(Path("a.HTM")), page_kind(Path("r.json"))
    ('text', 'html', None)
    """
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return "text" if last in TEXT_SUFFIXES else "html" if last in HTML_SUFFIXES else None


def saved_page_paths(source: Path) -> Iterator[Path]:
    """The page files of a file or folder (recursively, sorted, hidden files left out)."""
    if source.is_file():
        yield source
        return
    for path in sorted(source.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
        if path.is_file() and not hidden:
            yield path


def read_saved_page(path: Path, max_bytes: int) -> SavedPage:
    """Read one page, refusing what is not one (empty, binary, too large, bad gzip)."""
    kind = page_kind(path)
    if kind is None:
        raise UnreadablePage("not a saved page", "expected .txt, .html or .htm, maybe .gz")
    try:
        with path.open("rb") as raw:
            data = raw.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise UnreadablePage("too large", f"more than {max_bytes} bytes")
            if path.suffix.lower() == ".gz":
                data = _gunzip(data, max_bytes)
    except OSError as exc:
        raise UnreadablePage("unreadable file", exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise UnreadablePage("too large", f"more than {max_bytes} bytes")
    if not data.strip():
        raise UnreadablePage("empty file")
    if b"\x00" in data[:8192]:
        raise UnreadablePage("binary file", "NUL bytes where text was expected")
    return SavedPage(path, kind, data)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress at most ``max_bytes + 1`` bytes, so a gzip bomb costs bounded memory."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise UnreadablePage("bad gzip file", str(exc)) from None
    if not inflater.eof and len(out) <= max_bytes:
        raise UnreadablePage("bad gzip file", "truncated")
    return out


# -- WARC archives -------------------------------------------------------------------------------
_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, IndexError)  # bad input


def is_archive(path: Path) -> bool:
    """A WARC file, by its name.

    >>> [is_archive(Path(name)) for name in ("20261128T031202Z.warc.gz", "a.WARC", "a.gz")]
    [True, True, False]
    """
    return path.name.lower().endswith((".warc", ".warc.gz"))


@dataclass(frozen=True)
class BadRecord:
    """What of an archive could not be read (a record, or the file from some offset on)."""

    url: str  # the record's WARC-Target-URI, else the file's URI
    reason: str
    detail: str = ""


class ArchiveReader:
    """The 2xx HTTP ``response`` records of one WARC file, in file order, each as the Scrapy
    response a live fetch handed the spider: the archived bytes and headers, passed through
    ``decode`` (HttpCompressionMiddleware), dated by ``WARC-Date`` (``FETCHED_AT``).

    Yields a BadRecord for a record that is not HTTP, has no date, is cut short or fails its
    digest, and one for a file that is not a WARC or is truncated (reading it stops there).
    Other records (warcinfo, request, metadata, resource, revisit, non-2xx answers, which a
    live run never parsed either) are counted in ``skipped`` by kind.
    """

    def __init__(
        self,
        path: Path,
        decode: Callable[[Response], Response],
        max_bytes: int,
        stats: StatsCollector | None = None,
    ) -> None:
        self.path = path
        self.uri = path.resolve().as_uri()
        self.decode = decode
        self.max_bytes = max_bytes
        self.stats = stats
        self.skipped: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler, path: Path) -> Self:
        """A reader that decodes as the crawler's HttpCompressionMiddleware does (or not at all
        where it is off), within ``DOWNLOAD_MAXSIZE``, and counts ``newscrawl/skipped_records``."""
        try:
            compression = HttpCompressionMiddleware.from_crawler(crawler)
        except NotConfigured:
            compression = None

        def decode(raw: Response) -> Response:
            if compression is None or raw.request is None:
                return raw
            decoded = compression.process_response(raw.request, raw)
            assert isinstance(decoded, Response)  # it never asks for another request
            return decoded

        return cls(path, decode, crawler.settings.getint("DOWNLOAD_MAXSIZE"), crawler.stats)

    def __iter__(self) -> Iterator[Response | BadRecord]:
        try:
            with self.path.open("rb") as file:
                yield from self._records(file)
        except OSError as exc:
            yield BadRecord(self.uri, "unreadable file", exc.strerror or str(exc))
        if self.stats is not None:
            self.stats.inc_value("newscrawl/skipped_records", sum(self.skipped.values()))
        others = ", ".join(f"{kind} {n}" for kind, n in self.skipped.items()) or "none"
        logger.info("read %s; records that are not story responses: %s", self.path, others)

    def _records(self, file: IO[bytes]) -> Iterator[Response | BadRecord]:
        records: Any = WARCIterator(file, check_digests=True)
        end = count = 0
        try:
            for record in records:
                entry = self._entry(record)
                end = records.get_record_offset() + records.get_record_length()
                count += 1
                if entry is not None:
                    yield entry
        except _READ_ERRORS as exc:
            why = "not a WARC file" if count == 0 else "unreadable WARC record"
            yield BadRecord(self.uri, why, f"at offset {end}: {str(exc).strip()[:200]}")
            return
        file.seek(end)
        if file.read(64).strip():  # an uncompressed WARC ends with blank lines
            size = file.seek(0, 2)
            detail = f"{size - end} bytes after offset {end} are not a whole record"
            yield BadRecord(self.uri, "truncated WARC file", detail)
        elif count == 0:
            yield BadRecord(self.uri, "not a WARC file", "no records")

    def _entry(self, record: Any) -> Response | BadRecord | None:
        if record.rec_type != "response":
            self.skipped[record.rec_type] += 1
            return None
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        head = record.http_headers
        code = head.get_statuscode() if head else ""
        if not url.startswith(("http://", "https://")) or not code.isdigit():
            content_type = record.rec_headers.get_header("Content-Type")
            return BadRecord(url or self.uri, "not an HTTP response", f"{content_type}")
        if not 200 <= int(code) < 300:
            self.skipped[f"HTTP {code}"] += 1
            return None
        try:
            fetched = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"), True)
        except (TypeError, ValueError, IndexError):
            return BadRecord(url, "bad WARC record", "no valid WARC-Date")
        chunked = (head.get_header("Transfer-Encoding") or "").lower() == "chunked"
        body = _read_at_most(ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream,
                             self.max_bytes)  # fmt: skip
        problem = _damage(record, body, self.max_bytes)
        if problem:
            return BadRecord(url, *problem)
        return self._response(url, int(code), head, body, fetched, chunked)

    def _response(
        self, url: str, status: int, head: Any, body: bytes, fetched: datetime, chunked: bool
    ) -> Response | BadRecord:
        headers = Headers()
        for name, value in head.headers:
            if not (chunked and name.lower() == "transfer-encoding"):  # undone above
                headers.appendlist(name, value)
        request = Request(url, meta={FETCHED_AT: fetched})
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        raw = cls(url, status=status, headers=headers, body=body, request=request)
        try:
            return self.decode(raw)
        except IgnoreRequest:
            return BadRecord(url, "too large", f"more than {self.max_bytes} bytes decoded")
        except Exception as exc:  # gzip, zlib, brotli, zstd: each decoder fails its own way
            # A live run would have counted this download as failed; here it is one line.
            return BadRecord(url, "undecodable body", f"{type(exc).__name__}: {exc}"[:200])


def _read_at_most(stream: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``stream`` (one more says it was longer)."""
    parts, size = [], 0
    while size <= limit:
        chunk = stream.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _damage(record: Any, body: bytes, max_bytes: int) -> tuple[str, str] | None:
    """Why a record's body cannot be trusted: too large, cut short, or a failed digest."""
    if len(body) > max_bytes:
        return "too large", f"more than {max_bytes} bytes"
    stream = record.raw_stream
    while stream.read(65536):  # the rest, so the digests and the length can be checked
        pass
    missing = getattr(stream, "limit", 0)
    if missing:
        return "truncated record", f"{missing} bytes of the record are missing"
    problems = record.digest_checker.problems
    return ("corrupt record", str(problems[0])) if problems else None


__all__ = [
    "ArchiveReader",
    "BadRecord",
    "SavedPage",
    "UnreadablePage",
    "is_archive",
    "read_saved_page",
    "saved_page_paths",
]
