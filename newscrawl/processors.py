"""Pure one-value cleaners used by the item loader (str in, str or None out)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from newscrawl.extraction import charset
from newscrawl.extraction.tables import is_table

# Invisible characters that carry no text: zero-width space, word joiner, BOM, soft hyphen,
# left-to-right/right-to-left marks. U+200C/U+200D (ZWNJ/ZWJ) are kept: Persian and Arabic
# words and emoji need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f]")
_SPACES = re.compile(r"[^\S\n]+")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SLOPPY_1252 = "sloppy-windows-1252"


def remove_invisible(value: str) -> str:
    """Drop zero-width and other invisible characters, keeping ZWNJ/ZWJ.

    >>> remove_invisible("Won\\u200bsan\\ufeff talks\\u00ad")
    'Wonsan talks'
    >>> remove_invisible("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645") == (
    ...     "\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645")
    True
    """
    return value if value.isascii() else _INVISIBLE.sub("", value)


def unescape_entities(value: str) -> str:
    """Decode HTML entities, also when a page encoded them twice (``&amp;amp;``).

    >>> unescape_entities("Q&amp;amp;A &#8217;s &lt;b&gt;")
    'Q&A \u2019s <b>'
    >>> unescape_entities("AT&T stays, &notes too")
    'AT&T stays, &notes too'
    """
    if "&" not in value:
        return value
    for _ in range(2):  # only complete entities: "&notes" is not "¬es"
        value = _ENTITY.sub(lambda match: html.unescape(match.group(0)), value)
    return value


def fix_mojibake(value: str) -> str:
    """Undo UTF-8 text once (or twice) decoded as windows-1252 (``â€œ`` for ``“``, ``Ø§Ù„``
    for Arabic ``ال``: ``charset.MOJIBAKE`` knows every script's).

    The repair is the exact inverse (re-encode as windows-1252, decode as UTF-8), so it
    either restores the original or changes nothing; text it cannot restore keeps its
    mojibake, and the page is rejected for it rather than written with a guess.

    >>> fix_mojibake("He said \\u00e2\\u20ac\\u0153hello\\u00e2\\u20ac\\u009d")
    'He said \\u201chello\\u201d'
    >>> fix_mojibake("Caf\\u00e9 \\u00c3 la carte") == "Caf\\u00e9 \\u00c3 la carte"
    True
    >>> fix_mojibake("lost \\u00e2\\u20ac byte") == "lost \\u00e2\\u20ac byte"  # byte dropped
    True
    """
    if value.isascii():  # mojibake is made of characters above U+007F
        return value
    fixed = value
    for _ in range(3):
        if not charset.shows_utf8_as_1252(fixed):
            break
        # registers sloppy-windows-1252 (all 256 bytes mapped): ftfy costs 0.05 s to import,
        # so only a text with mojibake imports it
        import ftfy.bad_codecs  # noqa: F401

        try:
            fixed = fixed.encode(_SLOPPY_1252).decode("utf-8")
        except UnicodeError:
            return value if fixed is value else fixed
    return fixed


def has_mojibake(value: str) -> bool:
    """Whether text still shows mis-decoded bytes in any script, or U+FFFD for lost ones
    (``extraction/charset.py``).

    >>> has_mojibake("Kimâ€™s"), has_mojibake("Kim�s"), has_mojibake("Kim’s")
    (True, True, False)
    """
    return charset.has_mojibake(value)


def collapse_whitespace(value: str) -> str | None:
    """Collapse runs of whitespace (NBSP included) to one space; empty becomes None.

    >>> collapse_whitespace("  Wonsan \\n talks\\xa0 ")
    'Wonsan talks'
    >>> collapse_whitespace(" \\n ") is None
    True
    """
    return " ".join(value.split()) or None


def clean_text(value: str) -> str | None:
    """One line of page text: entities decoded, mojibake repaired, invisible characters
    dropped, spaces collapsed.

    >>> clean_text(" Lavrov,&nbsp;North Korean\\u200b Leader ")
    'Lavrov, North Korean Leader'
    """
    return collapse_whitespace(remove_invisible(fix_mojibake(unescape_entities(value))))


def clean_body(value: str) -> str | None:
    """A story body: each paragraph cleaned, empty ones dropped, joined by one blank line; a
    Markdown table keeps its rows, one line each (schema v3).

    >>> clean_body("\\n First  para.\\n\\n\\n\\n Second\\u200b para. \\n")
    'First para.\\n\\nSecond para.'
    >>> clean_body("Lead.\\n\\n| A  | B |\\n| --- | --- |\\n| 1 | 2 |")
    'Lead.\\n\\n| A | B |\\n| --- | --- |\\n| 1 | 2 |'
    """
    paragraphs = (clean_paragraph(p) for p in re.split(r"\n\s*\n", value))
    return "\n\n".join(p for p in paragraphs if p) or None


def clean_paragraph(value: str) -> str | None:
    """One body paragraph cleaned onto one line; a Markdown table cleaned line by line."""
    table = value.strip()
    if "\n" in table and is_table(table):
        return "\n".join(filter(None, map(clean_text, table.split("\n")))) or None
    return clean_text(value)


def slug_words(slug: str) -> str | None:
    """The words of a URL slug, as a title of last resort.

    >>> slug_words("Global-oil-prices-increase-after-temporary-fall")
    'Global oil prices increase after temporary fall'
    """
    return collapse_whitespace(slug.replace("-", " ").replace("_", " "))


def normalise_language(value: str) -> str | None:
    """The primary language subtag, lower-cased.

    >>> normalise_language("en-US"), normalise_language("AR"), normalise_language("")
    ('en', 'ar', None)
    """
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def absolute_http_url(value: str) -> str | None:
    """Keep a URL only if it is an absolute http(s) URL.

    >>> absolute_http_url(" https://menafn.com/a.jpg "), absolute_http_url("data:x")
    ('https://menafn.com/a.jpg', None)
    """
    url = value.strip()
    return url if re.match(r"https?://[^\s/]+", url) and not re.search(r"\s", url) else None


_SITE_SEPARATOR = re.compile(r"\s*(?:\||\s[-\u2013\u2014:\u00bb\u00b7]|::)\s*(?=[^|]*$)")
_PLACEHOLDER_IMAGE = re.compile(r"logo", re.IGNORECASE)


def _site_key(name: str) -> str:
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name.strip().lower())
    return re.sub(r"\.(?:com|net|org|co|info)(?:\.[a-z]{2})?$|[^a-z0-9]", "", name)


def strip_site_name(title: str, site_names: tuple[str, ...]) -> str:
    """Take the site's name off the end of a ``<title>``; a separator inside the headline stays.

    >>> strip_site_name("Kuwait Dinar Steady Against Dollar - Euro Slips | MENAFN.COM", ("MENAFN",))
    'Kuwait Dinar Steady Against Dollar - Euro Slips'
    >>> strip_site_name("Oil Up - MENAFN", ("MENAFN",)), strip_site_name("Oil - Up", ("MENAFN",))
    ('Oil Up', 'Oil - Up')
    """
    keys = {_site_key(name) for name in site_names if name.strip()}
    while True:
        matches = list(_SITE_SEPARATOR.finditer(title))
        if not matches:
            return title
        last = matches[-1]
        head, tail = title[: last.start()], title[last.end() :]
        if not head.strip() or _site_key(tail) not in keys:
            return title
        title = head


def no_placeholder_image(url: str) -> str | None:
    """None for a site's placeholder picture (its logo), which means the story has no image.

    MENAFN serves ``/includes/img/logo.jpg`` and ``/images/Menafn_SmallLogo.jpg`` where a story
    has no picture (``menafn-site-2.md`` E7); a logo is never a story's own image.

    >>> no_placeholder_image("https://menafn.com/images/Menafn_SmallLogo.jpg") is None
    True
    >>> no_placeholder_image("https://menafn.com/updates/pr/2025-11/24/WAM_8c21aimage_story.jpg")
    'https://menafn.com/updates/pr/2025-11/24/WAM_8c21aimage_story.jpg'
    """
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return None if _PLACEHOLDER_IMAGE.search(name) else url


def word_count(body: str) -> int:
    """Words in a body: runs of non-space characters.

    >>> word_count("Lavrov met Kim.\\n\\nThey talked.")
    5
    """
    return len(body.split())


def content_hash(title: str, body: str) -> str:
    """``sha256:<hex>`` of the normalised title and body, stable across versions.

    Normalisation: NFKC, case-folded, every run of whitespace (paragraph breaks included) made
    one space, stripped; then ``title + "\\n" + body`` encoded as UTF-8. So the same story
    re-published with other line breaks or letter case hashes the same.

    >>> content_hash("A  Title", "Body.") == content_hash("a title", "Body.\\n")
    True
    """

    def normalise(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    payload = f"{normalise(title)}\n{normalise(body)}".encode()
    return "sha256:" + hashlib.sha256(payload).hexdigest()
