"""Where a page prints its publication time, beyond structured data: marked elements, labels,
the article's ``<time>``s, and a lone printed stamp. An update time is never one of them.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from newscrawl.dates import read_timestamp
from newscrawl.extraction.text import is_furniture

_NOT_UPDATE = (
    "[not(contains(translate(@class, 'UPDATEMODIF', 'updatemodif'), 'update'))]"
    "[not(contains(translate(@class, 'UPDATEMODIF', 'updatemodif'), 'modif'))]"
)
# Elements marked as the publication time: itemprop, or a class naming "publish"/"pubdate".
_MARKED: Any = etree.XPath(
    "//*[@itemprop='datePublished' or contains(translate(@class, 'PUBLISHED', 'published'),"
    " 'publish') or contains(translate(@class, 'PUBDATE', 'pubdate'), 'pubdate')]" + _NOT_UPDATE
)
_LABELLED: Any = etree.XPath(
    "//body//text()[starts-with(normalize-space(translate(., 'PUBLISHED', 'published')),"
    " 'published')]"
)
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


def text_of(element: Any) -> str:
    return " ".join(element.xpath("string()").split())


def marked_published(root: Any) -> list[str]:
    """Elements marked as published (``itemprop``, class) and text labelled "Published:"."""
    found: list[str] = []
    for element in _MARKED(root):
        times = element.xpath("descendant-or-self::time/@datetime")
        found += [element.get("content") or element.get("datetime") or "", *times]
        found.append(_PUBLISHED_LABEL.sub("", text_of(element)))
    found += [_PUBLISHED_LABEL.sub("", " ".join(t.split())) for t in _LABELLED(root)]
    return [v for v in found if v]


def printed_published(root: Any) -> list[str]:
    """Publication stamps as the page prints them, text a reader sees (never an attribute):
    elements marked as published, then the article's ``<time>`` elements not marked as an
    update, each without a "Published:" label."""
    marked = [_PUBLISHED_LABEL.sub("", text_of(element)) for element in _MARKED(root)]
    times = [text_of(time) for time in _ARTICLE_TIME_ELEMENTS(root)]
    return [value for value in (*marked, *times) if value]


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
