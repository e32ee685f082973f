"""Benchmark 1d: which maintained extractor should be the last layer, on markup nobody knows.

Pages where no site selector and no JSON-LD applies: the local site's redesigned layout
(`<br>`-separated text in an anonymous `<div>`), and the HTML fixtures with their MENAFN ids,
theme classes and JSON-LD taken out. Each candidate's text goes through the same MENAFN story
rules as in production (`clean_story`), then is scored against the known body.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from typing import Any

import lxml.html

from bench.extraction import Page, fixture_pages, same_text, token_f1
from bench.report import Results, Table
from newscrawl.extraction.generic import main_text
from newscrawl.extraction.page import compiled
from newscrawl.extraction.text import element_text
from newscrawl.processors import clean_body
from newscrawl.sites.menafn.page import DISCLAIMER, ERROR_BLOCK
from newscrawl.sites.menafn.story import clean_story, story_paragraphs
from tests.site import synthetic_stories
from tests.site.pages import render_article_redesigned, render_article_scripted

PRUNE = [compiled(ERROR_BLOCK).path, DISCLAIMER]
_SITE_MARKUP = re.compile(
    r'\s(?:id|class)="[^"]*(?:ContentPlaceHolder|entry-summary|main-entry-title|entry-date|ImgNews)'
    r'[^"]*"'
)
_JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.DOTALL)


def anonymised(page: Page) -> Page:
    """A fixture page with MENAFN's ids and theme classes, and its JSON-LD, taken out."""
    html = _JSON_LD.sub("", _SITE_MARKUP.sub("", page.html))
    return Page(page.url, html, html.encode(), page.ref, page.expected)


def redesigned_pages(n: int) -> list[Page]:
    stories = synthetic_stories(n + 10, seed=5)
    pages = []
    for i, story in enumerate(stories[:n]):
        html = render_article_redesigned(story, more=stories[i + 1 : i + 11])
        expected = {"title": story.title, "body": story.body}
        url = f"https://menafn.com{story.path}"
        pages.append(Page(url, html, html.encode(), (str(story.id), story.slug), expected))
    return pages


def storyless_pages(n: int) -> list[Page]:
    """Pages whose story is not in the HTML (scripts would render it): no body is right."""
    pages = []
    for story in synthetic_stories(n, seed=6):
        html = render_article_scripted(story)
        expected = {"title": story.title, "body": ""}
        url = f"https://menafn.com{story.path}"
        pages.append(Page(url, html, html.encode(), (str(story.id), story.slug), expected))
    return pages


def _trafilatura(root: Any, **options: Any) -> str | None:
    import trafilatura

    from newscrawl.extraction.generic import extraction_text

    document: Any = trafilatura.bare_extraction(
        root, include_comments=False, include_tables=False, **options
    )
    return extraction_text(document.body) if document and document.body is not None else None


def shipped(root: Any) -> str | None:
    """What newscrawl runs: precision first, recall where precision gave no story."""
    for recall in (False, True):
        text = main_text(root, PRUNE, recall=recall)
        if text and clean_story(story_paragraphs(text), None).paragraphs:
            return text
    return None


def readability(root: Any) -> str | None:
    from readability import Document  # type: ignore[import-untyped]

    summary = Document(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)
    return element_text(lxml.html.fromstring(summary))


def justext_text(root: Any) -> str | None:
    import justext  # type: ignore[import-untyped]

    html = lxml.html.tostring(root)
    paragraphs = justext.justext(html, justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def newspaper_text(root: Any) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper  # type: ignore[import-untyped]

    article = newspaper.Article("https://menafn.com/x", fetch_images=False)
    article.download(input_html=lxml.html.tostring(root, encoding="unicode"))
    article.parse()
    return str(article.text)


CANDIDATES: dict[str, Callable[[Any], str | None]] = {
    "trafilatura precision, then recall (shipped)": shipped,
    "trafilatura precision": lambda r: _trafilatura(r, favor_precision=True, prune_xpath=PRUNE),
    "trafilatura default": lambda r: _trafilatura(r, prune_xpath=PRUNE),
    "trafilatura recall": lambda r: _trafilatura(r, favor_recall=True, prune_xpath=PRUNE),
    "readability-lxml": readability,
    "jusText": justext_text,
    "newspaper4k": newspaper_text,
}


def score(extract: Callable[[Any], str | None], pages: list[Page]) -> tuple[float, float, float]:
    """(% exact body, mean body token F1 %, ms/page) after MENAFN's story rules."""
    exact = f1 = 0.0
    started = time.perf_counter()
    for page in pages:
        text = extract(lxml.html.fromstring(page.body)) or ""
        story = clean_story(story_paragraphs(text), page.expected["title"])
        body = clean_body(story.body) or ""  # as the item loader cleans it
        exact += same_text(body) == same_text(page.expected["body"])
        f1 += token_f1(body, page.expected["body"])
    seconds = time.perf_counter() - started
    return 100 * exact / len(pages), 100 * f1 / len(pages), 1000 * seconds / len(pages)


def run(pages_wanted: int, results: Results) -> None:
    sets = {
        "redesigned layout": redesigned_pages(pages_wanted),
        "fixtures, site markup removed": [anonymised(p) for p in fixture_pages()],
    }
    storyless = storyless_pages(max(5, pages_wanted // 4))
    table = Table(
        "1d. The last layer: generic extractors on markup no selector knows",
        [
            "extractor",
            *(f"{k} ({len(v)}): exact % / F1 % / ms" for k, v in sets.items()),
            f"story not in the HTML ({len(storyless)}): % with a body",
        ],
    )
    for name, extract in CANDIDATES.items():
        cells = []
        for pages in sets.values():
            exact, f1, ms = score(extract, pages)
            cells.append(f"{exact:.0f} / {f1:.0f} / {ms:.1f}")
            results.values[f"fallback {name} {len(pages)}"] = exact
        false_bodies = 100 - score(extract, storyless)[0]  # exact here means "no body"
        table.add(name, *cells, f"{false_bodies:.0f}")
    table.notes.append(
        "each extractor's text goes through the same MENAFN story rules; exact = body equal "
        "after collapsing whitespace; the disclaimer and error block are pruned for trafilatura. "
        "A body from a story-less page is what the plausibility checks then have to reject"
    )
    results.tables.append(table)
