"""The gzip members of a ``.warc.gz`` stream, read one at a time, and the way past a damaged one.

WARC 1.1 annex D: a compressed WARC file is a series of gzip members, one record each, so that
a reader can start at any record. warcio reads them as one stream and stops at the first member
that does not inflate (what follows is never read); here each member is its own stream, and
after a damaged one reading goes on at the next member that begins a WARC record. Inflating is
ISA-L's (isal), about twice as fast as zlib's on a CC-NEWS-sized file.
"""

from __future__ import annotations

import zlib
from typing import Protocol, cast

from isal import isal_zlib

GZIP_MAGIC = b"\x1f\x8b\x08"  # RFC 1952: ID1, ID2, CM=deflate
_GZIP_WBITS = 31  # a gzip header and trailer around the deflate data
READ_SIZE = 65536  # compressed bytes read at a time
HEAD_SIZE = 8192  # the first inflated bytes of a member kept, to name a record that breaks
_PROBE = 65536  # compressed bytes a candidate member may need to show its first bytes
KEEP_MAX = 64 * 2**20  # the most an uncompressed WARC's reader goes back over, past damage
InflateError = cast(type[Exception], isal_zlib.error)  # its stubs call it an instance


class Readable(Protocol):
    """A binary stream: a file, an HTTP body."""

    def read(self, size: int = -1, /) -> bytes: ...
    def close(self) -> None: ...


class StreamCut(Exception):
    """The stream under a WARC file failed before its end (a connection lost for good)."""


class DamagedMember(Exception):
    """A gzip member that does not inflate (or fails its CRC): ``detail`` says why."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CutMember(Exception):
    """The data ended inside a gzip member: the file is cut short."""


class ByteSource:
    """A binary stream read forwards, bytes pushed back, ``offset`` of the next byte; once
    ``keep_from`` is called, what is read from there on is kept (up to ``KEEP_MAX`` bytes) so
    that ``rewind`` can give it back."""

    def __init__(self, stream: Readable) -> None:
        self.stream = stream
        self.pending = b""
        self.offset = 0
        self.kept = bytearray()
        self.kept_from: int | None = None  # the offset of kept[0]

    def read(self, size: int) -> bytes:
        if self.pending:
            data, self.pending = self.pending[:size], self.pending[size:]
        else:
            data = self.stream.read(size)
        self.offset += len(data)
        if self.kept_from is not None:
            self.kept += data
            if len(self.kept) > KEEP_MAX:  # a record too large to go back over
                self.kept_from, self.kept = None, bytearray()
        return data

    def unread(self, data: bytes) -> None:
        """Push back the bytes read last."""
        self.pending = data + self.pending
        self.offset -= len(data)
        if self.kept_from is not None:
            del self.kept[len(self.kept) - len(data) :]

    def peek(self, size: int) -> bytes:
        """Up to ``size`` bytes from here, left unread."""
        data = self.read(size)
        while 0 < len(data) < size and (more := self.read(size - len(data))):
            data += more
        self.unread(data)
        return data

    def keep_from(self, offset: int) -> None:
        """Keep what was read from ``offset`` on (and all that is read next)."""
        if self.kept_from is None:
            self.kept_from, self.kept = self.offset, bytearray()
        del self.kept[: max(0, offset - self.kept_from)]
        self.kept_from = max(offset, self.kept_from)

    def rewind(self, offset: int) -> bool:
        """Go back to ``offset``, if what was read since is kept."""
        if self.kept_from is None or offset < self.kept_from:
            return False
        self.unread(bytes(self.kept[offset - self.kept_from :]))
        return True


class Member:
    """One gzip member's inflated bytes, read as a stream (what warcio reads a record from).

    ``read`` raises DamagedMember where the data does not inflate, CutMember where it ends
    before the member does; then ``source`` stands at the input that failed, for ``resync``.
    ``head`` keeps the first inflated bytes, whether or not they were handed on.
    """

    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.start = source.offset
        self.inflater = isal_zlib.decompressobj(_GZIP_WBITS)
        self.head = b""
        self.done = False

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        wanted = size if size >= 0 else 1 << 62
        while wanted > 0 and not self.done:
            part = self._inflate(min(wanted, 4096 if len(self.head) < HEAD_SIZE else READ_SIZE))
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def _inflate(self, limit: int) -> bytes:
        data = self.inflater.unconsumed_tail or self.source.read(READ_SIZE)
        if not data:
            raise CutMember(f"the data ends inside the gzip member at offset {self.start}")
        try:
            part: bytes = self.inflater.decompress(data, limit)
        except InflateError as exc:
            if not self.head:  # its first input: what inflated before the damage names it
                self.head = _inflated_head(data)
            self.source.unread(data)  # the next member begins after the damage, in or after it
            raise DamagedMember(f"gzip member at offset {self.start}: {exc}") from None
        if len(self.head) < HEAD_SIZE:
            self.head += part[: HEAD_SIZE - len(self.head)]
        if self.inflater.eof:
            self.source.unread(self.inflater.unused_data)
            self.done = True
        return part

    def drain(self) -> None:
        """Inflate the rest of the member: its CRC is checked only at its end."""
        while not self.done:
            self._inflate(READ_SIZE)


def is_gzip(source: ByteSource) -> bool:
    return source.peek(len(GZIP_MAGIC)) == GZIP_MAGIC


def resync(source: ByteSource, skip_first: bool) -> int:
    """Move ``source`` to the next gzip member that inflates to the start of a WARC record, or
    to the end; returns the bytes passed over. ``skip_first``: the byte at the current offset
    cannot start one (it starts the damaged member)."""
    passed = 0
    if skip_first and source.read(1):
        passed = 1
    while window := source.peek(_PROBE + len(GZIP_MAGIC)):
        at = window.find(GZIP_MAGIC)
        if at < 0:
            keep = len(GZIP_MAGIC) - 1  # a magic number may straddle the window's end
            step = len(window) - keep if len(window) > keep else len(window)
        elif _begins_record(source.peek(at + _PROBE)[at:]):
            source.read(at)
            return passed + at
        else:
            step = at + 1
        source.read(step)
        passed += step
    return passed


def resync_plain(source: ByteSource) -> bool:
    """Move an uncompressed WARC's ``source`` past the byte it stands at, to the next line
    that begins a record (``WARC/1.``); False at the end."""
    source.read(1)
    while window := source.peek(_PROBE):
        at = window.find(b"\nWARC/1.")
        if at >= 0:
            source.read(at + 1)
            return True
        marker = len(b"\nWARC/1.") - 1  # one may straddle the window's end
        source.read(len(window) - marker if len(window) > marker else len(window))
    return False


def _begins_record(data: bytes) -> bool:
    """Whether ``data`` starts a gzip member whose first inflated bytes are ``WARC/``."""
    try:
        return bool(isal_zlib.decompressobj(_GZIP_WBITS).decompress(data, 5) == b"WARC/")
    except InflateError:
        return False


def _inflated_head(data: bytes) -> bytes:
    """What the start of a member inflates to before its damage, in small steps with zlib (a
    check that fails, as the CRC at the end, takes the output of its step with it; ISA-L's
    inflater fails the whole of its internal buffer)."""
    inflater, head = zlib.decompressobj(_GZIP_WBITS), b""
    try:
        while len(head) < HEAD_SIZE and not inflater.eof:
            part = inflater.decompress(inflater.unconsumed_tail or data, 256)
            data = b""
            if not part and not inflater.unconsumed_tail:
                break
            head += part
    except zlib.error:
        pass
    return head
