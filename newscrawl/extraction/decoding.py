"""Decoding a page right, whatever its label says, or saying why it cannot be trusted."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from newscrawl.extraction.charset import single_byte_encoding

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
_SINGLE_BYTE_LABELS = {"iso-8859-1", "latin-1", "latin1", "cp1252", "windows-1252", "ascii"}


def choose_encoding(body: bytes, label: str | None) -> str | None:
    """The encoding to read a page with; None keeps what Scrapy chose (BOM, header, meta).

    MENAFN serves UTF-8, and labels lie: bytes that are valid UTF-8 are read as UTF-8 even
    when labelled ISO-8859-1; bytes that are not UTF-8 and hold no UTF-8 sequence at all are
    windows-1252 even when labelled UTF-8, unless windows-1252 reads them as words of Latin-1
    letters only (another script's code page: ``charset.single_byte_encoding`` then asks a
    detector). A page mixing both, or one no code page reads as text, keeps its label, and the
    bad bytes show as U+FFFD, which rejects the article instead of guessing.

    >>> choose_encoding("Kim’s".encode(), "iso-8859-1")
    'utf-8'
    >>> choose_encoding("Kim’s".encode("cp1252"), "utf-8")
    'cp1252'
    >>> choose_encoding("Kim’s".encode() + b"\\xff", "utf-8") is None
    True
    """
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None  # a byte order mark is the strongest evidence there is
    if body.isascii():  # no byte above 0x7f: every label reads it alike
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    normalised = (label or "utf-8").lower().replace("_", "-")
    if normalised in {"utf-8", "utf8"} | _SINGLE_BYTE_LABELS and not _UTF8_MULTIBYTE.search(body):
        return single_byte_encoding(body)  # cp1252, unless that reads as another script's
    return None


def decode_page(response: TextResponse) -> TextResponse:
    """The response re-read in the encoding its bytes show, when that differs from its label."""
    encoding = choose_encoding(response.body, response.encoding)
    if encoding is None or encoding == response.encoding:
        return response
    return response.replace(encoding=encoding)
