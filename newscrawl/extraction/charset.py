"""Text that was decoded wrong: how to tell, and which single-byte encoding reads it right.

A page whose bytes are not UTF-8 is usually windows-1252 (what browsers assume), but a
windows-1256 Arabic page read that way becomes Latin letters in runs ("ÇáßæíÊ ÊÑÍÈ"), which
no Latin language writes. Only then is a charset detector asked (charset-normalizer, which
trafilatura already depends on: on short English text it prefers cp1250, so it is a second
opinion, never the first); if what it proposes reads as text, the page is read with it, else
the page cannot be trusted and is rejected.
"""

from __future__ import annotations

import re

import charset_normalizer

# A UTF-8 byte sequence shown as windows-1252 characters: the bytes 0x80-0xBF as cp1252 maps
# them, after a lead byte (0xC2-0xDF: one follows; 0xE0-0xEF: two follow).
_CONT = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
MOJIBAKE = re.compile(
    f"(?:[\u00c2-\u00df]{_CONT}){{2,}}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00c2\u00c3][\u0080-\u00bf]"
)
# Every such sequence begins with a lead byte's character: a text without one is looked at no
# further (one character class scanned in C, a fifteenth of the search above).
_LEAD = re.compile("[\u00c2-\u00ef]")
_LATIN1_LETTERS = re.compile("[\u00c0-\u00ff]{4,}")  # a word of them: Latin-1 mojibake
_WORD_WITH_LATIN1 = re.compile(r"\w*[\u00c0-\u00ff]\w*")
_GARBLED_WORDS = 3
_SAMPLE = 200_000  # characters looked at: enough to judge, bounded work on a huge page


def shows_utf8_as_1252(text: str) -> bool:
    """Whether text holds a UTF-8 byte sequence shown as windows-1252 characters
    (``MOJIBAKE``).

    >>> shows_utf8_as_1252("Kim\u00e2\u20ac\u2122s"), shows_utf8_as_1252("caf\u00e9 \u00c3 la")
    (True, False)
    """
    return _LEAD.search(text) is not None and MOJIBAKE.search(text) is not None


def has_mojibake(text: str) -> bool:
    """Whether text shows UTF-8 read as windows-1252 (in any script), U+FFFD for lost bytes,
    or words made of Latin-1 letters only (another code page read as windows-1252).

    >>> has_mojibake("Kim\u00e2\u20ac\u2122s"), has_mojibake("\u00d8\u00a7\u00d9\u201e\u00d9")
    (True, True)
    >>> has_mojibake("r\u00e9sultats d\u2019\u00e9t\u00e9, caf\u00e9"), has_mojibake("x\ufffd")
    (False, True)
    """
    if text.isascii():
        return False
    return "\ufffd" in text or shows_utf8_as_1252(text) or looks_garbled(text)


def looks_garbled(text: str) -> bool:
    """Whether text holds words made only of Latin-1 letters (``ÇáßæíÊ``): no Latin language
    writes them, a non-Latin page read as windows-1252 is full of them.

    >>> looks_garbled("ÇáßæíÊ ÊÑÍÈ ÈÞÑÇÑ ãÌáÓ"), looks_garbled("L'été à Zürich, élève, Größe")
    (True, False)
    """
    sample = text[:_SAMPLE]
    garbled = len(_LATIN1_LETTERS.findall(sample))
    return garbled >= _GARBLED_WORDS and 3 * garbled >= len(_WORD_WITH_LATIN1.findall(sample))


def single_byte_encoding(body: bytes) -> str | None:
    """The encoding to read bytes that are not UTF-8 with: windows-1252 where that gives
    plausible text, else the detector's proposal where that does; None when neither does
    (the page is then undecodable, never written garbled).

    >>> single_byte_encoding("He said \u201cKim\u2019s caf\u00e9\u201d".encode("cp1252"))
    'cp1252'
    >>> arabic = "رحبت دولة الكويت اليوم بقرار مجلس الأمن الدولي. "
    >>> single_byte_encoding(arabic.encode("cp1256") * 4)
    'cp1256'
    """
    if not looks_garbled(body.decode("cp1252", errors="replace")):
        return "cp1252"
    best = charset_normalizer.from_bytes(body[:_SAMPLE]).best()
    if best is None or best.encoding in {"utf_8", "ascii"}:
        return None
    text = body.decode(best.encoding, errors="replace")
    return None if has_mojibake(text) else best.encoding
