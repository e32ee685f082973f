"""A damaged gzip member costs its record only: the reader finds the next member and reads on.

warcio reads a ``.warc.gz`` as one stream and stops at the first member that does not inflate:
one damaged record of five lost the three after it, unread and uncounted. Here every position
of the damage is tried (the gzip header, the WARC headers, the body, the CRC trailer), in
newscrawl's own archives and in CC-NEWS-shaped ones where the damaged record may be another
site's.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from newscrawl.warc.members import ByteSource, resync
from tests.site import synthetic_stories
from tests.test_archive import MIRROR, stories_archive
from tests.warc_files import (
    bodies,
    ccnews_records,
    details,
    members,
    read,
    reasons,
    stories,
    wget_records,
)


def member_offsets(data: bytes) -> list[int]:
    """Where each gzip member of a file starts."""
    offsets, at = [], 0
    while at < len(data):
        offsets.append(at)
        inflater = zlib.decompressobj(31)
        inflater.decompress(data[at:])
        at = len(data) - len(inflater.unused_data)
    return offsets


def damage(data: bytes, at: int, length: int = 3) -> bytes:
    return data[:at] + bytes(b ^ 0xA5 for b in data[at : at + length]) + data[at + length :]


# newscrawl's archive of five stories: warcinfo, then a response and a request per story.
WHERE = {"gzip header": 0.0, "WARC headers": 0.02, "body": 0.5, "CRC trailer": 1.0}


@pytest.mark.parametrize("where", WHERE)
def test_one_damaged_story_of_five_costs_that_story_only(tmp_path: Path, where: str) -> None:
    path = tmp_path / "run.warc.gz"
    pages = stories_archive(path, 5)
    data = path.read_bytes()
    starts = [*member_offsets(data), len(data)]
    second = 3  # warcinfo, response 1, request 1, then the second story's response
    at = starts[second] + int((starts[second + 1] - starts[second] - 6) * WHERE[where])
    path.write_bytes(damage(data, at))
    entries, reader = read(path)
    assert reasons(entries) == [None, "damaged record", None, None, None]
    assert bodies(entries) == [pages[0], *pages[2:]]
    story = MIRROR + synthetic_stories(5)[1].path
    # Damage in the headers leaves nothing to name the record by but the file.
    named = story if where in {"body", "CRC trailer"} else path.as_uri()
    assert entries[1].url == named
    assert details(entries)[0].startswith(f"gzip member at offset {starts[second]}: ")
    assert reader.skipped["request"] == 5


def test_two_damaged_members_and_a_damaged_request_record(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    pages = stories_archive(path, 6)
    data = path.read_bytes()
    starts = member_offsets(data)
    for member in (1, 9):  # the responses of stories 1 and 5, in their bodies
        data = damage(data, (starts[member] + starts[member + 1]) // 2, 2)
    data = damage(data, starts[5] - 6, 2)  # the CRC of story 2's request: read, then failed
    path.write_bytes(data)
    entries, reader = read(path)
    assert reasons(entries) == ["damaged record", None, None, None, "damaged record", None]
    assert bodies(entries) == [pages[1], pages[2], pages[3], pages[5]]
    assert reader.skipped["request (damaged record)"] == 1


def test_a_damaged_record_of_another_site_is_counted_not_rejected(tmp_path: Path) -> None:
    answers = [a for pair in zip(stories(4, "example.com"), stories(4), strict=True) for a in pair]
    path = tmp_path / "CC-NEWS.warc.gz"
    path.write_bytes(members(ccnews_records(answers)))
    data = path.read_bytes()
    starts = member_offsets(data)
    other = 2  # warcinfo, request, then example.com's first response
    path.write_bytes(damage(data, (starts[other] + starts[other + 1]) // 2))
    entries, reader = read(path)
    assert reasons(entries) == [None] * 4
    assert reader.skipped["other host (damaged record)"] == 1
    assert reader.skipped["other host"] == 3


def test_a_file_cut_inside_a_record_keeps_the_records_before(tmp_path: Path) -> None:
    answers = stories(4)
    path = tmp_path / "CC-NEWS.warc.gz"
    data = members(ccnews_records(answers))
    starts = member_offsets(data)
    cut = (starts[8] + starts[9]) // 2  # inside the third story's response
    path.write_bytes(data[:cut])
    entries, _ = read(path)
    assert reasons(entries) == [None, None, "truncated WARC file"]
    assert entries[2].url == answers[2].url


def test_resync_passes_over_look_alikes_of_a_gzip_header() -> None:
    """Compressed data may hold the gzip magic number by chance: a member is taken only where
    it inflates to a WARC record."""
    real = zlib.compressobj(6, zlib.DEFLATED, 31)
    record = real.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n") + real.flush()
    junk = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage" + bytes(70000) + b"\x1f\x8b\x08xx"
    source = ByteSource(_Stream(junk + record))
    assert resync(source, skip_first=False) == len(junk)
    assert source.read(10) == record[:10]


class _Stream:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1, /) -> bytes:
        part, self.data = self.data[:size], self.data[size:]
        return part

    def close(self) -> None:
        pass


@pytest.mark.parametrize("fault", ["Content-Length too short", "header overwritten"])
def test_an_uncompressed_warc_reads_on_past_a_broken_record(tmp_path: Path, fault: str) -> None:
    answers = stories(5)
    records = wget_records(answers, chunk=False)
    data = members(records, compress=False)
    second = records[4].bytes()  # warcinfo, then a request and a response per story
    at = data.index(second)
    if fault == "Content-Length too short":
        length = f"Content-Length: {len(records[4].block)}".encode()
        broken = second.replace(length, f"Content-Length: {len(records[4].block) // 2}".encode())
    else:
        broken = b"\x00\x17garbage over the header" + second[24:]
    path = tmp_path / "wget.warc"
    path.write_bytes(data[:at] + broken + data[at + len(second) :])
    entries, _ = read(path)
    assert reasons(entries)[0] is None
    assert reasons(entries)[-3:] == [None] * 3
    assert bodies(entries) == [answers[0].body, *(a.body for a in answers[2:])]
    # The second story's record is one line, or two (its digest fails, then the bytes after
    # its false end are no record), never more, never silence.
    assert 1 <= len([reason for reason in reasons(entries) if reason]) <= 2
