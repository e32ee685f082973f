"""Shared fallbacks for HTML article pages: JSON-LD, OpenGraph/meta, microdata, generic text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC
from functools import cached_property, partial
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector
from parsel import Selector
from scrapy.http import TextResponse

from newscrawl.dates import has_offset, read_timestamp
from newscrawl.extraction import jsonld, stamps
from newscrawl.extraction.agreement import read_stamp
from newscrawl.extraction.generic import main_text
from newscrawl.extraction.language import path_language
from newscrawl.extraction.text import (
    element_text,
    is_furniture,
    markup_text,
    text_of,
    visible_text,
)
from newscrawl.extraction.tree import (
    attribute_values,
    canonical_links,
    elements,
    in_article,
    text_nodes,
)
from newscrawl.processors import strip_site_name

# Compiled once per process. Typed Any: lxml's stubs cannot say what an XPath returns.
# Elements found by name anywhere in the page are found by a walk in C (``tree.py``).
_META: Any = etree.XPath("/html/head/meta[@content]")  # page-level meta lives in <head>
_BY_ID: Any = etree.XPath("id($id)")
_LANG: Any = etree.XPath("/html/@lang")
_MICRODATA_BODY: Any = etree.XPath('//*[@itemprop="articleBody"]')
_CHROME: Any = etree.XPath(
    "//header | //footer | //nav | //aside | //*[@role='navigation' or @role='contentinfo'"
    " or @role='banner' or @role='complementary']"
)
_CHROME_MAX_SHARE = 0.5  # a "chrome" element holding half the page's text is a page wrapper
_ID_ONLY = re.compile(r"^#[\w-]+$")
_STRUCTURED_DATES = (
    "article:published_time",
    "og:published_time",
    "datepublished",
)
_WEAK_DATES = ("date", "pubdate", "publishdate", "dc.date.issued", "dcterms.issued")


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
    bases = attribute_values(elements(root, "base"), "href")
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


def same_page(url: str, pages: list[str]) -> bool:
    """Whether ``url`` names one of ``pages`` (scheme, ``www.``, query and fragment aside).

    >>> same_page("http://www.menafn.com/1109/x?src=RSS", ["https://menafn.com/1109/x"])
    True
    """

    def key(value: str) -> str:
        parts = urlsplit(value.strip())
        return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"

    return key(url) in {key(page) for page in pages}


class HtmlArticlePage:
    """One parsed HTML page and its generic, site-independent field values."""

    SITE_NAMES: tuple[str, ...] = ()  # names a site appends to its <title>s

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
        """All text a reader sees (``text.visible_text``: tails included, hidden elements,
        scripts, styles and the head left out)."""
        return visible_text(self.root)

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """The page's own JSON-LD article objects, read leniently, keys lower-cased: those
        whose ``url``/``mainEntityOfPage`` is this page, else those naming no page; never a
        related story's node that names another page."""
        scripts = text_nodes(elements(self.root, "script", type="application/ld+json"))
        return jsonld.own_articles(jsonld.article_nodes(scripts), self.is_own_url)

    def is_own_url(self, url: str) -> bool:
        """Whether a URL is this page's: its address, canonical link or ``og:url``."""
        own = [self.response.url, *canonical_links(self.root), *self.meta_values("og:url")]
        return same_page(url, own)

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
        return [s for node in self.json_ld for s in jsonld.strings(node.get(key.lower()), sub)]

    def css(self, query: str) -> list[Any]:
        """The elements a CSS selector matches (selectors are compiled once per process;
        ``#id`` goes through libxml2's id table instead of a walk over the tree)."""
        selector = _BY_ID if _ID_ONLY.match(query) else compiled(query)
        elements: list[Any] = selector(self.root, id=query[1:])
        return elements

    def css_text(self, query: str) -> list[str]:
        """Each matching element's whole text (nested inline markup included)."""
        return [text_of(el) for el in self.css(query)]

    @cached_property
    def base_url(self) -> str:
        return document_base(self.root, self.response.url)

    def absolute(self, urls: list[str]) -> list[str]:
        return [urljoin(self.base_url, u.strip()) for u in urls if u.strip()]

    # Generic values, best first. Site pages put their own selectors before these.
    def titles(self) -> list[str]:
        """JSON-LD headline, OpenGraph, the story's own ``<h1>``, then ``<title>``; the site's
        name at the end of any of them is taken off."""
        every_h1 = elements(self.root, "h1")
        h1s = [h for h in every_h1 if in_article(h)] or every_h1
        names = (*self.SITE_NAMES, *self.meta_values("og:site_name", "application-name"))
        host = (urlsplit(self.response.url).hostname or "").removeprefix("www.")
        titles = [
            *self.ld_values("headline"),
            *self.meta_values("og:title", "twitter:title"),
            *([text_of(h1s[0])] if len(h1s) == 1 else []),
            *text_nodes(elements(self.root, "title")),
        ]
        return [strip_site_name(t, (*names, host)) for t in titles]

    @cached_property
    def marked(self) -> list[Any]:
        """The elements marked as the publication time (``stamps.marked_elements``)."""
        return stamps.marked_elements(self.root)

    def offset_published(self) -> list[str]:
        """Publication times the page states with their offset (JSON-LD, meta): these win."""
        values = [*self.ld_values("datePublished"), *self.meta_values(*_STRUCTURED_DATES)]
        return [v for v in values if has_offset(v)]

    def published(self) -> list[str]:
        """Publication times, best first: structured data, elements marked as published,
        weaker meta names, the article's ``<time>``s, then a lone printed stamp; an update
        time never."""
        return first_found(
            lambda: [
                *self.ld_values("datePublished"),
                *self.meta_values(*_STRUCTURED_DATES),
                *stamps.marked_published(self.marked, self.root),
                *self.meta_values(*_WEAK_DATES),
                *stamps.article_times(self.root),
            ],
            partial(stamps.lone_stamp, self.root),
            valid=read_timestamp,
        )

    def printed_stamps(self) -> list[str]:
        """The publication stamps the page prints for a reader, best first (the reference for
        ``published_at``, ``agreement.agree``): marked elements, the article's ``<time>``s,
        then a lone printed stamp."""
        return first_found(
            partial(stamps.printed_published, self.marked, self.root),
            partial(stamps.lone_stamp, self.root),
            valid=lambda value: read_stamp(value, UTC),
        )

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

    def declared_languages(self) -> list[str]:
        """Every language the page declares, best first: ``<html lang>``, JSON-LD
        ``inLanguage``, ``og:locale``, a language segment of its address (``/fr/``)."""
        paths = filter(None, map(path_language, [*self.urls(), self.response.url]))
        return [*_LANG(self.root), *self.ld_values("inLanguage"),
                *self.meta_values("og:locale"), *paths]  # fmt: skip

    def urls(self) -> list[str]:
        return self.absolute(
            [
                *canonical_links(self.root),
                *self.meta_values("og:url"),
                *self.ld_values("url"),
                *self.ld_values("mainEntityOfPage", "@id"),
            ]
        )

    # Story text by layer, in the order they are tried (the site's own selectors go first).
    def json_ld_text(self) -> str | None:
        """JSON-LD ``articleBody``; markup in it (also entity-escaped) is read as HTML."""
        bodies = [markup_text(b) for b in self.ld_values("articleBody")]
        return next((b for b in bodies if b.strip()), None)

    def microdata_text(self) -> str | None:
        """The element marked ``itemprop="articleBody"`` (schema.org microdata)."""
        texts = [element_text(el) for el in _MICRODATA_BODY(self.root) if el.tag != "meta"]
        metas = [el.get("content", "") for el in _MICRODATA_BODY(self.root) if el.tag == "meta"]
        return next((t for t in (*texts, *metas) if t.strip()), None)

    def chrome_texts(self) -> list[str]:
        """Texts of the page's chrome: header, footer, menus, side boxes, and the elements
        whose class or id names furniture (one holding half the page's text is a wrapper)."""
        limit = _CHROME_MAX_SHARE * len(text_of(self.root))
        named = (e for e in self.root.iter() if isinstance(e.tag, str) and is_furniture(e))
        texts = [text_of(e) for e in named if e.tag not in {"script", "style"}]
        return [
            *(text_of(e) for e in _CHROME(self.root)),
            *(t for t in texts if len(t) <= limit),
        ]

    def generic_text(
        self, prune_xpath: list[str] | None = None, *, recall: bool = False
    ) -> str | None:
        """The page's main text by a maintained extractor (trafilatura; precision mode unless
        ``recall``)."""
        return main_text(self.root, prune_xpath, recall=recall)
