"""WARC archives: what a live run writes, and what re-extraction makes of good and bad files."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.archive import FETCHED_AT, WarcPart, fetched_at, warc_date
from newscrawl.warc.records import BadRecord
from tests.site import synthetic_stories
from tests.site.pages import render_article
from tests.warc_files import read

MIRROR = "http://127.0.0.1:8000"
WHEN = datetime(2026, 11, 28, 3, 12, 2, 51000, tzinfo=UTC)
INFO = {"software": "newscrawl/test", "isPartOf": "menafn/20261128T031202Z"}


def answer(path: str, body: bytes, **headers: str) -> tuple[Request, Response]:
    """A story request and the answer the downloader handed over (body as sent)."""
    request = Request(MIRROR + path, headers={"User-Agent": "newscrawl/test"})
    head = {"Content-Type": "text/html; charset=utf-8", **headers}
    return request, HtmlResponse(request.url, body=body, headers=head, request=request)


def stories_archive(path: Path, count: int = 4, *, encoded: bool = False) -> list[bytes]:
    """An archive of ``count`` story answers (gzip-encoded ones if ``encoded``); their pages."""
    part = WarcPart(path, INFO)
    pages = []
    for number, story in enumerate(synthetic_stories(count)):
        page = render_article(story).encode()
        body, extra = (gzip.compress(page), {"Content-Encoding": "gzip"}) if encoded else (page, {})
        part.write_answer(*answer(story.path, body, **extra), WHEN + timedelta(seconds=number))
        pages.append(page)
    assert part.finish()
    return pages


def records(path: Path) -> list[Any]:
    with path.open("rb") as file:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.raw_stream.read())
            for r in ArchiveIterator(file, check_digests="raise")
        ]


# -- writing ----------------------------------------------------------------------------------
def test_an_answer_is_kept_as_received_in_a_response_and_a_request_record(tmp_path: Path) -> None:
    story = synthetic_stories(1)[0]
    sent = gzip.compress(render_article(story).encode())
    request, response = answer(story.path, sent, **{"Content-Encoding": "gzip"})
    part = WarcPart(tmp_path / "run.warc.gz", INFO)
    part.write_answer(request, response, WHEN)
    assert part.finish()
    (info, _, _, fields), (kind, head, http, body), (asked, rhead, rhttp, _) = records(part.path)
    assert (info, kind, asked) == ("warcinfo", "response", "request")
    assert b"isPartOf: menafn/20261128T031202Z" in fields
    assert head.protocol == "WARC/1.1"
    assert head["WARC-Date"] == "2026-11-28T03:12:02.051000Z" == warc_date(WHEN)
    assert head["WARC-Target-URI"] == MIRROR + story.path
    assert http.statusline == "200 OK"
    assert http["Content-Encoding"] == "gzip"
    assert body == sent  # the bytes the server sent, still gzip-encoded
    assert rhead["WARC-Concurrent-To"] == head["WARC-Record-ID"]
    assert rhead["WARC-Date"] == head["WARC-Date"]
    assert rhead["WARC-Warcinfo-ID"] == head["WARC-Warcinfo-ID"]
    assert f"{rhttp.protocol} {rhttp.statusline}" == f"GET {story.path} HTTP/1.1"
    assert rhttp["Host"] == "127.0.0.1:8000"
    assert rhttp["User-Agent"] == "newscrawl/test"


def test_each_record_is_one_gzip_member(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    stories_archive(path, 3)
    data, members = path.read_bytes(), 0
    while data:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        inflater.decompress(data)
        assert inflater.eof
        data, members = inflater.unused_data, members + 1
    assert members == len(records(path)) == 1 + 2 * 3


def test_a_run_that_archived_nothing_has_no_file(tmp_path: Path) -> None:
    part = WarcPart(tmp_path / "archive" / "run.warc.gz", INFO)
    assert not part.finish()
    assert not (tmp_path / "archive").exists()


def test_crawled_at_is_the_time_the_answer_came() -> None:
    _, response = answer("/1110000000/x", b"<html></html>")
    response.meta[FETCHED_AT] = WHEN
    assert fetched_at(response) == "2026-11-28T03:12:02+00:00"


# -- reading ----------------------------------------------------------------------------------
def test_archived_answers_come_back_as_the_spider_got_them(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    pages = stories_archive(path, 3, encoded=True)
    entries, reader = read(path)
    assert [type(e) for e in entries] == [HtmlResponse] * 3
    answers = [e for e in entries if isinstance(e, HtmlResponse)]  # all of them, typed so
    assert [a.body for a in answers] == pages  # decoded, as HttpCompressionMiddleware does
    assert all("Content-Encoding" not in a.headers for a in answers)
    assert answers[1].meta[FETCHED_AT] == WHEN + timedelta(seconds=1)
    assert answers[0].url == MIRROR + synthetic_stories(1)[0].path
    assert reader.skipped == {"warcinfo": 1, "request": 3}


@pytest.mark.parametrize("cut", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.999])
def test_a_truncated_archive_keeps_what_came_before_the_cut(tmp_path: Path, cut: float) -> None:
    whole = tmp_path / "whole.warc.gz"
    stories_archive(whole, 5)
    ends = []  # where each response record ends
    with whole.open("rb") as file:
        iterator = ArchiveIterator(file)
        for record in iterator:
            if record.rec_type == "response":
                record.raw_stream.read()
                ends.append(iterator.get_record_offset() + iterator.get_record_length())
    data = whole.read_bytes()
    size = int(len(data) * cut)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:size])
    entries, _ = read(path)
    bad = [e for e in entries if isinstance(e, BadRecord)]
    assert len(bad) == 1, entries
    assert bad[0].reason in {"truncated WARC file", "truncated record"}
    assert bad[0].url in {path.resolve().as_uri(), *(MIRROR + s.path for s in synthetic_stories(5))}
    assert len(entries) - 1 == sum(end <= size for end in ends)


def test_files_that_are_not_warc_files_say_so(tmp_path: Path) -> None:
    cases = {
        "text.warc.gz": gzip.compress(b"hello, this is not a WARC file\n"),
        "page.warc": b"<html><body>a saved page</body></html>\n",
        "empty.warc.gz": b"",
        "binary.warc.gz": bytes(range(256)) * 4,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        entries, _ = read(tmp_path / name)
        assert [(type(e), e.reason) for e in entries] == [  # type: ignore[union-attr]
            (BadRecord, "not a WARC file")
        ], name


def foreign_archive(path: Path) -> None:
    """What other tools write too: resource, metadata and revisit records, DNS answers, 404s,
    and a chunked, gzip-encoded story answer stored raw (chunk sizes included)."""
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")

        def add(uri: str, kind: str, payload: bytes, **kwargs: Any) -> None:
            writer.write_record(
                writer.create_warc_record(
                    uri, kind, payload=BytesIO(payload), length=len(payload), **kwargs
                )
            )

        add("dns:menafn.com", "response", b"20261128031202\nmenafn.com. 300 IN A 1.2.3.4\n",
            warc_content_type="text/dns")  # fmt: skip
        add("https://menafn.com/logo.png", "resource", b"\x89PNG...", warc_content_type="image/png")
        add("https://menafn.com/1110000000/x", "metadata", b"via: https://menafn.com/\r\n")
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], "HTTP/1.1")
        add("https://menafn.com/1110000001/x", "response", b"gone", http_headers=missing)
        page = render_article(synthetic_stories(1)[0]).encode()
        encoded = gzip.compress(page)
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (encoded[:100], encoded[100:]))
        head = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked")]  # fmt: skip
        add("https://menafn.com/1110000000/Some-Story", "response", chunked + b"0\r\n\r\n",
            http_headers=StatusAndHeaders("200 OK", head, "HTTP/1.1"))  # fmt: skip


def test_records_that_are_not_story_answers_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "heritrix.warc.gz"
    foreign_archive(path)
    answers, reader = read(path)
    assert [a.url for a in answers] == ["https://menafn.com/1110000000/Some-Story"]
    assert isinstance(answers[0], Response)
    assert answers[0].body == render_article(synthetic_stories(1)[0]).encode()
    assert reader.skipped == {"not HTTP": 1, "resource": 1, "metadata": 1, "HTTP 404": 1}


def test_a_record_whose_bytes_changed_fails_its_digest(tmp_path: Path) -> None:
    stories_archive(tmp_path / "run.warc.gz", 2)
    data = gzip.decompress((tmp_path / "run.warc.gz").read_bytes())  # the records, uncompressed
    at = data.index(b"<body") + 10
    path = tmp_path / "run.warc"
    path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
    entries, _ = read(path)
    assert isinstance(entries[0], BadRecord)
    assert entries[0].reason == "corrupt record"
    assert isinstance(entries[1], HtmlResponse)
    assert len(entries) == 2


def test_an_answer_larger_than_the_download_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    pages = stories_archive(path, 2, encoded=True)
    entries, _ = read(path, DOWNLOAD_MAXSIZE=len(pages[0]) - 1)
    assert [(type(e), getattr(e, "reason", "")) for e in entries] == [(BadRecord, "too large")] * 2


def test_a_body_that_does_not_decode_is_one_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    part = WarcPart(path, INFO)
    good = render_article(synthetic_stories(1)[0]).encode()
    binary = b"\xff\x00\x01\x02\x03" * 10  # no brotli stream, and not text either
    for body, encoding in ((b"\x1f\x8b but not gzip", "gzip"), (binary, "br"), (good, None)):
        extra = {"Content-Encoding": encoding} if encoding else {}
        part.write_answer(*answer("/1110000000/x", body, **extra), WHEN)
    assert part.finish()
    entries, _ = read(path)
    assert [getattr(e, "reason", None) for e in entries] == [
        "undecodable body",
        "undecodable body",
        None,
    ]
    assert entries[2].body == good  # type: ignore[union-attr]
