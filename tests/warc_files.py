"""WARC files as other tools write them, built in the tests (no archive is stored in the repo).

By hand, byte for byte, the way wget, Heritrix and Common Crawl lay their records out (their
record order, header names, digests and HTTP framing), and with warcio as pywb and warcio do;
plus the readers' side: a reader with MENAFN's scope, and what it gave.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from scrapy.http import Response
from scrapy.utils.test import get_crawler

from newscrawl.sites.menafn.urls import story_ref
from newscrawl.warc.records import ArchiveReader, BadRecord
from newscrawl.warc.scope import Scope
from tests.site import synthetic_stories
from tests.site.pages import render_article

MENAFN_HOSTS = frozenset({"menafn.com", "www.menafn.com"})
WHEN = datetime(2025, 11, 21, 16, 40, 2, tzinfo=UTC)


def menafn_scope(opens: datetime | None = None) -> Scope:
    return Scope("menafn", MENAFN_HOSTS, lambda url: story_ref(url) is not None, opens)


def read(
    path: Path, scope: Scope | None = None, **settings: Any
) -> tuple[list[Response | BadRecord], ArchiveReader]:
    """What MENAFN's reader makes of a file (its scope unless told), and the reader."""
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    opener = lambda: path.open("rb")  # noqa: E731
    reader = ArchiveReader.from_crawler(crawler, path.as_uri(), opener, scope or menafn_scope())
    return list(reader), reader


def reasons(entries: Iterable[Response | BadRecord]) -> list[str | None]:
    """Each entry's reject reason, None for an answer read."""
    return [e.reason if isinstance(e, BadRecord) else None for e in entries]


def bodies(entries: Iterable[object]) -> list[bytes]:
    """The bodies of the answers read."""
    return [e.body for e in entries if isinstance(e, Response)]


def details(entries: Iterable[object]) -> list[str]:
    """The details of the rejects lines."""
    return [e.detail for e in entries if isinstance(e, BadRecord)]


# -- pieces -----------------------------------------------------------------------------------
def sha1(data: bytes) -> str:
    """A WARC digest as most tools write it: ``sha1:`` and base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def warc_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def chunked(body: bytes, size: int = 1500) -> bytes:
    """``body`` in HTTP/1.1 chunked transfer coding, chunks of ``size`` bytes (sizes in hex)."""
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
             for i in range(0, len(body), size)]  # fmt: skip
    return b"".join(parts) + b"0\r\n\r\n"


def http_answer(body: bytes, headers: list[tuple[str, str]], status: str = "200 OK") -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


@dataclass
class Record:
    """One WARC record, written by hand: its type, headers in order, block."""

    kind: str
    headers: list[tuple[str, str]]
    block: bytes
    version: str = "WARC/1.0"

    @property
    def id(self) -> str:
        return dict(self.headers)["WARC-Record-ID"]

    def bytes(self) -> bytes:
        head = [("WARC-Type", self.kind), *self.headers, ("Content-Length", str(len(self.block)))]
        lines = "".join(f"{name}: {value}\r\n" for name, value in head)
        return f"{self.version}\r\n{lines}\r\n".encode() + self.block + b"\r\n\r\n"


def record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def members(records: Iterable[Record], compress: bool = True) -> bytes:
    """A WARC file: each record one gzip member (WARC annex D), or plain."""
    return b"".join(
        gzip.compress(r.bytes(), 6, mtime=0) if compress else r.bytes() for r in records
    )


# -- an HTTP exchange as each tool records it ---------------------------------------------------
@dataclass
class Exchange:
    """A story answer: where, when, the HTTP head and body the server sent."""

    url: str
    body: bytes
    when: datetime = WHEN
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")]
    )
    status: str = "200 OK"

    def http(self, body: bytes | None = None, extra: Iterable[tuple[str, str]] = ()) -> bytes:
        return http_answer(self.body if body is None else body, [*self.headers, *extra],
                           self.status)  # fmt: skip

    def request(self) -> bytes:
        host = self.url.split("/")[2]
        path = "/" + self.url.split("/", 3)[3]
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode()


def _record(kind: str, url: str | None, when: datetime, block: bytes, **fields: str) -> Record:
    """A record with the headers every tool writes first, then ``fields`` (``_`` as ``-``)."""
    head = [("WARC-Target-URI", url)] if url else []
    head += [("WARC-Date", warc_date(when)), ("WARC-Record-ID", record_id())]
    head += [(name.replace("_", "-"), value) for name, value in fields.items()]
    return Record(kind, head, block)


def _warcinfo(fields: bytes, filename: str) -> Record:
    return _record(
        "warcinfo", None, WHEN, fields, WARC_Filename=filename,
        Content_Type="application/warc-fields",
    )  # fmt: skip


WGET_LOG = "metadata://gnu.org/software/wget/warc/"
HERITRIX_INFO = b"software: Heritrix/3.4.0 http://crawler.archive.org\r\nrobots: obey\r\n"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"


def wget_records(exchanges: Iterable[Exchange], *, chunk: bool = True) -> list[Record]:
    """wget's layout (WARC/1.0): warcinfo; per URL a request (targets in angle brackets, as
    wget 1.19 wrote them), then the response with the answer as received (chunked where the
    server chunked it, the payload digest over the de-chunked body, as wget-lua and jwarc
    compute it); at the end a metadata record with the arguments and a resource with the log."""
    records = [_warcinfo(b"software: Wget/1.21.3-at (linux-gnu)\r\n", "menafn.warc.gz")]
    for exchange in exchanges:
        asked = exchange.request()
        request = _record(
            "request", f"<{exchange.url}>", exchange.when, asked,
            Content_Type="application/http;msgtype=request", WARC_Block_Digest=sha1(asked),
        )  # fmt: skip
        extra = [("Transfer-Encoding", "chunked")] if chunk else []
        block = exchange.http(chunked(exchange.body) if chunk else exchange.body, extra)
        response = _record(
            "response", f"<{exchange.url}>", exchange.when, block,
            WARC_Concurrent_To=request.id, WARC_IP_Address="104.18.12.33",
            Content_Type="application/http;msgtype=response", WARC_Block_Digest=sha1(block),
            WARC_Payload_Digest=sha1(exchange.body),
        )  # fmt: skip
        records += [request, response]
    arguments = b"wget --warc-file=menafn https://menafn.com/\n"
    log = b"--2025-11-21 16:40:02--  https://menafn.com/\nSaving to: 'index.html'\n"
    records.append(_record("metadata", f"{WGET_LOG}MANIFEST.txt", WHEN, arguments,
                           Content_Type="text/plain"))  # fmt: skip
    records.append(_record("resource", f"{WGET_LOG}wget.log", WHEN, log, Content_Type="text/plain"))
    return records


def heritrix_records(
    exchanges: Iterable[Exchange], revisits: Iterable[Exchange] = ()
) -> list[Record]:
    """Heritrix 3's layout (WARC/1.0): warcinfo; a DNS answer; per URL the response first,
    then its request and a metadata record (outlinks), ``application/http; msgtype=response``
    with a space; the HTTP/1.0 answer as received, payload digest over it. ``revisits``:
    answers whose payload repeats an earlier capture's, kept as revisit records (identical-
    payload-digest profile: the HTTP head only, ``WARC-Truncated: length``)."""
    dns = b"20251121164000\nmenafn.com.\t300\tIN\tA\t104.18.12.33\n"
    records = [
        _warcinfo(HERITRIX_INFO, "heritrix.warc.gz"),
        _record("response", "dns:menafn.com", WHEN, dns, Content_Type="text/dns"),
    ]
    for exchange in exchanges:
        block = exchange.http(extra=[("Content-Length", str(len(exchange.body)))])
        block = block.replace(b"HTTP/1.1 ", b"HTTP/1.0 ", 1)
        response = _record(
            "response", exchange.url, exchange.when, block,
            WARC_Payload_Digest=sha1(exchange.body), WARC_IP_Address="104.18.12.33",
            Content_Type="application/http; msgtype=response", WARC_Block_Digest=sha1(block),
        )  # fmt: skip
        concurrent = response.id
        request = _record(
            "request", exchange.url, exchange.when, exchange.request(),
            WARC_Concurrent_To=concurrent, Content_Type="application/http; msgtype=request",
        )  # fmt: skip
        outlinks = b"via: https://menafn.com/\r\nhopsFromSeed: L\r\nfetchTimeMs: 212\r\n"
        metadata = _record(
            "metadata", exchange.url, exchange.when, outlinks, WARC_Concurrent_To=concurrent,
            Content_Type="application/warc-fields",
        )  # fmt: skip
        records += [response, request, metadata]
    for exchange in revisits:
        head = exchange.http(b"").replace(b"HTTP/1.1 ", b"HTTP/1.0 ", 1)
        records.append(_record(
            "revisit", exchange.url, exchange.when, head, WARC_Profile=REVISIT_PROFILE,
            WARC_Payload_Digest=sha1(exchange.body), WARC_Truncated="length",
            Content_Type="application/http; msgtype=response",
        ))  # fmt: skip
    return records


def ccnews_records(exchanges: Iterable[Exchange], *, masked: bool = True) -> list[Record]:
    """Common Crawl's layout (WARC/1.0, CC-NEWS): warcinfo; per URL request, response,
    metadata. The payload is stored decoded and de-chunked, payload digest over it. Since May
    2019 (commoncrawl/news-crawl#30) the headers that described the transfer are kept renamed
    (``X-Crawler-Content-Encoding``, ``X-Crawler-Transfer-Encoding``) and ``Content-Length``
    is the stored body's; before (``masked=False``), they were kept as the server sent them,
    over the decoded body."""
    info = b"software: StormCrawler 2.10 https://stormcrawler.net/\r\nisPartOf: CC-NEWS\r\n"
    records = [_warcinfo(info, "CC-NEWS-20251121164000-00001.warc.gz")]
    for exchange in exchanges:
        prefix = "X-Crawler-" if masked else ""
        sent = [
            (f"{prefix}Content-Encoding", "gzip"),
            (f"{prefix}Transfer-Encoding", "chunked"),
            ("Content-Length", str(len(exchange.body) if masked else len(exchange.body) // 4)),
        ]
        block = exchange.http(extra=sent)
        request = _record(
            "request", exchange.url, exchange.when, exchange.request(),
            Content_Type="application/http; msgtype=request",
        )  # fmt: skip
        response = _record(
            "response", exchange.url, exchange.when, block,
            Content_Type="application/http; msgtype=response",
            WARC_Payload_Digest=sha1(exchange.body), WARC_Block_Digest=sha1(block),
            WARC_Identified_Payload_Type="text/html",
        )  # fmt: skip
        metadata = _record(
            "metadata", exchange.url, exchange.when, b"fetchTimeMs: 131\r\n",
            WARC_Concurrent_To=response.id, Content_Type="application/warc-fields",
        )  # fmt: skip
        records += [request, response, metadata]
    return records


def stories(count: int, host: str = "menafn.com", start: datetime = WHEN) -> list[Exchange]:
    """``count`` MENAFN-shaped story answers on ``host``, a second apart."""
    return [
        Exchange(f"https://{host}{story.path}", render_article(story).encode(),
                 start + timedelta(seconds=number))
        for number, story in enumerate(synthetic_stories(count))
    ]  # fmt: skip


def warcio_file(path: Path, exchanges: Iterable[Exchange], **extra: str) -> None:
    """What warcio (and pywb, which records with it) writes: WARC/1.1 gzip members, the
    response's payload digest over the stored bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")
        for exchange in exchanges:
            head = StatusAndHeaders(exchange.status, [*exchange.headers, *extra.items()],
                                    "HTTP/1.1")  # fmt: skip
            writer.write_record(writer.create_warc_record(
                exchange.url, "response", payload=BytesIO(exchange.body),
                length=len(exchange.body), http_headers=head,
                warc_headers_dict={"WARC-Date": warc_date(exchange.when)}))  # fmt: skip
