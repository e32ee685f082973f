"""Where a page prints its publication time, beyond structured data: marked elements, labels,
the article's ``<time>``s, and a lone printed stamp. An update time is never one of them.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from newscrawl.dates import read_timestamp
from newscrawl.extraction.text import is_furniture, string_of, text_of

# Elements marked as the publication time: itemprop, or a class naming "publish"/"pubdate",
# and not "update"/"modif", in any letter case. XPath would lower-case every class with
# translate() on every element, which costs more than parsing the page: the candidates are
# found in C (both marks hold "ub", in some case) and their classes read with these patterns.
# Only ASCII letters change case (as XPath's translate() does): no re.IGNORECASE, whose
# Unicode folding also takes the long s (U+017F) for "s" and the Kelvin sign for "k".
_MARK_CANDIDATES: Any = etree.XPath(
    "//@class[contains(., 'ub') or contains(., 'UB') or contains(., 'Ub') or contains(., 'uB')]"
    " | //@itemprop[. = 'datePublished']"
)
_PUBLISH_CLASS = re.compile("[pP][uU][bB](?:[lL][iI][sS][hH]|[dD][aA][tT][eE])")
_UPDATE_CLASS = re.compile("[uU][pP][dD][aA][tT][eE]|[mM][oO][dD][iI][fF]")
# Text labelled "Published" (any letter case, after blanks): every text node of the body is
# looked at in Python, which costs a third of asking XPath to normalise and translate each;
# and only on a page whose body's whole text (one string made in C) holds the word at all.
_BODY_TEXT_NODES: Any = etree.XPath("//body//text()")
_PUBLISHED_WORD = re.compile("[pP][uU][bB][lL][iI][sS][hH][eE][dD]")
_XPATH_BLANKS = " \t\r\n"  # what XPath's normalize-space() strips
_PUBLISHED_LOWER = str.maketrans("PUBLISHED", "published")
_ARTICLE_TIMES: Any = etree.XPath(
    "//article//time[@datetime][not(ancestor-or-self::*[contains(translate(@class,"
    " 'UPDATEMODIF', 'updatemodif'), 'update') or contains(translate(@class, 'UPDATEMODIF',"
    " 'updatemodif'), 'modif') or @itemprop='dateModified'])]/@datetime"
)
_ARTICLE_TIME_ELEMENTS: Any = etree.XPath(
    "//article//time[not(ancestor-or-self::*[contains(translate(@class, 'UPDATEMODIF',"
    " 'updatemodif'), 'update') or contains(translate(@class, 'UPDATEMODIF', 'updatemodif'),"
    " 'modif') or @itemprop='dateModified'])]"
)
_BODY_TEXTS: Any = etree.XPath("//body//text()[contains(., ':')]")
_CHROME_TAGS = frozenset({"header", "footer", "nav", "aside", "script", "style", "a"})
_PUBLISHED_LABEL = re.compile(r"^\s*published(?:\s+(?:on|at))?\s*:?\s*", re.IGNORECASE)
# A stamp printed alone, or after a neutral label; "Updated:" and the like are not neutral.
_LONE_LABEL = re.compile(
    r"^(?:(?:date|dated|posted(?: on)?|published(?: on)?)\s*:?\s*)?(.*)$", re.I
)
_UPDATE_WORDS = re.compile(r"updated|modified|edited|revised", re.IGNORECASE)
_UPDATE_MARK = re.compile(r"updat|modif", re.IGNORECASE)


def marked_elements(root: Any) -> list[Any]:
    """Elements marked as the publication time, in document order: ``itemprop=
    "datePublished"``, or a class naming "publish" or "pubdate" (any letter case); never one
    whose class names an update ("update", "modif").

    >>> from lxml import html
    >>> page = html.fromstring('<p><b class="PubDate">1</b><i class="published-updated">2</i>'
    ...                        '<u itemprop="datePublished">3</u><s class="pub">4</s></p>')
    >>> [element.text for element in marked_elements(page)]
    ['1', '3']
    """
    found: dict[Any, None] = {}
    for value in _MARK_CANDIDATES(root):
        element = value.getparent()
        if _UPDATE_CLASS.search(element.get("class") or ""):
            continue
        if value.attrname == "itemprop" or _PUBLISH_CLASS.search(value):
            found[element] = None
    return list(found)


def labelled_published(root: Any) -> list[str]:
    """The body's text nodes that begin "Published" (any letter case, after blanks).

    >>> from lxml import html
    >>> page = html.document_fromstring("<p>Posted</p><p> PUBLISHED on: 1 May</p>")
    >>> labelled_published(page)
    [' PUBLISHED on: 1 May']
    """
    if not any(_PUBLISHED_WORD.search(string_of(body)) for body in root.iter("body")):
        return []
    return [
        text for text in _BODY_TEXT_NODES(root)
        if text.lstrip(_XPATH_BLANKS)[:9].translate(_PUBLISHED_LOWER) == "published"
    ]  # fmt: skip


def marked_published(marked: list[Any], root: Any) -> list[str]:
    """Elements marked as published (``marked_elements``) and text labelled "Published:"."""
    found: list[str] = []
    for element in marked:
        times = element.xpath("descendant-or-self::time/@datetime")
        found += [element.get("content") or element.get("datetime") or "", *times]
        found.append(_PUBLISHED_LABEL.sub("", text_of(element)))
    found += [_PUBLISHED_LABEL.sub("", " ".join(t.split())) for t in labelled_published(root)]
    return [v for v in found if v]


def printed_published(marked: list[Any], root: Any) -> list[str]:
    """Publication stamps as the page prints them, text a reader sees (never an attribute):
    elements marked as published (``marked_elements``), then the article's ``<time>``
    elements not marked as an update, each without a "Published:" label."""
    texts = [_PUBLISHED_LABEL.sub("", text_of(element)) for element in marked]
    times = [text_of(time) for time in _ARTICLE_TIME_ELEMENTS(root)]
    return [value for value in (*texts, *times) if value]


def article_times(root: Any) -> list[str]:
    """``<time datetime>`` inside ``<article>``, unless marked as an update."""
    found: list[str] = _ARTICLE_TIMES(root)
    return found


def _in_chrome_or_update(node: Any) -> bool:
    """Inside the page's chrome, or inside an element marked as an update time."""
    for element in (node, *node.iterancestors()):
        if not isinstance(element.tag, str):
            continue
        marks = " ".join(element.get(name, "") for name in ("class", "id", "itemprop"))
        if element.tag in _CHROME_TAGS or is_furniture(element) or _UPDATE_MARK.search(marks):
            return True
    return False


def lone_stamp(root: Any) -> list[str]:
    """The one full timestamp a page prints on its own line outside its chrome (bare, or after
    ``Date:``/``Posted:``), as redesigned story pages do; two different ones say nothing."""
    found: set[str] = set()
    for text in _BODY_TEXTS(root):
        line = " ".join(text.split())
        if len(line) > 40 or _UPDATE_WORDS.search(line):
            continue
        stamp = _LONE_LABEL.match(line).group(1)  # type: ignore[union-attr]
        if read_timestamp(stamp) and not _in_chrome_or_update(text.getparent()):
            found.add(stamp)
    return list(found) if len(found) == 1 else []
