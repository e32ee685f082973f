"""newscrawl.processors: every one-value cleaner, with its edge cases."""

from __future__ import annotations

import hashlib

import pytest

from newscrawl import processors as p

CRAWLED_AT = "2026-11-28T00:00:00+00:00"


# --- invisible characters, entities, whitespace -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Won\u200bsan", "Wonsan"),  # zero-width space
        ("\ufeffLavrov", "Lavrov"),  # BOM
        ("bi\u00adlateral", "bilateral"),  # soft hyphen
        ("a\u2060b", "ab"),  # word joiner
        ("\u200eKUNA\u200f", "KUNA"),  # LRM / RLM
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("\U0001f468\u200d\U0001f469", "\U0001f468\u200d\U0001f469"),  # ZWJ kept
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_remove_invisible(value: str, expected: str) -> None:
    assert p.remove_invisible(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Q&amp;A", "Q&A"),  # once encoded
        ("Q&amp;amp;A", "Q&A"),  # twice encoded
        ("&amp;#8217;s", "\u2019s"),  # twice encoded numeric
        ("&#8217; &#x2019;", "\u2019 \u2019"),
        ("&lt;b&gt;", "<b>"),
        ("AT&T stays", "AT&T stays"),  # literal & kept
        ("Tom & Jerry", "Tom & Jerry"),
        ("AT&T &amp; Verizon", "AT&T & Verizon"),  # literal & next to an entity
        ("&amp;amp;amp;", "&amp;"),  # decoded at most twice
        ("no entities", "no entities"),
    ],
)
def test_unescape_entities(value: str, expected: str) -> None:
    assert p.unescape_entities(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Wonsan \n talks\xa0 ", "Wonsan talks"),
        ("a\tb\r\nc", "a b c"),
        ("a\u2003\u3000b", "a b"),  # em space, ideographic space
        (" \n\xa0 ", None),
        ("", None),
    ],
)
def test_collapse_whitespace(value: str, expected: str | None) -> None:
    assert p.collapse_whitespace(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Lavrov,&nbsp;North Korean\u200b Leader ", "Lavrov, North Korean Leader"),
        ("a&amp;nbsp;b", "a b"),  # twice-encoded NBSP becomes a space
        ("Oil\xa0\xa0prices", "Oil prices"),
        ("Kuwait\u2019s \u201cquote\u201d", "Kuwait\u2019s \u201cquote\u201d"),
        ("\u0645\u06cc\u200c\u062e", "\u0645\u06cc\u200c\u062e"),
        ("\u200b\ufeff\u00ad", None),
        ("   ", None),
    ],
)
def test_clean_text(value: str, expected: str | None) -> None:
    assert p.clean_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\n First  para.\n\n\n\n Second\u200b para. \n", "First para.\n\nSecond para."),
        ("One\nline.", "One line."),  # a single newline is not a paragraph break
        ("A.\n \t \nB.", "A.\n\nB."),  # a whitespace-only line is a blank line
        ("A.\n\n\u200b\n\nB.", "A.\n\nB."),  # an invisible-only paragraph is dropped
        ("Q&amp;A.\n\nB&amp;amp;C.", "Q&A.\n\nB&C."),
        ("\n\n \n", None),
        ("", None),
    ],
)
def test_clean_body(value: str, expected: str | None) -> None:
    assert p.clean_body(value) == expected


# --- slug words, language, urls, counts ------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("Global-oil-prices-increase", "Global oil prices increase"),
        ("Today-In-Kuwaits-History", "Today In Kuwaits History"),
        ("snake_case_slug", "snake case slug"),
        ("-double--dash-", "double dash"),
        ("", None),
        ("---", None),
    ],
)
def test_slug_words(slug: str, expected: str | None) -> None:
    assert p.slug_words(slug) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("AR", "ar"),
        (" fr-CA ", "fr"),
        ("fil", "fil"),
        ("zh-Hant-TW", "zh"),
        ("english", None),
        ("x-klingon", None),
        ("e1", None),
        ("", None),
    ],
)
def test_normalise_language(value: str, expected: str | None) -> None:
    assert p.normalise_language(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" https://menafn.com/a.jpg ", "https://menafn.com/a.jpg"),
        ("http://menafn.com/updates/x.jpg?w=1", "http://menafn.com/updates/x.jpg?w=1"),
        ("https://menafn.com/a b.jpg", None),  # inner space
        ("//menafn.com/a.jpg", None),  # scheme-relative
        ("/updates/a.jpg", None),
        ("ftp://menafn.com/a.jpg", None),
        ("data:image/png;base64,xyz", None),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("", None),
    ],
)
def test_absolute_http_url(value: str, expected: str | None) -> None:
    assert p.absolute_http_url(value) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Lavrov met Kim.\n\nThey talked.", 5),
        ("one", 1),
        ("  spaced \t out\xa0words ", 3),
        ("Kim\u2019s visit -- a test", 5),
        ("", 0),
    ],
)
def test_word_count(body: str, expected: int) -> None:
    assert p.word_count(body) == expected


# --- content hash --------------------------------------------------------------------------

TITLE = "Lavrov Meets Kim"
BODY = "Lavrov met Kim.\n\nThey talked."
PINNED = "sha256:9162aee4856a8b1c462360314c287a3086afa7a873c3bfed96485bbc8d739be2"


def test_content_hash_is_pinned() -> None:
    """A change of normalisation changes every stored hash: it must fail here first."""
    assert p.content_hash(TITLE, BODY) == PINNED


def test_content_hash_is_sha256_of_the_documented_payload() -> None:
    payload = b"lavrov meets kim\nlavrov met kim. they talked."
    assert p.content_hash(TITLE, BODY) == "sha256:" + hashlib.sha256(payload).hexdigest()


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("LAVROV MEETS KIM", BODY),
        ("  Lavrov   meets\tkim ", BODY),
        (TITLE, "Lavrov met Kim. They talked."),
        (TITLE, "\nLavrov  met Kim.\n\n\n\nThey\ntalked.\n"),
        (TITLE, "LAVROV MET KIM.\n\nTHEY TALKED."),
        (TITLE, "Lavrov\xa0met Kim.\n\nThey talked."),  # NBSP is whitespace
    ],
)
def test_content_hash_ignores_whitespace_and_case(title: str, body: str) -> None:
    assert p.content_hash(title, body) == PINNED


def test_content_hash_applies_nfkc_and_casefold() -> None:
    assert p.content_hash("\ufb01ne Stra\u00dfe", "x") == p.content_hash("fine strasse", "x")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (TITLE, "Lavrov met Kim.\n\nThey did not talk."),
        ("Lavrov Meets Putin", BODY),
        (TITLE, "Lavrov met Kim.They talked."),  # a space is a difference
        (f"{TITLE} Lavrov", "met Kim.\n\nThey talked."),  # title/body boundary counts
    ],
)
def test_content_hash_changes_with_the_text(title: str, body: str) -> None:
    assert p.content_hash(title, body) != PINNED
