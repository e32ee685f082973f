"""Shared fallbacks for HTML article pages: JSON-LD, OpenGraph/meta tags, generic main text."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from functools import cached_property, partial
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml.cssselect import CSSSelector
from parsel import Selector
from scrapy.http import TextResponse

from newscrawl.pages.text import element_text, is_furniture, is_hidden

_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"}
)
_MIN_PARAGRAPH = 25  # characters: shorter <p>s are captions, labels and buttons


# Compiled once per process. Typed Any: lxml's stubs cannot say what an XPath returns.
_JSON_LD: Any = etree.XPath('//script[@type="application/ld+json"]/text()')
_META: Any = etree.XPath("//meta[@content]")
_STRING: Any = etree.XPath("string()")
_BY_ID: Any = etree.XPath("id($id)")
_LANG: Any = etree.XPath("/html/@lang")
_BASE: Any = etree.XPath("//base/@href")
_ID_ONLY = re.compile(r"^#[\w-]+$")


@functools.cache
def compiled(query: str) -> Any:
    """A CSS selector compiled to XPath once (translating CSS costs more than matching)."""
    return CSSSelector(query, translator="html")


def parse_bytes(response: TextResponse) -> Selector:
    """The page's tree, parsed straight from its bytes (half the cost of Scrapy's selector,
    which decodes to text and encodes back to bytes first)."""
    try:
        return Selector(body=response.body, type="html", encoding=response.encoding)
    except (LookupError, ValueError):  # an encoding libxml2 does not know
        return Selector(text=response.text, type="html")


def document_base(root: Any, url: str) -> str:
    """What relative links resolve against: the page's ``<base href>``, else its URL.

    Read from the parsed tree; Scrapy's ``get_base_url`` decodes the whole page to find it.
    """
    bases = _BASE(root)
    return urljoin(url, bases[0].strip()) if bases else url


def first_found(
    *sources: Callable[[], list[str]], valid: Callable[[str], object] = str.strip
) -> list[str]:
    """The values of the first source that has a usable one; later sources are not computed.

    >>> first_found(lambda: [" "], lambda: ["og title"], lambda: 1 / 0)
    ['og title']
    """
    for source in sources:
        values = [v for v in source() if v and valid(v)]
        if values:
            return values
    return []


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        yield from _walk_jsonld(node.get("@graph", []))


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def _strings(value: Any, key: str = "") -> list[str]:
    """Flatten a JSON-LD value to strings (an object gives its ``key``/``url``/``name``)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, key)]
    if isinstance(value, dict):
        for name in (key, "url", "name", "@id"):
            if name and isinstance(value.get(name), str):
                return [value[name]]
    return []


class HtmlArticlePage:
    """One parsed HTML page and its generic, site-independent field values."""

    def __init__(self, response: TextResponse) -> None:
        self.response = response
        self.selector = parse_bytes(response)  # parsed once, shared by every field

    @cached_property
    def root(self) -> Any:
        return self.selector.root

    def is_complete(self) -> bool:
        """Whether the page arrived whole: its document ends (a cut page has no ``</html>``)."""
        tail = self.response.body[-8192:].lower()
        return b"</html>" in tail or b"</body>" in tail

    def visible_text(self) -> str:
        """All text a reader sees (hidden elements, scripts and styles left out)."""
        parts: list[str] = []
        for element in self.root.iter():
            if not isinstance(element.tag, str) or element.tag in {"script", "style", "head"}:
                continue
            if any(is_hidden(e) for e in (element, *element.iterancestors())):
                continue
            parts.append(element.text or "")
        return " ".join(" ".join(parts).split())

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """The page's JSON-LD article objects (also inside ``@graph``)."""
        found: list[dict[str, Any]] = []
        for raw in _JSON_LD(self.root):
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            found += [n for n in _walk_jsonld(data) if _types(n) & _ARTICLE_TYPES]
        return found

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """``<meta>`` contents by lower-cased ``property``/``name``/``itemprop``."""
        values: dict[str, list[str]] = {}
        for node in _META(self.root):
            attrs = node.attrib
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            if key.strip():
                values.setdefault(key.strip().lower(), []).append(attrs["content"])
        return values

    def meta_values(self, *names: str) -> list[str]:
        return [v for name in names for v in self.meta.get(name, [])]

    def ld_values(self, key: str, sub: str = "") -> list[str]:
        return [s for node in self.json_ld for s in _strings(node.get(key), sub)]

    def css(self, query: str) -> list[Any]:
        """The elements a CSS selector matches (selectors are compiled once per process;
        ``#id`` goes through libxml2's id table instead of a walk over the tree)."""
        selector = _BY_ID if _ID_ONLY.match(query) else compiled(query)
        elements: list[Any] = selector(self.root, id=query[1:])
        return elements

    def css_text(self, query: str) -> list[str]:
        """Each matching element's whole text (nested inline markup included)."""
        return [" ".join(_STRING(el).split()) for el in self.css(query)]

    @cached_property
    def base_url(self) -> str:
        return document_base(self.root, self.response.url)

    def absolute(self, urls: list[str]) -> list[str]:
        return [urljoin(self.base_url, u.strip()) for u in urls if u.strip()]

    # Generic values, best first. Site pages put their own selectors before these.
    def titles(self) -> list[str]:
        return [
            *self.ld_values("headline"),
            *self.meta_values("og:title", "twitter:title"),
            *self.root.xpath("//title/text()"),
        ]

    def published(self) -> list[str]:
        return [
            *self.ld_values("datePublished"),
            *self.meta_values(
                "article:published_time",
                "og:published_time",
                "datepublished",
                "date",
                "pubdate",
                "publishdate",
                "dc.date.issued",
            ),
            *self.root.xpath("//article//time/@datetime"),
        ]

    def summaries(self) -> list[str]:
        meta = partial(self.meta_values, "description", "og:description", "twitter:description")
        return first_found(meta, partial(self.ld_values, "description"))

    def images(self) -> list[str]:
        meta = partial(self.meta_values, "og:image", "twitter:image")
        return self.absolute(first_found(meta, partial(self.ld_values, "image", "url")))

    def tags(self) -> list[str]:
        # Plain <meta name="keywords"> is left out: sites fill it with site-wide words.
        keywords = [*self.ld_values("keywords"), *self.meta_values("news_keywords")]
        split = [k.strip() for value in keywords for k in value.split(",")]
        return self.meta_values("article:tag") or split

    def categories(self) -> list[str]:
        meta = partial(self.meta_values, "article:section")
        return first_found(meta, partial(self.ld_values, "articleSection"))

    def languages(self) -> list[str]:
        return first_found(partial(_LANG, self.root), partial(self.ld_values, "inLanguage"))

    def urls(self) -> list[str]:
        return self.absolute(
            [
                *self.root.xpath('//link[@rel="canonical"]/@href'),
                *self.meta_values("og:url"),
                *self.ld_values("url"),
                *self.ld_values("mainEntityOfPage", "@id"),
            ]
        )

    def bodies(self) -> list[str]:
        """JSON-LD ``articleBody``, then the generic main text of the page."""
        main = self.main_text()
        return [*self.ld_values("articleBody"), *([main] if main else [])]

    def main_text(self) -> str | None:
        """Text of the element holding the most paragraph text outside the furniture."""
        scores: dict[Any, int] = {}
        for paragraph in self.root.iter("p"):
            text = " ".join(paragraph.xpath("string()").split())
            links = sum(len(a.xpath("string()")) for a in paragraph.iter("a"))
            if len(text) < _MIN_PARAGRAPH or links > len(text) / 2:
                continue
            if any(is_furniture(el) for el in paragraph.iterancestors()):
                continue
            parent = paragraph.getparent()
            scores[parent] = scores.get(parent, 0) + len(text)
        if not scores:
            return None
        return element_text(max(scores, key=scores.__getitem__))
