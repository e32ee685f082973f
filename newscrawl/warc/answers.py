"""One archived HTTP answer to the Scrapy response a live fetch gave: its body de-chunked and
checked against the record's digests, then decoded as HttpCompressionMiddleware decodes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

from newscrawl.archive import FETCHED_AT
from newscrawl.warc.payload import codings, digest_matches, stored_decoded
from newscrawl.warc.scope import BEFORE_WINDOW, Scope


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
        """A Response, a BadRecord, or the reason the record is skipped (a non-2xx answer,
        fetched before the window)."""
        head = record.rec_headers
        url = head.get_header("WARC-Target-URI")
        http = record.http_headers
        code = http.get_statuscode() if http else ""
        if not code.isdigit():
            return BadRecord(url, "not an HTTP response", f"{head.get_header('Content-Type')}")
        if not 200 <= int(code) < 300:
            return f"HTTP {code}"
        fetched = _warc_date(head.get_header("WARC-Date"))
        if fetched is None:
            return BadRecord(url, "bad WARC record", "no valid WARC-Date")
        if scope.before_window(fetched):
            return BEFORE_WINDOW
        cut = head.get_header("WARC-Truncated") or head.get_header("WARC-Segment-Number")
        if cut:
            return BadRecord(url, "truncated record", f"the archiving tool kept part of it: {cut}")
        chunked = (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
        stream = ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream
        body = _read_at_most(stream, self.max_bytes)
        problem = _damage(record, body, self.max_bytes, chunked)
        if problem:
            return BadRecord(url, *problem)
        scope.read(head)
        return self.response(url, int(code), http, body, fetched, chunked)

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


def _warc_date(value: str | None) -> datetime | None:
    try:
        return iso_date_to_datetime(value, True)  # type: ignore[no-any-return]
    except (TypeError, ValueError, IndexError):
        return None


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


def _damage(record: Any, body: bytes, max_bytes: int, chunked: bool) -> tuple[str, str] | None:
    """Why a record's body cannot be trusted: too large, cut short, or a failed digest. A
    payload digest over the de-chunked body (the standard's) is as good as one over the
    stored bytes (warcio's, wget's)."""
    if len(body) > max_bytes:
        return "too large", f"more than {max_bytes} bytes"
    stream = record.raw_stream
    while stream.read(65536):  # the rest, so the digests and the length can be checked
        pass
    missing = getattr(stream, "limit", 0)
    if missing:
        return "truncated record", f"{missing} bytes of the record are missing"
    payload = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    problems = [
        str(problem)
        for problem in record.digest_checker.problems
        if not (
            str(problem).startswith("payload digest failed")
            and chunked
            and digest_matches(payload, body)
        )
    ]
    return ("corrupt record", problems[0]) if problems else None
