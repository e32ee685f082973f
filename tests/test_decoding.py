"""Reading a page in the encoding its bytes show, and repairing or refusing broken text."""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401 - registers the sloppy codecs
import pytest
from scrapy.http import HtmlResponse

from newscrawl.extraction.decoding import choose_encoding, decode_page
from newscrawl.processors import clean_text, fix_mojibake, has_mojibake

TEXT = "Kim’s “visit” – Wonsan"
# Ordinary punctuation of their scripts: the Arabic comma, semicolon and question mark; « » ё.
ARABIC = "قال الوزير، في بيان اليوم؛ إن الأسعار ارتفعت. فهل تستمر؟ " * 3
RUSSIAN = "Министр сказал: «Цены растут», и всё же рубль укрепился. " * 3
SLOPPY = "sloppy-windows-1252"  # what browsers do: undefined bytes become C1 controls


@pytest.mark.parametrize(
    ("body", "label", "expected"),
    [
        (TEXT.encode(), "iso-8859-1", "utf-8"),  # UTF-8 labelled Latin-1
        (TEXT.encode(), "utf-8", "utf-8"),
        (TEXT.encode("cp1252"), "utf-8", "cp1252"),  # windows-1252 labelled UTF-8
        (TEXT.encode("cp1252"), None, "cp1252"),
        (b"\xef\xbb\xbf" + TEXT.encode(), "iso-8859-1", None),  # the BOM decides (w3lib)
        (b"plain ASCII", "iso-8859-1", None),  # nothing to choose
        (TEXT.encode() + b" \xff", "utf-8", None),  # mixed: keep the label, U+FFFD shows
        # An accented letter before windows-1252 punctuation looks like a UTF-8 lead byte and
        # its continuation, but no whole UTF-8 sequence is there: windows-1252.
        ("José’s café—Pokémon…".encode("cp1252"), "utf-8", "cp1252"),
        ("Kim’s".encode() + b" \xe2\x80", "utf-8", None),  # a sequence cut short by the end
        ("مرحبا".encode("cp1256"), "windows-1256", None),  # a real single-byte label stays
        # A letter before an Arabic comma, semicolon or question mark, a Cyrillic letter before
        # « » or ё, is a UTF-8-shaped pair by chance: still their code page (FRESH-USER-2 G4).
        (ARABIC.encode("cp1256"), "utf-8", "cp1256"),
        (RUSSIAN.encode("cp1251"), "utf-8", "cp1251"),
        # UTF-8 with a stray byte among many UTF-8 letters stays UTF-8's, U+FFFD shows.
        (ARABIC.encode() + b" \xc7", "utf-8", None),
    ],
)
def test_choose_encoding(body: bytes, label: str | None, expected: str | None) -> None:
    assert choose_encoding(body, label) == expected


def page(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse("https://menafn.com/1/x", body=body, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (f"<p>{TEXT}</p>".encode(), "text/html; charset=iso-8859-1"),
        (f"<p>{TEXT}</p>".encode("cp1252"), "text/html; charset=utf-8"),
        (b"\xef\xbb\xbf" + f"<p>{TEXT}</p>".encode(), "text/html; charset=iso-8859-1"),
    ],
)
def test_decode_page_reads_the_text_right(body: bytes, content_type: str) -> None:
    assert TEXT in decode_page(page(body, content_type)).text


def test_decode_page_leaves_a_right_label_alone() -> None:
    response = page(f"<p>{TEXT}</p>".encode(), "text/html; charset=utf-8")
    assert decode_page(response) is response


@pytest.mark.parametrize(
    "broken",
    [
        TEXT.encode().decode(SLOPPY),  # UTF-8 read as windows-1252 once
        TEXT.encode().decode(SLOPPY).encode().decode(SLOPPY),  # ... twice
    ],
)
def test_mojibake_is_repaired(broken: str) -> None:
    assert has_mojibake(broken)
    assert fix_mojibake(broken) == TEXT
    assert clean_text(broken) == TEXT


@pytest.mark.parametrize("text", [TEXT, "São Paulo à la carte", "Ünal Çelik", "naïve café"])
def test_good_text_is_left_alone(text: str) -> None:
    assert not has_mojibake(text)
    assert fix_mojibake(text) == text


def test_lost_bytes_are_reported_not_hidden() -> None:
    assert has_mojibake("Kim\ufffds visit")
    assert fix_mojibake("Kim\ufffds visit") == "Kim\ufffds visit"
