"""JSON-LD read the way browsers and search engines read it: leniently.

Pages in the wild carry JSON-LD that a strict JSON parser refuses (public reports against
extruct, newspaper and trafilatura): raw line breaks or tabs inside strings, a ``<![CDATA[``
or HTML-comment wrapper, ``//`` and ``/* */`` comments, trailing commas, a top-level list,
``@graph``, and keys in other letter cases (``DatePublished``, GlobeNewswire's ``Headline``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting"}
)
_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")
# Strings first, so that "//" or a comma inside a string is kept; then what to drop.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)


def _without_comments(text: str) -> str:
    """Drop ``//`` and ``/* */`` comments and trailing commas, outside strings.

    >>> _without_comments('{"a": "http://x", // note\\n "b": [1, 2,], /* c */}')
    '{"a": "http://x", \\n "b": [1, 2] }'
    """
    for _ in range(2):  # a comma that a removed comment stood behind goes in the second pass
        text = _TOKENS.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    return text


def parse_json_ld(raw: str) -> Any:
    """The data of one ``<script type="application/ld+json">``, or None if it is not JSON.

    >>> parse_json_ld('<![CDATA[{"headline": "Line one\\nline two"}]]>')
    {'headline': 'Line one\\nline two'}
    >>> parse_json_ld("not json") is None
    True
    """
    text = _WRAPPER.sub("", raw.strip())
    for clean in (str, _without_comments):  # the second pass only for JSON that needs it
        try:
            return json.loads(clean(text), strict=False)  # strict=False: raw control characters
        except ValueError:
            continue
    return None


def _lower_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_lower_keys(item) for item in node]
    return node


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        yield from _walk(node.get("@graph", []))


def type_names(node: dict[str, Any]) -> set[str]:
    """A node's ``@type`` values, lower-cased, without a vocabulary prefix.

    >>> sorted(type_names({"@type": ["schema:NewsArticle", "https://schema.org/Article"]}))
    ['article', 'newsarticle']
    """
    kind = node.get("@type", [])
    kinds = [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]
    return {re.split(r"[/:#]", k.strip())[-1].lower() for k in kinds}


def article_nodes(raw_scripts: list[str]) -> list[dict[str, Any]]:
    """The article objects of a page's JSON-LD scripts, keys lower-cased (``datepublished``).

    >>> article_nodes(['[{"@type": "WebSite"}, {"@graph": [{"@type": "NewsArticle",'
    ...                ' "DatePublished": "2025-01-01"}]}]'])
    [{'@type': 'NewsArticle', 'datepublished': '2025-01-01'}]
    """
    found: list[dict[str, Any]] = []
    for raw in raw_scripts:
        data = _lower_keys(parse_json_ld(raw))
        found += [n for n in _walk(data) if type_names(n) & ARTICLE_TYPES]
    return found


def own_articles(
    nodes: list[dict[str, Any]], is_own: Callable[[str], bool]
) -> list[dict[str, Any]]:
    """The nodes that describe this page: those whose ``url``/``mainEntityOfPage`` it is;
    failing those, the ones naming no page. A node naming another page (a related story in
    the same ``@graph``) is never the page's.

    >>> nodes = [{"headline": "Related", "url": "/other"}, {"headline": "Own"}]
    >>> [n["headline"] for n in own_articles(nodes, lambda url: url == "/this")]
    ['Own']
    """
    own, unnamed = [], []
    for node in nodes:
        urls = [*strings(node.get("url")), *strings(node.get("mainentityofpage"), "@id")]
        if any(is_own(url) for url in urls):
            own.append(node)
        elif not urls:
            unnamed.append(node)
    return own or unnamed


def strings(value: Any, key: str = "") -> list[str]:
    """Flatten a JSON-LD value to strings (an object gives its ``key``/``url``/``name``).

    >>> strings([{"@type": "ImageObject", "url": "a.jpg"}, "b.jpg"])
    ['a.jpg', 'b.jpg']
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings(item, key)]
    if isinstance(value, dict):
        for name in (key.lower(), "url", "name", "@id"):
            if name and isinstance(value.get(name), str):
                return [value[name]]
    return []
