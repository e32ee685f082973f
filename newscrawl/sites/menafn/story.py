"""MENAFN's story rules, shared by every page kind: dateline, furniture, end marks, tracking id.

Whatever layer found a page's text (site selectors, JSON-LD, microdata, trafilatura, a text
rendering), it goes through the same rules here, so every layer gives the same article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newscrawl.dates import is_banner, looks_like_timestamp
from newscrawl.extraction.language import judge_language
from newscrawl.extraction.paragraphs import drop_related_links, drop_repeats, paragraphs_from_text
from newscrawl.extraction.plausibility import is_furniture, is_paywall
from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.site import Ref, Site
from newscrawl.sites.menafn.marks import (
    DATELINE_HEAD,
    find_tracking_id,
    provider_from_dateline,
    split_dateline,
)
from newscrawl.sites.menafn.urls import slugify

LANGUAGE = "en"  # the English site; the Arabic one lives elsewhere

_FOOTER = re.compile(r"^(?:Legal Disclaimer|MENAFN provides the information|CommentsNo comment)")
# The hidden error block every story page carries, found or not (menafn-site-2.md C1): "403",
# "Sorry!!", "Error! We're sorry, but the page you were looking for doesn't exist."
_ERROR_BLOCK = r"403|Sorry!+|Error! We.re sorry, but the page you were looking for doesn.t exist\.?"
_ERROR_BLOCK_LINE = re.compile(rf"^(?:{_ERROR_BLOCK})$", re.IGNORECASE)
_FURNITURE_LINE = re.compile(
    r"^(?:\(?(?:Photo|Photos|Image|Picture)(?: credit)?\s*[:/]\s*[^()]{1,60}\)?"
    r"|\S*\.(?:jpe?g|png|gif|webp)\)?"
    rf"|{_ERROR_BLOCK}"
    r"|Tags|Category|Date|Comments|No comment|--|\u0639\u0631\u0628\u064a)$",
    re.IGNORECASE,
)
_END_MARK = re.compile(r"\s*\((?i:end)\)(?:\s+[a-z]{1,5}){0,2}\s*$")
_INITIALS = re.compile(r"^[a-z]{1,5}(?:\s+[a-z]{1,5})?$")
_LEAD_IN_LINES = 5  # chrome lines a dateline may follow
_LEAD_IN_WORDS = 8  # a sentence before the dateline has this many words at least
_SENTENCE = re.compile(r"[.!?\u201d\"]$")


@dataclass
class Story:
    """The story part of a page: its dateline, paragraphs and tracking stamp."""

    dateline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    tracking_id: str | None = None
    paywalled: bool = False  # a subscription prompt cut the story: what is left is a teaser

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


def is_error_block_line(line: str) -> bool:
    """A line of MENAFN's hidden error block: furniture on every page, never a sign that the
    story is missing, never its headline.

    >>> is_error_block_line("Sorry!!"), is_error_block_line("Error! We’re sorry, but the page you"
    ...                                                     " were looking for doesn’t exist.")
    (True, True)
    >>> is_error_block_line("Sorry, the minister said, talks failed.")
    False
    """
    return bool(_ERROR_BLOCK_LINE.match(line.strip()))


def _is_page_furniture(paragraph: str, title: str | None) -> bool:
    """A line that is never story text: the title again, a stamp, the banner, a label."""
    return (
        paragraph == title
        or looks_like_timestamp(paragraph)
        or is_banner(paragraph)
        or bool(_FURNITURE_LINE.match(paragraph))
        or is_furniture(paragraph)
    )


def _from_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The dateline and the story after it. A story starts at its dateline: lines before it
    that are not sentences (a breadcrumb and headline, a "Published:" line, a label) are page
    chrome that a layer kept; a sentence before any dateline means the story has none."""
    for index, paragraph in enumerate(paragraphs[: _LEAD_IN_LINES + 1]):
        dateline, rest = split_dateline(paragraph)
        if dateline:
            return dateline, [*([rest] if rest else []), *paragraphs[index + 1 :]]
        if _SENTENCE.search(paragraph) and len(paragraph.split()) >= _LEAD_IN_WORDS:
            break
    return None, paragraphs


def story_paragraphs(text: str) -> list[str]:
    """Paragraphs of a MENAFN story's text: a line starting a dateline is never joined onto
    the line before it."""
    return paragraphs_from_text(text, DATELINE_HEAD)


def clean_story(paragraphs: list[str], title: str | None) -> Story:
    """MENAFN's rules on a story's paragraphs: footer cut, furniture out, dateline off, end
    marks and related links out, repeats once."""
    paragraphs, tracking_id = _cut_footer(paragraphs)
    prompts = [is_paywall(p) for p in paragraphs]
    paywalled = any(prompts)
    paragraphs = [
        p for p, prompt in zip(paragraphs, prompts, strict=True)
        if not prompt and not _is_page_furniture(p, title)
    ]  # fmt: skip
    dateline, paragraphs = _from_dateline(paragraphs)
    paragraphs = drop_repeats(_drop_end_marks(drop_related_links(paragraphs)))
    return Story(dateline, paragraphs, tracking_id, paywalled)


def story_loader(
    site: Site, ref: Ref | None, url: str, crawled_at: str, title: str | None, story: Story
) -> ArticleLoader:
    """A loader holding what every MENAFN page kind gives the same way: identity and story.

    The canonical URL and id where the story id is known; else the page's own URL (the
    loader's TakeFirst keeps the first) and an id from the content hash. Stamps without an
    offset are read on the site's clock.
    """
    loader = ArticleLoader(zone=site.clock)
    if ref:
        story_id, slug = ref
        loader.add_value("id", f"{site.name}:{story_id}")
        loader.add_value("url", site.canonical_url(story_id, slug or slugify(title or "")))
    loader.add_value("url", url)
    loader.add_value("fetched_from", url)
    loader.add_value("source", site.name)
    loader.add_value("crawled_at", crawled_at)
    loader.add_value("title", title)
    loader.add_value("dateline", story.dateline)
    loader.add_value("body", story.body)
    loader.add_value("tracking_id", story.tracking_id)
    return loader


def load_article(
    loader: ArticleLoader, declared: list[str] | None = None, disagreements: list[str] | None = None
) -> Article:
    """The loader's article, its provider the one its dateline names: a MENAFN dateline names
    who wrote the story (MENAFN itself, or the syndicated provider); a logo is only a fallback.
    Its language is its text's, the ``declared`` languages a cross-check (``judge_language``);
    ``disagreements`` are what the page's own values contradicted each other on.
    """
    article: Article = loader.load_item()
    if article.dateline and split_dateline(article.dateline)[0]:
        article.provider = provider_from_dateline(article.dateline)
    article.disagreements = list(disagreements or [])
    judge_language(article, [*(declared or []), LANGUAGE])
    return article


def is_menafn_story(article: Article) -> bool:
    """A story id, a MENAFN dateline or a MENAFN stamp marks a MENAFN page."""
    has_id = bool(article.id and not article.id.startswith(f"{article.source}:h"))
    return has_id or bool(article.dateline or article.tracking_id or article.page_date)
