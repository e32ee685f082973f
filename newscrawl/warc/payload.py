"""A WARC record's payload as other tools store it: digests over the entity body as the standard
defines it or over the bytes as stored, and bodies stored decoded under a coding header.

WARC 1.1 §6.3.2 (1.0 §5.9): the payload of an HTTP ``response`` is its entity body *with any
transfer-encoding removed*, so ``WARC-Payload-Digest`` of a chunked answer kept raw is over the
de-chunked bytes (Heritrix since its FetchHTTP2, wget-lua, jwarc). warcio, pywb, older Heritrix
and wget digest the stored bytes, chunk sizes included (warcio issue #74). Both are found in
the wild; a digest that matches neither is damage.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

# The first bytes of a body in each content coding (RFC 9110 §8.4.1; RFC 1952, RFC 8878).
_SIGNATURES = {
    b"gzip": (b"\x1f\x8b",),
    b"x-gzip": (b"\x1f\x8b",),
    b"zstd": (b"\x28\xb5\x2f\xfd",),
}
# C0 controls other than TAB, LF, FF and CR, and DEL: not in text (HTML, XML, JSON, plain).
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def digest_matches(label: str, data: bytes) -> bool:
    """Whether a WARC digest, ``algorithm:value``, is that of ``data``; the value in base32 (as
    most tools write it), base16 or base64, as WARC 1.1 §5.8 allows.

    >>> digest_matches("sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", b"hello")
    True
    >>> digest_matches("sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", b"hello")
    True
    >>> digest_matches("sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", b"hellO")
    False
    >>> digest_matches("md17:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", b"hello")
    False
    """
    algorithm, _, value = label.strip().partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""), data).digest()
    except ValueError:  # an algorithm this Python does not know
        return False
    return digest in _readings(value.strip())


def _readings(value: str) -> list[bytes]:
    """The bytes a digest value stands for, read as base32, base16 and base64 (a value may be
    valid in more than one; an invalid reading is left out)."""
    readings = []
    for decode in (_b32, bytes.fromhex, _b64):
        try:
            readings.append(decode(value))
        except (ValueError, binascii.Error):
            continue
    return readings


def _b32(value: str) -> bytes:
    return base64.b32decode(value.upper() + "=" * (-len(value) % 8))


def _b64(value: str) -> bytes:
    altchars = b"-_" if "-" in value or "_" in value else None
    return base64.b64decode(value + "=" * (-len(value) % 4), altchars=altchars, validate=True)


def codings(header: bytes | None) -> list[bytes]:
    """The content codings a ``Content-Encoding`` header names, in the order applied.

    >>> codings(b"gzip, br"), codings(None)
    ([b'gzip', b'br'], [])
    """
    return [c.strip().lower() for c in (header or b"").split(b",") if c.strip()]


def stored_decoded(body: bytes, coding: bytes) -> bool:
    """Whether a body that failed to decode under the ``coding`` its headers name was stored
    decoded (pywb, browser-based archivers): it does not begin as that coding's data does, and
    it reads as text. A body that begins like its coding, or is binary, is damaged instead.

    >>> stored_decoded(b"<!DOCTYPE html><p>story</p>", b"gzip")
    True
    >>> stored_decoded(b"\\x1f\\x8b\\x08\\x00 cut short", b"gzip")
    False
    >>> stored_decoded(bytes(range(40)), b"br")
    False
    """
    head = body[:1024]
    if any(head.startswith(signature) for signature in _SIGNATURES.get(coding, ())):
        return False
    if coding == b"deflate" and _zlib_header(head):
        return False
    return not _NOT_TEXT.search(head)


def _zlib_header(head: bytes) -> bool:
    """RFC 1950's two header bytes: deflate method, and a check that makes them a multiple of 31.

    >>> _zlib_header(b"\\x78\\x9c..."), _zlib_header(b"<html>")
    (True, False)
    """
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
