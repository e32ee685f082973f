"""The last fallback for a page's story text: trafilatura's main-text extraction.

trafilatura is the maintained extractor with the best published precision on news pages; it
runs in precision mode and only when a page's own selectors, its JSON-LD and its microdata give
no body (``bench/fallback.py`` measures it against its peers on pages in unseen markup).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

# What trafilatura's output tree calls its blocks and line breaks (its XML vocabulary).
_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "div", "row", "table", "code", "main"})
_LINE_BREAK = "lb"


@functools.cache
def _quiet_logger() -> None:
    """trafilatura logs a WARNING for every page it finds no text in; that is our answer."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _text(element: Any, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCKS
    out.append("\n\n" if block else "\n" if tag == _LINE_BREAK else "")
    out.append(element.text or "")
    for child in element:
        _text(child, out)
    out.append("\n\n" if block else "")
    out.append(element.tail or "")


def extraction_text(body: Any) -> str:
    """trafilatura's output tree as text: blocks end paragraphs, ``<lb/>`` ends a line.

    >>> from lxml import etree
    >>> extraction_text(etree.fromstring("<body><p>One<lb/><lb/>Two</p><p>Three</p></body>"))
    'One\\n\\nTwo\\n\\nThree'
    """
    out: list[str] = []
    _text(body, out)
    text = re.sub(r"[^\S\n]+", " ", "".join(out))
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


def main_text(
    root: Any, prune_xpath: list[str] | None = None, *, recall: bool = False
) -> str | None:
    """The main text of a parsed page (``root``: its lxml tree, left unchanged), or None.

    ``prune_xpath``: elements to remove first (a site's known furniture). Precision mode by
    default; ``recall`` for a second try where precision found no story (it passes over
    stories of many short lines, such as dated lists).
    """
    import trafilatura

    _quiet_logger()
    document: Any = trafilatura.bare_extraction(
        root,
        favor_precision=not recall,
        favor_recall=recall,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=False,
        prune_xpath=prune_xpath,
    )
    if document is None or document.body is None:
        return None
    return extraction_text(document.body) or None
