"""MENAFN story pages in HTML: the site's selectors first, generic fallbacks after."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC
from functools import cached_property, partial
from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from newscrawl.dates import is_banner
from newscrawl.extraction.agreement import agree, read_stamp
from newscrawl.extraction.page import HtmlArticlePage, compiled, first_found
from newscrawl.extraction.plausibility import (
    body_problem,
    identity_problem,
    is_site_text,
    landed_elsewhere,
    text_problem,
    unvouched_fallback,
)
from newscrawl.extraction.text import element_text, string_of, text_of
from newscrawl.extraction.tree import elements
from newscrawl.items import Article
from newscrawl.processors import clean_text
from newscrawl.site import Ref, Site
from newscrawl.sites.menafn.marks import has_story_mark
from newscrawl.sites.menafn.story import (
    Story,
    clean_story,
    is_menafn_story,
    load_article,
    story_loader,
    story_paragraphs,
)
from newscrawl.sites.menafn.urls import title_fits_slug

_GMT_TEXT: Any = etree.XPath("descendant::text()[contains(., ' GMT')]")  # banner candidates
_SOFT_404 = re.compile(r"page you (?:were|are) looking for (?:doesn.t|does not) exist", re.I)
STORY = "#ContentPlaceHolder1_div_story"
# The hidden error block ("403", "Sorry!!", "Error! We're sorry…") sits in every real story
# page (menafn-site-2.md C1): it is furniture, wherever a layer looks.
ERROR_BLOCK = ".Style403, .SorryStyle, .ErrorTextStyle, #div_error"
# The legal disclaimer under every story, a block of prose a generic extractor may prefer.
DISCLAIMER = (
    "//*[starts-with(normalize-space(.), 'Legal Disclaimer')]"
    "[string-length(normalize-space(.)) < 1200]"
)
FALLBACK_LAYERS = frozenset({"meta", "generic"})  # layers that may pick up the site's own text
_ERROR_NAMES = frozenset({"style403", "sorrystyle", "errortextstyle", "div_error"})
_FIFTH_DIV: Any = etree.XPath("div[5]")


def is_error_block(element: Any) -> bool:
    """Whether an element is (part of) MENAFN's hidden error block, by its class or id."""
    names = f"{element.get('class', '')} {element.get('id', '')}".lower().split()
    return not _ERROR_NAMES.isdisjoint(names)


class MenafnPage(HtmlArticlePage):
    """A MENAFN story page: site selectors, then JSON-LD, microdata, and trafilatura.

    Every MENAFN selector is scoped inside ``#ContentPlaceHolder1_div_story``: the page theme
    (NewEdge) reuses ``.entry-summary``, ``.entry-date`` and ``.main-entry-title`` in its side
    widgets (``menafn-site-2.md`` E2).
    """

    SITE_NAMES = ("MENAFN", "menafn.com")
    # Body candidates by date of evidence (menafn-site-2.md §3): 2024–2025 configs, then inside
    # the story block the 2024 datathon's class, the React clone's, megaCrawler's 5th child div
    # (2023), and the whole story block. Inside-the-block queries run on the block alone.
    BODY_ID = "#ContentPlaceHolder1_div_story_body"
    BODY_IN_STORY = ("div.entry-summary.entry-summary3", "div.entry-summary.tit")
    TITLE_IN_STORY = "h1.main-entry-title"
    DATE_ID = "#ContentPlaceHolder1_lbl_date_story"
    DATES_IN_STORY = ("span.entry-date", "time.entry-date")
    LAYERS = ("site", "json_ld", "meta", "generic")

    def __init__(self, response: TextResponse, crawled_at: str, ref: Ref | None, site: Site):
        super().__init__(response)
        self.crawled_at = crawled_at
        self.known_ref = ref
        self.site = site
        self.layer: str | None = None  # which layer gave the body, once to_article() ran
        self.paywalled = False  # a subscription prompt cut the story it gave

    def is_own_url(self, url: str) -> bool:
        """This page's URL, or any URL of the story asked for (menafn.com or a mirror)."""
        if self.known_ref:
            found = self.site.story_ref(url)
            if found:
                return found[0] == self.known_ref[0]
        return super().is_own_url(url)

    def ref(self) -> Ref | None:
        """The story id: from where the page came from, else from what the page says it is."""
        if self.known_ref:
            return self.known_ref
        for url in (self.response.url, *self.urls()):
            found = self.site.story_ref(url)
            if found:
                return found
        return None

    @cached_property
    def story_block(self) -> Any:
        """``#ContentPlaceHolder1_div_story``, the block every MENAFN selector is scoped in."""
        found = self.css(STORY)
        return found[0] if found else None

    def in_story(self, query: str) -> list[Any]:
        """Elements a CSS selector matches inside the story block (none without one)."""
        block = self.story_block
        found: list[Any] = [] if block is None else compiled(query)(block)
        return found

    def site_bodies(self) -> Iterator[Any]:
        """The site's body candidates, best first, found only as far as they are needed."""
        yield from self.css(self.BODY_ID)
        for query in self.BODY_IN_STORY:
            yield from self.in_story(query)
        if self.story_block is not None:
            yield from _FIFTH_DIV(self.story_block)
            yield self.story_block

    def layer_texts(self) -> Iterator[tuple[str, Callable[[], str | None]]]:
        """(layer, text source) pairs in order; a source is computed only when reached."""
        for element in self.site_bodies():
            if not is_error_block(element):
                yield "site", partial(element_text, element)
        prune = [compiled(ERROR_BLOCK).path, DISCLAIMER]  # trafilatura takes them for text
        yield "json_ld", self.json_ld_text
        yield "meta", self.microdata_text
        if self.story_block is not None:
            return  # MENAFN's own markup, its story block empty: the story is not in the HTML
        yield "generic", partial(self.generic_text, prune)
        yield "generic", partial(self.generic_text, prune, recall=True)

    def story(self, title: str | None) -> tuple[Story, str | None]:
        """The first layer whose text gives story paragraphs, and the layer's name."""
        for layer, source in self.layer_texts():
            text = source()
            if not text or not text.strip():
                continue
            story = clean_story(story_paragraphs(text), title)
            if story.paragraphs:
                return story, layer
        return Story(), None

    def story_text_of(self, query: str) -> list[str]:
        return [text_of(element) for element in self.in_story(query)]

    def banner(self) -> list[str]:
        """The site banner's texts (``//body//text()`` that ``is_banner``). Looked for only in a
        body whose whole text holds " GMT" (one string built in C), as a text node holding it
        makes the whole text hold it: the search among its text nodes costs a quarter of a
        page's parse, and MENAFN's HTML pages have no banner."""
        found: list[str] = []
        for body in elements(self.root, "body"):
            if not any(a.tag == "body" for a in body.iterancestors()) and " GMT" in string_of(body):
                found += _GMT_TEXT(body)
        return [t for t in found if is_banner(t)]

    def site_tags(self) -> list[str]:
        """The tag widget's links; a widget that is there but empty means no tags."""
        widget = self.css("#ContentPlaceHolder1_lbl_hashtags")
        if not widget:
            return self.tags()
        links = [text_of(a) for a in widget[0].iter("a")]
        return links or [t for t in re.split(r"[,#]", string_of(widget[0])) if t.strip()]

    def provider_logo(self) -> list[str]:
        logos = self.css("#ContentPlaceHolder1_img_logo_anchor")
        return [logo.get(name) for logo in logos for name in ("alt", "title") if logo.get(name)]

    def is_site_page(self, article: Article) -> bool:
        """Whether this is a MENAFN story page at all (and not some other saved page)."""
        return (
            is_menafn_story(article)
            or self.story_block is not None
            or bool(self.css(self.TITLE_IN_STORY))
        )

    def problem(self, article: Article) -> str | None:
        """Why this page gives no trustworthy article: not the story asked for (a redirect, a
        page that names another story or whose title is not the link's), a soft 404, page
        chrome for a body, or broken text. The surest reason goes first."""
        requested, slug = self.known_ref or ("", "")
        if requested and self.response.url.startswith(("http://", "https://")):
            landed = landed_elsewhere(requested, self.response.url, self.site.story_ref)
            if landed:
                return landed
        if requested:
            wrong = identity_problem(
                requested, self.urls(), article.tracking_id, self.site.story_ref
            )
            if wrong:
                return wrong
        unfound = article.body is None or self.layer in FALLBACK_LAYERS
        if unfound and _SOFT_404.search(self.visible_text()):
            return "soft 404: the site says the page does not exist"
        paragraphs = article.body.split("\n\n") if article.body else []
        found = body_problem(paragraphs, article.dateline)
        if found:
            return found
        if self.paywalled and self.layer != "json_ld":
            return "not the whole story: a subscription prompt cuts it (a teaser only)"
        if self.layer in FALLBACK_LAYERS and is_site_text(paragraphs, self.chrome_texts()):
            sample = " / ".join(paragraphs)[:120]
            return f"not a story: the body is the site's own text ({sample})"
        found = unvouched_fallback(
            article.title, article.dateline, article.body or "", has_story_mark
        )
        if found:
            return found
        vouched = bool(article.tracking_id) or any(map(self.site.story_ref, self.urls()))
        if requested and not vouched and not title_fits_slug(article.title or "", slug):
            return f"not the requested story (its title {article.title!r} is not the link's)"
        return text_problem(article)

    def to_article(self) -> Article:
        h1 = partial(self.story_text_of, self.TITLE_IN_STORY)
        titles = first_found(h1, self.titles, valid=clean_text)
        title = clean_text(titles[0]) if titles else None
        story, self.layer = self.story(title)
        self.paywalled = story.paywalled
        loader = story_loader(
            self.site, self.ref(), self.response.url, self.crawled_at, title, story
        )
        dates = [
            partial(self.css_text, self.DATE_ID),
            *(partial(self.story_text_of, query) for query in self.DATES_IN_STORY),
        ]
        printed = first_found(*dates, self.printed_stamps, valid=parse_stamp)  # the reference
        published = agree(printed, [*self.offset_published(), *self.published()], self.site.clock)
        loader.add_value("published_at", published.at)
        loader.add_value("published_text", published.text)
        loader.add_value("page_date", self.banner())
        loader.add_value("provider", self.provider_logo())
        loader.add_value("summary", self.summaries())
        loader.add_value("image_url", first_found(self.story_image, self.images))
        loader.add_value("tags", self.site_tags())
        cats = partial(self.css_text, "#ContentPlaceHolder1_lblb_cats")
        loader.add_value("category", first_found(cats, self.categories))
        loader.add_value("body_layer", self.layer)
        return load_article(loader, self.declared_languages(), published.disagreements())

    def story_image(self) -> list[str]:
        return self.absolute([img.get("src", "") for img in self.css("#ImgNews")])


def parse_stamp(value: str) -> bool:
    """Whether a value reads as a printed stamp, a date alone included (the zone does not
    matter for that)."""
    return read_stamp(value, UTC) is not None
