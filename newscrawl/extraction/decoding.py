"""Decoding a page right, whatever its label says, or saying why it cannot be trusted."""

from __future__ import annotations

import codecs
import re

from scrapy.http import TextResponse

from newscrawl.extraction.charset import single_byte_encoding

# A whole UTF-8 sequence of two, three or four bytes, or one the end of the bytes cut short;
# a lead byte with too few continuation bytes inside the text (windows-1252's "é’s" is
# E9 92 73) is not one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
    rb"|[\xe0-\xf4][\x80-\xbf]{1,2}\Z"
)
_ASCII = bytes(range(0x80))  # deleted by bytes.translate: what is left is above 0x7f
_SINGLE_BYTE_LABELS = {"iso-8859-1", "latin-1", "latin1", "cp1252", "windows-1252", "ascii"}


def choose_encoding(body: bytes, label: str | None) -> str | None:
    """The encoding to read a page with; None keeps what Scrapy chose (BOM, header, meta).

    MENAFN serves UTF-8, and labels lie: bytes that are valid UTF-8 are read as UTF-8 even
    when labelled ISO-8859-1; bytes that are not UTF-8 and hold no UTF-8 sequence at all are
    windows-1252 even when labelled UTF-8, unless windows-1252 reads them as words of Latin-1
    letters only (another script's code page: ``charset.single_byte_encoding`` then asks a
    detector); so are bytes whose few UTF-8-shaped pairs came by chance (``mostly_utf8``). A
    UTF-8 page with stray bytes, or one no code page reads as text, keeps its label, and the
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
    if normalised in {"utf-8", "utf8"} | _SINGLE_BYTE_LABELS and not mostly_utf8(body):
        return single_byte_encoding(body)  # cp1252, unless that reads as another script's
    return None


def mostly_utf8(body: bytes) -> bool:
    """Whether at least half the bytes above 0x7f of ``body`` (not valid UTF-8 as a whole)
    stand in whole UTF-8 sequences: a UTF-8 page with stray bytes. In a single-byte code page
    such pairs come by chance: in windows-1256 an Arabic letter (0xC1-0xDF) before the Arabic
    comma, semicolon or question mark (0xA1, 0xBA, 0xBF) is one, and nearly every Arabic
    article has one (FRESH-USER-2 G4); windows-1251 Cyrillic before « » or ё likewise.

    >>> mostly_utf8("Kim’s".encode() + b"\\xff"), mostly_utf8("الكويت، اليوم".encode("cp1256"))
    (True, False)
    """
    high = len(body.translate(None, _ASCII))
    in_sequences = sum(len(match) for match in _UTF8_MULTIBYTE.findall(body))
    return 2 * in_sequences >= high


class UndecodableText(ValueError):
    """Bytes that no encoding reads as text; the message says where it failed."""


def decode_text(data: bytes) -> str:
    """Saved text's bytes (a ``.txt`` rendering, which declares no charset) as text, by the
    rule HTML pages are read with (``choose_encoding``, as if labelled UTF-8): UTF-8 (a BOM
    dropped), else windows-1252, else the code page charset-normalizer names. Raises
    UndecodableText when none reads it (UTF-8 with a stray byte, or no code page gives text).

    >>> decode_text("\\ufeffKim’s".encode()), decode_text("Kim’s café".encode("cp1252"))
    ('Kim’s', 'Kim’s café')
    >>> decode_text("تراجع الدينار الكويتي أمام الدولار الأمريكي اليوم. ".encode("cp1256") * 4)[:6]
    'تراجع '
    >>> try:
    ...     decode_text("Kim’s".encode() + b" \\xff")
    ... except UndecodableText as exc:
    ...     print(exc)
    invalid byte 0xff at offset 8, and no code page reads it as text
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # its offset counts from after a BOM
        offset = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        where = f"invalid byte 0x{data[offset]:02x} at offset {offset}"
    encoding = choose_encoding(data, "utf-8")
    try:
        if encoding is not None:
            return data.decode(encoding)
    except UnicodeDecodeError:  # a byte the code page leaves undefined (cp1252's 0x81)
        pass
    raise UndecodableText(f"{where}, and no code page reads it as text")


def decode_page(response: TextResponse) -> TextResponse:
    """The response re-read in the encoding its bytes show, when that differs from its label."""
    encoding = choose_encoding(response.body, response.encoding)
    if encoding is None or encoding == response.encoding:
        return response
    return response.replace(encoding=encoding)
