"""MENAFN story pages: the site's selectors, its story furniture, and the article they give."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.pages.base import HtmlArticlePage, first_found
from newscrawl.pages.paragraphs import drop_repeats, paragraphs_from_text
from newscrawl.pages.text import element_text, parse_html_fragment
from newscrawl.processors import (
    clean_text,
    find_tracking_id,
    has_mojibake,
    is_banner,
    parse_datetime,
    split_dateline,
)
from newscrawl.urls import canonical_url, slugify, story_ref

SOURCE = "menafn"
LANGUAGE = "en"  # the English site; the Arabic one lives elsewhere

_FOOTER = re.compile(r"^(?:Legal Disclaimer|MENAFN provides the information|CommentsNo comment)")
_FURNITURE_LINE = re.compile(
    r"^(?:Read (?:also|more)\s*:.*"
    r"|(?:Photo|Photos|Image|Picture)(?: credit)?\s*:\s*\S.{0,60}"
    r"|\S*\.(?:jpe?g|png|gif|webp)\)?"
    r"|Tags|Category|Date|Comments|No comment|--|403|\u0639\u0631\u0628\u064a)$",
    re.IGNORECASE,
)
_END_MARK = re.compile(r"\s*\(end\)(?:\s+[a-z]{1,5}){0,2}\s*$")
_INITIALS = re.compile(r"^[a-z]{1,5}(?:\s+[a-z]{1,5})?$")


_GMT_TEXT: Any = etree.XPath("//body//text()[contains(., ' GMT')]")  # banner candidates, in C


@dataclass
class Story:
    """The story part of a page: its dateline, paragraphs and tracking stamp."""

    dateline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    tracking_id: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def _cut_footer(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Everything from the tracking stamp or the legal disclaimer on is page furniture."""
    for index, paragraph in enumerate(paragraphs):
        tracking_id = find_tracking_id(paragraph)
        if tracking_id:
            before = paragraph[: paragraph.index(tracking_id)].strip()
            return [*paragraphs[:index], *([before] if before else [])], tracking_id
        if _FOOTER.match(paragraph):
            return paragraphs[:index], None
    return paragraphs, None


def _drop_end_marks(paragraphs: list[str]) -> list[str]:
    """Remove agency end markers ``(end)`` and the editor initials that follow them."""
    kept: list[str] = []
    after_end = False
    for paragraph in paragraphs:
        if after_end and _INITIALS.match(paragraph):
            continue
        stripped = _END_MARK.sub("", paragraph)
        after_end = stripped != paragraph
        if stripped:
            kept.append(stripped)
    return kept


def clean_story(paragraphs: list[str], title: str | None) -> Story:
    """MENAFN's rules on a story's paragraphs: dateline off, furniture out, repeats once."""
    paragraphs = [p for p in paragraphs if p != title]
    dateline = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0])
        paragraphs = [rest, *paragraphs[1:]] if rest else paragraphs[1:]
    paragraphs, tracking_id = _cut_footer(paragraphs)
    paragraphs = [p for p in paragraphs if not _FURNITURE_LINE.match(p)]
    paragraphs = drop_repeats(_drop_end_marks(paragraphs))
    return Story(dateline, paragraphs, tracking_id)


def story_loader(
    ref: tuple[str, str] | None, url: str, crawled_at: str, title: str | None, story: Story
) -> ArticleLoader:
    """A loader holding what every MENAFN page kind gives the same way: identity and story.

    The canonical URL and id where the story id is known; else the page's own URL (the
    loader's TakeFirst keeps the first) and an id from the content hash.
    """
    loader = ArticleLoader()
    if ref:
        story_id, slug = ref
        loader.add_value("id", f"{SOURCE}:{story_id}")
        loader.add_value("url", canonical_url(story_id, slug or slugify(title or "")))
    loader.add_value("url", url)
    loader.add_value("fetched_from", url)
    loader.add_value("source", SOURCE)
    loader.add_value("crawled_at", crawled_at)
    loader.add_value("title", title)
    loader.add_value("dateline", story.dateline)
    loader.add_value("body", story.body)
    loader.add_value("tracking_id", story.tracking_id)
    return loader


_SOFT_404 = re.compile(r"page you (?:were|are) looking for (?:doesn.t|does not) exist", re.I)


def text_problem(article: Article) -> str | None:
    """Why an article's text cannot be trusted (bytes lost in decoding, mojibake), if so."""
    for name in ("title", "body"):
        value = getattr(article, name)
        if value and has_mojibake(value):
            return f"undecodable text in {name}"
    return None


def is_menafn_story(article: Article) -> bool:
    """A story id, a MENAFN dateline or a MENAFN stamp marks a MENAFN page."""
    has_id = bool(article.id and not article.id.startswith(f"{SOURCE}:h"))
    return has_id or bool(article.dateline or article.tracking_id or article.page_date)


class MenafnPage(HtmlArticlePage):
    """A MENAFN story page in HTML: site selectors first, generic fallbacks after."""

    BODY_SELECTORS = (
        "#ContentPlaceHolder1_div_story_body",
        ".entry-summary.tit",
        "#ContentPlaceHolder1_div_story",
    )
    DATE_SELECTORS = (
        "#ContentPlaceHolder1_lbl_date_story",
        "span.entry-date",
        "time.entry-date",
    )

    def __init__(
        self, response: TextResponse, crawled_at: str, ref: tuple[str, str] | None = None
    ) -> None:
        super().__init__(response)
        self.crawled_at = crawled_at
        self.known_ref = ref

    def ref(self) -> tuple[str, str] | None:
        """The story id: from where the page came from, else from what the page says it is."""
        if self.known_ref:
            return self.known_ref
        for url in (self.response.url, *self.urls()):
            found = story_ref(url)
            if found:
                return found
        return None

    def story_text(self) -> str | None:
        for query in self.BODY_SELECTORS:
            for element in self.css(query):
                text = element_text(element)
                if text.strip():
                    return text
        bodies = self.bodies()
        return parse_html_fragment(bodies[0]) if bodies else None

    def banner(self) -> list[str]:
        return [t for t in _GMT_TEXT(self.root) if is_banner(t)]

    def site_tags(self) -> list[str]:
        """The tag widget's links; a widget that is there but empty means no tags."""
        widget = self.css("#ContentPlaceHolder1_lbl_hashtags")
        if not widget:
            return self.tags()
        links = [" ".join(a.xpath("string()").split()) for a in widget[0].iter("a")]
        return links or [t for t in re.split(r"[,#]", widget[0].xpath("string()")) if t.strip()]

    def provider_logo(self) -> list[str]:
        logos = self.css("#ContentPlaceHolder1_img_logo_anchor")
        return [logo.get(name) for logo in logos for name in ("alt", "title") if logo.get(name)]

    def is_menafn(self, article: Article) -> bool:
        """Whether this is a MENAFN story page at all (and not some other saved page)."""
        marks = "#ContentPlaceHolder1_div_story, h1.main-entry-title"
        return is_menafn_story(article) or bool(self.css(marks))

    def problem(self, article: Article) -> str | None:
        """Why this page gives no trustworthy article: a soft 404, or broken text."""
        if article.body is None and _SOFT_404.search(self.visible_text()):
            return "soft 404: the site says the page does not exist"
        return text_problem(article)

    def to_article(self) -> Article:
        h1 = "h1.main-entry-title"
        titles = first_found(partial(self.css_text, h1), self.titles, valid=clean_text)
        title = clean_text(titles[0]) if titles else None
        text = self.story_text()
        story = clean_story(paragraphs_from_text(text), title) if text else Story()
        loader = story_loader(self.ref(), self.response.url, self.crawled_at, title, story)
        dates = [partial(self.css_text, query) for query in self.DATE_SELECTORS]
        loader.add_value("published_at", first_found(*dates, self.published, valid=parse_datetime))
        loader.add_value("page_date", self.banner())
        loader.add_value("provider", self.provider_logo())
        loader.add_value("summary", self.summaries())
        loader.add_value("image_url", first_found(self.story_image, self.images))
        loader.add_value("tags", self.site_tags())
        cats = partial(self.css_text, "#ContentPlaceHolder1_lblb_cats")
        loader.add_value("category", first_found(cats, self.categories))
        loader.add_value("language", [*self.languages(), LANGUAGE])
        article: Article = loader.load_item()
        return article

    def story_image(self) -> list[str]:
        return self.absolute([img.get("src", "") for img in self.css("#ImgNews")])
