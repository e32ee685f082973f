"""MENAFN story pages saved as text renderings (the layout of the bundled sample page)."""

from __future__ import annotations

import re

from newscrawl.dates import is_banner, looks_like_timestamp, read_timestamp
from newscrawl.extraction.plausibility import body_problem, text_problem
from newscrawl.items import Article
from newscrawl.processors import slug_words
from newscrawl.site import Ref, Site
from newscrawl.sites.menafn.marks import find_tracking_id, split_dateline
from newscrawl.sites.menafn.story import (
    clean_story,
    is_error_block_line,
    is_menafn_story,
    load_article,
    story_loader,
    story_paragraphs,
)
from newscrawl.sites.menafn.urls import slugify

# A page store put " date YYYY-MM-DD " in front of the first line; MENAFN never prints it.
_STORE_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}(?:\s|$)")
_MAX_TITLE_WORDS = 30
_SKIPPED_HEADER = frozenset({"--", "\u0639\u0631\u0628\u064a"})  # a rule, the عربي link


def is_navigation(line: str) -> bool:
    """A menu line: short items set apart by wide gaps or bars (titles have neither).

    >>> is_navigation("                 Entertainment          Sport")
    True
    >>> is_navigation("|      Politics          Economy     Oil&Energy  ")
    True
    >>> is_navigation("Kuwait Strongly Denounces Austrian School Shooting")
    False
    """
    items = [i for i in re.split(r"\s{3,}|\|", line.strip()) if i.strip()]
    gaps = len(items) >= 2 or line.strip().startswith("|")
    return gaps and all(len(item.split()) <= 3 for item in items)


def is_title(line: str) -> bool:
    """A heading rather than a story sentence or an agency dateline."""
    words = line.split()
    return 0 < len(words) <= _MAX_TITLE_WORDS and not re.search(r"[.!?]$|--?$|\u2013$", line)


class MenafnTextPage:
    """A text rendering: banner, title, timestamp, dateline and story, each maybe missing."""

    layer: str | None = "text"  # the extraction layer, for run health

    def __init__(self, text: str, url: str, ref: Ref | None, crawled_at: str, site: Site):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.url = url
        self.ref = ref
        self.crawled_at = crawled_at
        self.site = site

    def is_title(self, line: str) -> bool:
        """A heading; or any line that is the page's own slug in words (``Is Oil Back?``)."""
        slug = self.ref[1] if self.ref else ""
        return is_title(line) or bool(slug and slugify(line).lower() == slug.lower())

    def split_header(self) -> tuple[dict[str, str], list[str]]:
        """Header values (banner, title, timestamp) and the story lines after them."""
        header: dict[str, str] = {}
        lines = list(self.lines)
        if lines:
            lines[0] = _STORE_PREFIX.sub("", lines[0])
        for index, raw in enumerate(lines):
            line = " ".join(raw.split())
            if not line or line in _SKIPPED_HEADER or is_navigation(raw):
                continue
            if is_error_block_line(line):  # hidden on the page, before the headline or not
                continue
            if split_dateline(line)[0] or find_tracking_id(line):
                return header, lines[index:]
            if is_banner(line) and "banner" not in header:
                header["banner"] = line
            elif looks_like_timestamp(line):  # one that does not parse is dropped, not merged
                if read_timestamp(line) and "time" not in header:
                    header["time"] = line
            elif "title" not in header and "time" not in header and self.is_title(line):
                header["title"] = line
            elif line != header.get("title"):
                return header, lines[index:]
        return header, []

    def is_site_page(self, article: Article) -> bool:
        """Whether this is a MENAFN story page at all (and not some other saved text)."""
        return is_menafn_story(article)

    def is_complete(self) -> bool:
        """A text rendering has no end tag to miss: whatever it holds is judged by its text."""
        return True

    def problem(self, article: Article) -> str | None:
        """Why this page gives no trustworthy article (a notice, no story, broken text)."""
        paragraphs = article.body.split("\n\n") if article.body else []
        return body_problem(paragraphs, article.dateline) or text_problem(article)

    def to_article(self) -> Article:
        header, story_lines = self.split_header()
        title = header.get("title") or (slug_words(self.ref[1]) if self.ref else None)
        story = clean_story(story_paragraphs("\n".join(story_lines)), title)
        loader = story_loader(self.site, self.ref, self.url, self.crawled_at, title, story)
        loader.add_value("published_at", header.get("time"))
        loader.add_value("published_text", header.get("time"))
        loader.add_value("page_date", header.get("banner"))
        loader.add_value("body_layer", self.layer)
        return load_article(loader)
