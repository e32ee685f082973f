"""WireReleasePage: what the press-release wires' pages share; each wire's page class gives its
selectors, its site definition who it is (the release-text rules are in ``wire_story.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property, partial
from typing import ClassVar
from urllib.parse import urljoin

from scrapy.http import TextResponse

from newscrawl.extraction.agreement import agree
from newscrawl.extraction.corrections import corrected_release
from newscrawl.extraction.language import judge_language
from newscrawl.extraction.legends import is_correction
from newscrawl.extraction.page import HtmlArticlePage, document_base, first_found
from newscrawl.extraction.plausibility import (
    body_problem,
    identity_problem,
    is_site_text,
    landed_elsewhere,
    text_problem,
    unvouched_fallback,
)
from newscrawl.extraction.text import element_text
from newscrawl.extraction.tickers import find_tickers
from newscrawl.extraction.tree import canonical_links
from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.processors import clean_text
from newscrawl.site import Ref, Site
from newscrawl.sites.wire_story import (
    WIRE_DATELINE,
    Release,
    release_story,
    split_wire_dateline,
)


class WireReleasePage(HtmlArticlePage):
    """A press release page of a wire: site selectors in subclasses, shared rules here; who
    the wire is (its name, provider, URL rule, canonical URLs) comes from its ``Site``."""

    TITLE_SELECTORS: ClassVar[tuple[str, ...]]
    BODY_SELECTORS: ClassVar[tuple[str, ...]]
    STAMP_SELECTORS: ClassVar[tuple[str, ...]]  # the stamp the page prints
    ISSUER_SELECTORS: ClassVar[tuple[str, ...]]
    DATELINE: ClassVar[re.Pattern[str]] = WIRE_DATELINE  # the datelines the wire prints

    def __init__(self, response: TextResponse, crawled_at: str, ref: Ref | None, site: Site):
        super().__init__(response)
        self.crawled_at = crawled_at
        self.site = site
        self.known_id = ref[0] if ref else None  # the release asked for (a link, a file name)
        self.layer: str | None = None  # which layer gave the body, once to_article() ran

    @cached_property
    def ref(self) -> tuple[str, str] | None:
        """(release id, URL): the id asked for, else the one of the URL read, else the one the
        page's canonical link or ``og:url`` names; the URL the page states for that id (on the
        wire's own host), else the URL read."""
        page_base = document_base(self.root, self.response.url)
        links = [*canonical_links(self.root), *self.meta_values("og:url")]
        stated = [self.site.story_ref(urljoin(page_base, url.strip())) for url in links]
        read = self.site.story_ref(self.response.url)
        story_id = self.known_id or next((ref[0] for ref in (read, *stated) if ref), None)
        if story_id is None:
            return None
        path = next((ref[1] for ref in (*stated, read) if ref and ref[0] == story_id), None)
        url = self.site.canonical_url(story_id, path) if path else self.response.url
        return story_id, url

    @cached_property
    def base_url(self) -> str:
        """Relative links resolve against the release's own address, also on a saved page."""
        ref = self.ref
        return document_base(self.root, ref[1] if ref else self.response.url)

    def first_text(self, queries: tuple[str, ...]) -> list[str]:
        return first_found(*(partial(self.css_text, q) for q in queries), valid=clean_text)

    def layer_texts(self) -> list[tuple[str, Callable[[], str | None]]]:
        """(layer, text source) pairs in the order they are tried; each computed when reached:
        the site's selectors, then the shared fallbacks of ``pages/base.py``."""
        site = [el for query in self.BODY_SELECTORS for el in self.css(query)]
        return [
            *(("site", partial(element_text, el)) for el in site),
            ("json_ld", self.json_ld_text),
            ("meta", self.microdata_text),
            ("generic", self.generic_text),
        ]

    def published_values(self) -> list[str]:
        """Publication times the page states besides its printed stamp, best first; subclasses
        put the site's own sources in front."""
        return self.published()

    def stamps(self) -> list[str]:
        """The publication stamp the page prints (``25 Apr, 2016, 03:39 ET``): the wire's own
        element, else the generic printed stamps."""
        return self.first_text(self.STAMP_SELECTORS) or self.printed_stamps()

    def release_id(self, url: str) -> str | None:
        """The article id of a release of this wire that a link names, else None."""
        ref = self.site.story_ref(urljoin(self.base_url, url.strip()))
        return f"{self.site.name}:{ref[0]}" if ref else None

    def body_links(self) -> list[str]:
        """The addresses the release's own text links to (its site body elements)."""
        site = [el for query in self.BODY_SELECTORS for el in self.css(query)]
        return self.absolute([href for el in site for href in el.xpath(".//a/@href")])

    def images(self) -> list[str]:
        """The release's image; the issuer's logo (GlobeNewswire's ``/news-release/logo/``,
        ``…_Logo.jpg``) is not one."""
        return [url for url in super().images() if "/logo/" not in url.lower()]

    def issuers(self) -> list[str]:
        return [*self.first_text(self.ISSUER_SELECTORS), *self.meta_values("author")]

    def is_site_page(self, article: Article) -> bool:
        """Whether this is one of the wire's release pages at all: its URL or canonical link is
        a release's, or the wire's own selectors found the release."""
        return self.ref is not None or self.layer == "site"

    def opens_with_dateline(self, text: str) -> bool:
        """Whether a text opens with the wire's dateline, the mark of its releases."""
        return split_wire_dateline(text, self.DATELINE)[0] is not None

    def problem(self, article: Article) -> str | None:
        """Why this page gives no trustworthy article: not the release asked for (a redirect,
        a canonical link naming another release), a notice or chrome for a body, a body from a
        generic layer with no mark of a release, or broken text. The surest reason first."""
        requested = self.known_id
        if requested and self.response.url.startswith(("http://", "https://")):
            landed = landed_elsewhere(requested, self.response.url, self.site.story_ref)
            if landed:
                return landed
        if requested:
            wrong = identity_problem(requested, self.urls(), None, self.site.story_ref)
            if wrong:
                return wrong
        paragraphs = article.body.split("\n\n") if article.body else []
        found = body_problem(paragraphs, article.dateline)
        if not found and self.layer in {"meta", "generic"}:
            if is_site_text(paragraphs, self.chrome_texts()):
                sample = " / ".join(paragraphs)[:120]
                return f"not a story: the body is the site's own text ({sample})"
            found = unvouched_fallback(
                article.title, article.dateline, article.body or "", self.opens_with_dateline
            )
        return found or text_problem(article)

    def to_article(self) -> Article:
        loader = ArticleLoader(zone=self.site.clock)
        ref = self.ref
        if ref:
            loader.add_value("id", f"{self.site.name}:{ref[0]}")
            loader.add_value("url", ref[1])
        loader.add_value("url", self.response.url)
        loader.add_value("fetched_from", self.response.url)
        loader.add_value("source", self.site.name)
        loader.add_value("crawled_at", self.crawled_at)
        titles = first_found(partial(self.first_text, self.TITLE_SELECTORS), self.titles,
                             valid=clean_text)  # fmt: skip
        loader.add_value("title", titles)
        release = self.add_story(loader, clean_text(titles[0]) if titles else None)
        published = agree(self.stamps(), self.published_values(), self.site.clock)
        loader.add_value("published_at", published.at)
        loader.add_value("published_text", published.text)
        loader.add_value("provider", self.site.provider)
        loader.add_value("summary", self.summaries())
        loader.add_value("image_url", self.images())
        loader.add_value("tags", self.tags())
        loader.add_value("category", self.categories())
        article: Article = loader.load_item()
        self.add_release_marks(article, release)
        article.disagreements = published.disagreements()
        judge_language(article, self.declared_languages())
        return article

    def add_story(self, loader: ArticleLoader, title: str | None) -> Release:
        """The dateline, the body without furniture and legends, the issuer (the site's own
        first), and the layer that gave the body (run health); the release as read."""
        release = Release(None, [], None, [])
        for layer, source in self.layer_texts():
            release = release_story(source() or "", self.DATELINE, title)
            if release.paragraphs:
                loader.add_value("dateline", release.dateline)
                loader.add_value("body", "\n\n".join(release.paragraphs))
                loader.add_value("body_layer", layer)
                self.layer = layer
                break
        loader.add_value("organization", [*self.issuers(), *filter(None, [release.issuer])])
        return release

    def add_release_marks(self, article: Article, release: Release) -> None:
        """The issuer's listings (``tickers``), and the release a correction replaces
        (``corrects``), from the release's own text and links."""
        article.tickers = find_tickers(article.body or "", article.organization)
        if is_correction(release.notes, article.title):
            links = self.body_links()
            article.corrects = corrected_release(release.notes, links, self.release_id, article.id)
