"""One archived HTTP answer to the Scrapy response a live fetch gave: its block read whole (it is
one of the spider's), checked against the record's digests, its body de-chunked and decoded
as HttpCompressionMiddleware decodes it.

The digests are checked here, not by warcio: warcio digests the payload as stored, where the
standard digests the entity body (``payload.py``), and it would digest every record of a
CC-NEWS file, thousands of other sites' included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.bufferedreaders import ChunkedDataReader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import iso_date_to_datetime

from newscrawl.archive import FETCHED_AT
from newscrawl.warc.payload import codings, digest_matches, stored_decoded
from newscrawl.warc.scope import BEFORE_WINDOW, Scope

HEAD_ROOM = 65536  # the most an answer's status line and headers may take


@dataclass(frozen=True)
class BadRecord:
    """What of an archive could not be read (a record, or the file from some offset on)."""

    url: str  # the record's WARC-Target-URI, else the file's URI
    reason: str
    detail: str = ""


Verdict = Response | BadRecord | str  # str: why the record is skipped


class AnswerReader:
    """Reads the answer of a ``response`` record, within ``max_bytes``; ``compression`` is the
    crawler's HttpCompressionMiddleware (None where it is off: bodies stay as stored)."""

    def __init__(self, compression: HttpCompressionMiddleware | None, max_bytes: int) -> None:
        self.compression = compression
        self.max_bytes = max_bytes

    def entry(self, record: Any, scope: Scope) -> Verdict:
        """A Response, a BadRecord, or why the record is skipped (a non-2xx answer, fetched
        before the window)."""
        head = record.rec_headers
        url = head.get_header("WARC-Target-URI")
        block = _read_at_most(record.raw_stream, self.max_bytes + HEAD_ROOM)
        http, payload = _http_answer(block)
        code = http.get_statuscode() if http else ""
        if http is None or not code.isdigit():
            return BadRecord(url, "not an HTTP response", f"{head.get_header('Content-Type')}")
        if not 200 <= int(code) < 300:
            return f"HTTP {code}"
        fetched = _warc_date(head.get_header("WARC-Date"))
        if fetched is None:
            return BadRecord(url, "bad WARC record", "no valid WARC-Date")
        if scope.before_window(fetched):
            return BEFORE_WINDOW
        chunked = (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
        body = ChunkedDataReader(BytesIO(payload)).read() if chunked else payload
        problem = self.damage(record, block, payload, body)
        if problem:
            return BadRecord(url, *problem)
        scope.read(head)
        return self.response(url, int(code), http, body, fetched, chunked)

    def damage(
        self, record: Any, block: bytes, payload: bytes, body: bytes
    ) -> tuple[str, str] | None:
        """Why an answer cannot be trusted: too large, cut short (by the file's end, or by the
        tool that wrote it), or a digest that matches nothing."""
        head = record.rec_headers
        if len(body) > self.max_bytes or len(block) > self.max_bytes + HEAD_ROOM:
            return "too large", f"more than {self.max_bytes} bytes"
        missing = getattr(record.raw_stream, "limit", 0)
        if missing:
            return "truncated record", f"{missing} bytes of the record are missing"
        cut = head.get_header("WARC-Truncated") or head.get_header("WARC-Segment-Number")
        if cut:
            return "truncated record", f"the archiving tool kept part of it: {cut}"
        block_digest = head.get_header("WARC-Block-Digest")
        if block_digest and not digest_matches(block_digest, block):
            return "corrupt record", f"block digest failed: {block_digest}"
        payload_digest = head.get_header("WARC-Payload-Digest")
        if payload_digest and not any(digest_matches(payload_digest, b) for b in (payload, body)):
            return "corrupt record", f"payload digest failed: {payload_digest}"
        return None

    def response(
        self, url: str, status: int, http: Any, body: bytes, fetched: datetime, chunked: bool
    ) -> Response | BadRecord:
        headers = Headers()
        for name, value in http.headers:
            if not (chunked and name.lower() == "transfer-encoding"):  # undone above
                headers.appendlist(name, value)
        try:
            return self.decode(url, status, headers, body, fetched)
        except IgnoreRequest:
            return BadRecord(url, "too large", f"more than {self.max_bytes} bytes decoded")
        except Exception as exc:  # gzip, zlib, brotli, zstd: each decoder fails its own way
            coding = codings(headers.get("Content-Encoding"))
            if coding and stored_decoded(body, coding[-1]):
                del headers["Content-Encoding"]  # the tool stored the body decoded
                return self.decode(url, status, headers, body, fetched)
            # A live run would have counted this download as failed; here it is one line.
            return BadRecord(url, "undecodable body", f"{type(exc).__name__}: {exc}"[:200])

    def decode(
        self, url: str, status: int, headers: Headers, body: bytes, fetched: datetime
    ) -> Response:
        request = Request(url, meta={FETCHED_AT: fetched})
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        raw = cls(url, status=status, headers=headers, body=body, request=request)
        if self.compression is None:
            return raw
        decoded = self.compression.process_response(request, raw)
        assert isinstance(decoded, Response)  # it never asks for another request
        return decoded


def _http_answer(block: bytes) -> tuple[StatusAndHeaders | None, bytes]:
    """The status line and headers at the start of a block, and the payload after them."""
    stream = BytesIO(block)
    try:
        http = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False).parse(stream)
    except (EOFError, ValueError, IndexError):
        return None, b""
    return http, block[stream.tell() :]


def _warc_date(value: str | None) -> datetime | None:
    try:
        return iso_date_to_datetime(value, True)  # type: ignore[no-any-return]
    except (TypeError, ValueError, IndexError):
        return None


def _read_at_most(stream: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``stream`` (one more says it was longer); the rest is
    read through, so that what the record lacks shows."""
    parts, size = [], 0
    while chunk := stream.read(65536):
        if size <= limit:
            parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)[: limit + 1]
