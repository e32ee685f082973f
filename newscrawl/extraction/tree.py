"""Page-wide element look-ups as walks of the parsed tree in C (``lxml``'s ``iter``).

``//name[@attr="value"]`` XPaths evaluated from the root cost about five times as much as these
walks on a 75 KB page, and every page runs several of them; the results are the same elements
in the same (document) order.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

_TEXT_NODES: Any = etree.XPath("text()")  # compiled once per process


def elements(root: Any, tag: str, **attributes: str) -> list[Any]:
    """The ``tag`` elements of a tree that have these attribute values, in document order:
    ``//tag[@name="value"]``.

    >>> from lxml import html
    >>> page = html.fromstring('<p><link rel="canonical" href="a"><link rel="next" href="b"></p>')
    >>> [link.get("href") for link in elements(page, "link", rel="canonical")]
    ['a']
    """
    found = root.iter(tag)
    return [e for e in found if all(e.get(k) == v for k, v in attributes.items())]


def attribute_values(found: list[Any], name: str) -> list[str]:
    """The ``name`` attribute of each element that has one: XPath's ``.../@name``."""
    return [value for e in found if (value := e.get(name)) is not None]


def text_nodes(found: list[Any]) -> list[str]:
    """The text node children of each element: XPath's ``.../text()``."""
    return [text for e in found for text in _TEXT_NODES(e)]


def canonical_links(root: Any) -> list[str]:
    """The page's ``<link rel="canonical">`` targets, as written (``//link[@rel=...]/@href``)."""
    return attribute_values(elements(root, "link", rel="canonical"), "href")


def in_article(element: Any) -> bool:
    """Whether an element stands inside an ``<article>`` or ``<main>``."""
    return any(a.tag in ("article", "main") for a in element.iterancestors())
