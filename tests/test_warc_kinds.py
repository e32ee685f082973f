"""Every archive the WARC standard allows, as the tools that write most of them lay it out:
wget, Heritrix, Common Crawl, warcio and pywb, WARC/1.0 and 1.1, ``.warc`` and ``.warc.gz``.

Each kind is an archive built here (``tests/warc_files.py``), read by MENAFN's reader: the story
answers come back with the page as the server sent it, everything else is counted, and only
what really cannot be read (a digest that matches nothing, a damaged member of a story) is a
rejects line.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import pytest
from scrapy.http import HtmlResponse, Response

from tests.warc_files import (
    Exchange,
    Record,
    bodies,
    ccnews_records,
    chunked,
    details,
    heritrix_records,
    members,
    menafn_scope,
    read,
    reasons,
    sha1,
    stories,
    warcio_file,
    wget_records,
)

Layout = Callable[[list[Exchange]], list[Record]]
LAYOUTS: dict[str, Layout] = {
    "wget": wget_records,
    "wget-unchunked": lambda answers: wget_records(answers, chunk=False),
    "heritrix": heritrix_records,
    "ccnews": ccnews_records,
    "ccnews-2016": lambda answers: ccnews_records(answers, masked=False),  # see ccnews_records
}


def write(path: Path, records: list[Record], compress: bool = True) -> Path:
    path.write_bytes(members(records, compress))
    return path


# -- each tool's layout, each version, compressed or not --------------------------------------
@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("version", ["WARC/1.0", "WARC/1.1"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_tools_layout_gives_its_story_answers(
    tmp_path: Path, layout: str, version: str, compress: bool
) -> None:
    answers = stories(3)
    records = LAYOUTS[layout](answers)
    for record in records:
        record.version = version
    name = "archive.warc.gz" if compress else "archive.warc"
    entries, reader = read(write(tmp_path / name, records, compress))
    assert reasons(entries) == [None] * 3
    assert bodies(entries) == [a.body for a in answers]
    assert [e.url for e in entries] == [a.url for a in answers]
    fetched = [e.meta["newscrawl_fetched_at"] for e in entries if isinstance(e, HtmlResponse)]
    assert fetched == [a.when for a in answers]
    assert reader.read == 3
    assert "response" not in reader.skipped  # every response record was a story answer
    assert reader.records == len(records)


def test_warcio_and_pywb_files_are_read(tmp_path: Path) -> None:
    answers = stories(2)
    warcio_file(tmp_path / "pywb.warc.gz", answers)
    entries, _ = read(tmp_path / "pywb.warc.gz")
    assert bodies(entries) == [a.body for a in answers]


# -- payload digests ----------------------------------------------------------------------------
def chunked_answer(payload_digest: str | None, body: bytes, block: bytes | None = None) -> Record:
    """A chunked answer kept raw; the payload digest as given, the block digest right."""
    stored = block or Exchange("https://menafn.com/1110000000/x", body).http(
        chunked(body, 700), [("Transfer-Encoding", "chunked")]
    )
    fields = [
        ("WARC-Target-URI", "https://menafn.com/1110000000/x"),
        ("WARC-Date", "2025-11-21T16:40:02Z"),
        ("WARC-Block-Digest", sha1(stored)),
    ]
    if payload_digest:
        fields.append(("WARC-Payload-Digest", payload_digest))
    return Record("response", fields, stored)


def test_payload_digest_over_the_de_chunked_body_or_the_stored_bytes(tmp_path: Path) -> None:
    body = stories(1)[0].body
    stored = Exchange("u", body).http(chunked(body, 700), [("Transfer-Encoding", "chunked")])
    as_stored = stored.split(b"\r\n\r\n", 1)[1]  # warcio's, wget's: chunk sizes included
    hexadecimal = "sha1:" + hashlib.sha1(body).hexdigest()  # base16 is allowed too
    records = [chunked_answer(d, body) for d in (sha1(body), sha1(as_stored), hexadecimal, None)]
    entries, _ = read(write(tmp_path / "a.warc.gz", records))
    assert reasons(entries) == [None] * 4
    assert bodies(entries) == [body] * 4


def test_a_digest_that_matches_nothing_stays_a_reject(tmp_path: Path) -> None:
    body = stories(1)[0].body
    other = body.replace(b"Kuwait", b"Qatar", 1)
    stored = Exchange("u", body).http(chunked(body, 700), [("Transfer-Encoding", "chunked")])
    wrong_block = Record("response", [*chunked_answer(None, body).headers[:2],
                         ("WARC-Block-Digest", sha1(stored + b"x"))], stored)  # fmt: skip
    records = [chunked_answer(sha1(other), body), wrong_block, chunked_answer(sha1(body), body)]
    entries, _ = read(write(tmp_path / "a.warc", records, compress=False))
    assert reasons(entries) == ["corrupt record", "corrupt record", None]
    assert "payload digest failed" in details(entries)[0]
    assert "block digest failed" in details(entries)[1]


# -- bodies stored otherwise than their headers say -------------------------------------------
def test_a_chunked_header_over_a_body_stored_de_chunked(tmp_path: Path) -> None:
    """pywb's recorder keeps ``Transfer-Encoding: chunked`` over the de-chunked body."""
    answers = stories(2)
    warcio_file(tmp_path / "pywb.warc.gz", answers, **{"Transfer-Encoding": "chunked"})
    entries, _ = read(tmp_path / "pywb.warc.gz")
    assert bodies(entries) == [a.body for a in answers]


@pytest.mark.parametrize("coding", ["gzip", "x-gzip", "deflate", "br", "zstd", "gzip, br"])
def test_a_content_encoding_header_over_a_body_stored_decoded(tmp_path: Path, coding: str) -> None:
    answers = stories(2)
    warcio_file(tmp_path / "decoded.warc.gz", answers, **{"Content-Encoding": coding})
    entries, _ = read(tmp_path / "decoded.warc.gz")
    assert reasons(entries) == [None, None]
    assert bodies(entries) == [a.body for a in answers]
    assert all(b"Content-Encoding" not in e.headers for e in entries if isinstance(e, Response))


@pytest.mark.parametrize(
    ("coding", "encode"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
def test_encoded_bodies_are_decoded_and_damaged_ones_never_pass_for_whole(
    tmp_path: Path, coding: str, encode: Callable[[bytes], bytes]
) -> None:
    """As live: HttpCompressionMiddleware decodes; a damaged or cut body is refused, or gives
    what inflated before the damage, a page cut short (which the page check rejects)."""
    page = stories(1)[0]
    encoded = encode(page.body)
    damaged = encoded[:20] + bytes(b ^ 0x5A for b in encoded[20:60]) + encoded[60:]
    exchanges = [Exchange(page.url, body) for body in (encoded, damaged, encoded[:40])]
    warcio_file(tmp_path / "encoded.warc.gz", exchanges, **{"Content-Encoding": coding})
    (whole, *broken), _ = read(tmp_path / "encoded.warc.gz")
    assert isinstance(whole, HtmlResponse)
    assert whole.body == page.body
    for entry in broken:
        assert getattr(entry, "reason", "undecodable body") == "undecodable body"
        assert len(getattr(entry, "body", b"")) < len(page.body) // 2


# -- revisits, other hosts, other records -------------------------------------------------------
def test_revisit_records_are_counted_by_whether_their_original_was_read(tmp_path: Path) -> None:
    answers = stories(3)
    later = [Exchange(a.url, a.body, a.when + timedelta(days=1)) for a in answers[:2]]
    elsewhere = Exchange(answers[2].url.replace("1110000002", "1110000099"), b"<html>x</html>")
    records = heritrix_records(answers[:1], revisits=[later[0], elsewhere])
    entries, reader = read(write(tmp_path / "heritrix.warc.gz", records))
    assert bodies(entries) == [answers[0].body]
    assert reader.skipped["revisit"] == 1
    assert reader.skipped["revisit of a record not here"] == 1
    assert reader.skipped["not HTTP"] == 1  # its DNS record


def test_answers_for_other_hosts_are_skipped_and_counted_not_rejected(tmp_path: Path) -> None:
    ours = stories(3, "www.menafn.com")
    theirs = [a for host in ("example.com", "news.example.org", "m.menafn.com")
              for a in stories(4, host)]  # fmt: skip
    mixed = [answer for pair in zip(theirs, [*ours, *ours] * 2, strict=False) for answer in pair]
    entries, reader = read(write(tmp_path / "CC-NEWS.warc.gz", ccnews_records(mixed)))
    assert reasons(entries) == [None] * len(bodies(entries))
    assert [e.url for e in entries] == [a.url for a in mixed if "www.menafn" in a.url]
    assert reader.skipped["other host"] == len(theirs)
    assert reader.skipped["request"] == reader.skipped["metadata"] == len(mixed)


def test_records_fetched_before_the_window_are_skipped(tmp_path: Path) -> None:
    answers = stories(4)
    path = write(tmp_path / "a.warc.gz", ccnews_records(answers))
    entries, reader = read(path, menafn_scope(opens=answers[2].when))
    assert [e.url for e in entries] == [a.url for a in answers[2:]]
    assert reader.skipped["fetched before the window"] == 2


def test_an_answer_the_archiving_tool_cut_is_a_truncated_record(tmp_path: Path) -> None:
    records = heritrix_records(stories(2))
    response = records[2]
    response.headers.append(("WARC-Truncated", "length"))
    entries, _ = read(write(tmp_path / "h.warc.gz", records))
    assert reasons(entries) == ["truncated record", None]
    assert details(entries) == ["the archiving tool kept part of it: length"]


def test_a_file_compressed_as_one_gzip_stream_is_read(tmp_path: Path) -> None:
    """Not per record, as the standard asks, but some tools do; warcio refuses it."""
    answers = stories(3)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(members(wget_records(answers), compress=False)))
    entries, _ = read(path)
    assert bodies(entries) == [a.body for a in answers]


def test_a_foreign_archive_of_a_mirror_is_not_the_sites(tmp_path: Path) -> None:
    """Only newscrawl's own archives (its warcinfo says so) are read whatever their host."""
    mirrored = [Exchange(a.url.replace("https://menafn.com", "http://127.0.0.1:8000"), a.body)
                for a in stories(2)]  # fmt: skip
    entries, reader = read(write(tmp_path / "w.warc.gz", wget_records(mirrored)))
    assert entries == []
    assert reader.skipped["other host"] == 2
