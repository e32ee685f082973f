"""A WARC file's story answers, each as the Scrapy response a live fetch handed the spider.

Any WARC file ISO 28500 allows, WARC/1.0 or 1.1, as wget, Heritrix, pywb, warcio, Common Crawl
or newscrawl wrote it, compressed per record (``.warc.gz``) or not (``.warc``), read forwards
from a stream (a file, or an HTTP download), never held whole. warcio parses the records; a
``.warc.gz`` is read member by member (``members.py``), so a damaged member costs its record.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from newscrawl.warc.answers import AnswerReader, BadRecord
from newscrawl.warc.members import (
    ByteSource,
    CutMember,
    DamagedMember,
    Member,
    Readable,
    StreamCut,
    is_gzip,
    resync,
    resync_plain,
)
from newscrawl.warc.scope import OTHER_HOST, Scope

logger = logging.getLogger(__name__)

# What warcio raises on records it cannot parse (a header without a target URI gives the
# AttributeError; bytes that are no header, the others).
_READ_ERRORS = (ArchiveLoadFailed, EOFError, ValueError, IndexError, AttributeError, TypeError)
_WARC_VERSIONS = ["WARC/1.1", "WARC/1.0", "WARC/0.18", "WARC/0.17"]
CUT = "truncated WARC file"
STATS = "newscrawl/discovery/warc_"  # + records, story_answers, other_hosts (runs.jsonl)

Entry = Response | BadRecord
_READ = "\0read"  # ArchiveReader.counted: the record was read as a story answer

__all__ = ["STATS", "ArchiveReader", "BadRecord", "Entry"]


class ArchiveReader:
    """The story answers of one WARC file, in file order: a Response for each one read (its
    body decoded as HttpCompressionMiddleware decodes it live), a BadRecord for each one that
    cannot be (cut short, damaged, failing its digest, too large) and for a file that is not a
    WARC or ends early. Every other record is counted in ``skipped`` by reason (other hosts,
    requests, revisits, non-2xx answers, …) and in the crawler's stats; the file gets one log
    line saying so. ``opener`` gives the file's bytes as a stream (raises OSError).
    """

    def __init__(
        self,
        uri: str,
        opener: Callable[[], Readable],
        answers: AnswerReader,
        scope: Scope,
        stats: StatsCollector | None = None,
    ) -> None:
        self.uri = uri
        self.opener = opener
        self.answers = answers
        self.scope = scope
        self.stats = stats
        self.skipped: Counter[str] = Counter()
        self.records = self.read = 0
        self.owned = False  # its warcinfo says newscrawl wrote the file for this spider
        self.current: StatusAndHeaders | None = None  # the WARC headers of the record being read
        self.counted: str | None = None  # what it was counted as: a skip reason, or _READ

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, opener: Callable[[], Readable], scope: Scope
    ) -> Self:
        """A reader that decodes as the crawler's HttpCompressionMiddleware does (or not at all
        where it is off), within ``DOWNLOAD_MAXSIZE``."""
        try:
            compression = HttpCompressionMiddleware.from_crawler(crawler)
        except NotConfigured:
            compression = None
        answers = AnswerReader(compression, crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        return cls(uri, opener, answers, scope, crawler.stats)

    def __iter__(self) -> Iterator[Entry]:
        try:
            stream = self.opener()
        except OSError as exc:
            yield BadRecord(self.uri, "unreadable file", exc.strerror or str(exc))
            return
        try:
            source = ByteSource(stream)
            yield from self._members(source) if is_gzip(source) else self._plain(source)
        except (OSError, StreamCut) as exc:  # between members, or in a plain WARC
            yield from self._lost(CUT, f"reading stopped: {exc}")
        finally:
            stream.close()
        self._count()

    # -- .warc.gz: one gzip member at a time ---------------------------------------------------
    def _members(self, source: ByteSource) -> Iterator[Entry]:
        while source.peek(1):
            member = Member(source)
            try:
                yield from self._records(member)
            except DamagedMember as exc:
                resync(source, skip_first=source.offset == member.start)
                detail = f"{exc.detail}; read on at offset {source.offset}"
                yield from self._lost("damaged record", detail, member.head)
            except (CutMember, StreamCut) as exc:
                yield from self._lost(CUT, str(exc), member.head)
                return

    def _records(self, member: Member) -> Iterator[Entry]:
        """The entries of one member: one record, as the standard lays them out (any number
        where a tool compressed more together). The last waits for the member's end, where its
        CRC is checked: a member that fails it is damaged, whatever was read of it."""
        self.current = self.counted = None
        records = iter(_Records(member, no_record_parse=True))
        held: Entry | None = None
        unreadable = None
        while (record := _next(records)) is not None:
            if isinstance(record, Exception):
                unreadable = self._unreadable(record, member.start)
                break
            if held is not None:
                yield held
            held = self._entry(record)
        member.drain()
        yield from filter(None, (held, unreadable))
        self.current = self.counted = None  # read whole: nothing of it can break any more

    # -- .warc: records one after another ---------------------------------------------------
    def _plain(self, source: ByteSource) -> Iterator[Entry]:
        """Records one after another; past one that cannot be parsed (a damaged header, a
        wrong Content-Length), reading goes on at the next line that begins a record."""
        source.keep_from(source.offset)
        while True:
            base, end = source.offset, 0
            records: Any = _Records(source, no_record_parse=True)
            while (record := _next(records)) is not None:
                if isinstance(record, Exception):
                    break
                entry = self._entry(record)
                end = records.get_record_offset() + records.get_record_length()
                self.current = self.counted = None  # read whole: nothing of it can break now
                source.keep_from(base + end)
                if entry is not None:
                    yield entry
            if record is None:
                if self.records == 0:
                    yield BadRecord(self.uri, "not a WARC file", "no records")
                return
            yield self._unreadable(record, base + end)
            if not (self.records and source.rewind(base + end) and resync_plain(source)):
                return

    def _unreadable(self, exc: Exception, offset: int) -> BadRecord:
        why = "not a WARC file" if self.records == 0 else "unreadable WARC record"
        return BadRecord(self.uri, why, f"at offset {offset}: {str(exc).strip()[:200]}")

    # -- one record ---------------------------------------------------------------------------
    def _entry(self, record: Any) -> Entry | None:
        self.records += 1
        self.current = head = record.rec_headers
        self.counted = None
        if head.get_header("Content-Length") is None:  # a header cut short, or not WARC
            return next(self._lost("unreadable WARC record", "no Content-Length"), None)
        if record.rec_type == "warcinfo":
            self.owned = self.owned or self.scope.owns(record.raw_stream.read(65536))
        skip = self.scope.skip_reason(head, self.owned)
        verdict = skip if skip is not None else self.answers.entry(record, self.scope)
        if isinstance(verdict, str):
            self.skipped[verdict] += 1
            self.counted = verdict
            return None
        if isinstance(verdict, Response):
            self.read += 1
            self.counted = _READ
        return verdict

    def _lost(self, reason: str, detail: str, head: bytes = b"") -> Iterator[BadRecord]:
        """A record that broke as it was read: a rejects line if it was, or may have been, a
        story answer of the spider's; else counted with the records skipped. A file cut short
        always gets its line (naming the file, and the record it ends in)."""
        self._uncount()
        record = self.current or _warc_headers(head)
        known = record is not None and _identified(record)
        skip = self.scope.skip_reason(record, self.owned) if known and record else None
        url = record.get_header("WARC-Target-URI") if record is not None else None
        if skip is None:
            yield BadRecord(url or self.uri, reason, detail)
            return
        self.skipped[f"{skip} ({reason})"] += 1
        if reason == CUT:
            yield BadRecord(self.uri, reason, f"{detail}, in a record of {url}")

    def _uncount(self) -> None:
        """Take back what the record that broke was counted as, when its headers were read."""
        if self.counted == _READ:
            self.read -= 1
        elif self.counted is not None:
            self.skipped[self.counted] -= 1
            self.skipped += Counter()  # drops the reasons counted down to nothing
        self.counted = None

    def _count(self) -> None:
        if self.stats is not None:
            self.stats.inc_value("newscrawl/skipped_records", sum(self.skipped.values()))
            self.stats.inc_value(f"{STATS}records", self.records)
            self.stats.inc_value(f"{STATS}story_answers", self.read)
            self.stats.inc_value(f"{STATS}other_hosts", self.skipped[OTHER_HOST])
        others = ", ".join(f"{kind} {n}" for kind, n in self.skipped.most_common()) or "none"
        logger.info(
            "read %s: %d records, %d story answers; skipped: %s",
            self.uri, self.records, self.read, others,
        )  # fmt: skip


def _warc_headers(data: bytes) -> StatusAndHeaders | None:
    """The WARC headers at the start of a record's bytes, as far as they are whole."""
    data = data[: data.rfind(b"\n") + 1]  # the last line may be cut
    try:
        return StatusAndHeadersParser(_WARC_VERSIONS).parse(BytesIO(data))
    except _READ_ERRORS:
        return None


def _identified(head: StatusAndHeaders) -> bool:
    """Whether enough of a record's headers is known to say whose record it is."""
    kind = head.get_header("WARC-Type")
    return kind is not None and (
        kind not in {"response", "revisit"} or head.get_header("WARC-Target-URI") is not None
    )


class _Records(WARCIterator):  # type: ignore[misc]
    """warcio's iterator, used to parse the WARC headers only (``no_record_parse``: the HTTP
    answers of the spider's records are parsed and checked in ``answers.py``, the thousands
    of others are passed over); without its warning on stderr for a record that does not end
    where its Content-Length says: the reader reports what that leads to itself."""

    INC_RECORD = ""


def _next(records: Iterator[Any]) -> Any:
    """The next record warcio parses, None at the end, or the error it met on bad input."""
    try:
        return next(records)
    except StopIteration:
        return None
    except _READ_ERRORS as exc:
        return exc
