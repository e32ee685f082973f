"""Benchmark 1: extraction per page (newscrawl's parser vs bare lxml, trafilatura, newspaper4k).

Speed on the HTML fixtures and on generated story pages of realistic size; accuracy on the
fixtures' reviewed ``expected.json`` (and on the generated pages, whose truth is known).
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
from scrapy.http import TextResponse

from bench.common import FIXTURES, Size, median_seconds
from bench.report import Goal, Results, Table
from newscrawl.dates import MENAFN_ZONE, zone
from newscrawl.extraction.decoding import decode_page
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.text import MenafnTextPage
from newscrawl.sites.menafn.urls import saved_page_ref
from tests.site import Story, synthetic_stories
from tests.site.pages import render_article

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    body: bytes  # the same page as UTF-8 bytes (what Scrapy hands a callback)
    ref: tuple[str, str] | None
    expected: dict[str, Any]  # title, published_at, body


@dataclass(frozen=True)
class Fields:
    title: str | None
    published_at: str | None
    body: str | None


Extractor = Callable[[Page], object]


def fixture_pages() -> list[Page]:
    """The English HTML golden fixtures (``tests/fixtures/menafn/html-*/``): the Arabic ones
    test decoding, and newspaper4k needs nltk, which the bench does not install, for Arabic."""
    pages = []
    for folder in sorted(FIXTURES.glob("html-*")):
        path = next(p for p in sorted(folder.iterdir()) if p.suffix.lower() in HTML_SUFFIXES)
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        if expected["language"] != "en":
            continue
        stem = path.name.rsplit(".", 1)[0]
        url = path.resolve().as_uri()
        # read in the encoding its bytes show, as the spiders read it (one fixture is not UTF-8)
        html = decode_page(TextResponse(url, body=path.read_bytes())).text
        pages.append(Page(url, html, html.encode("utf-8"), saved_page_ref(stem), expected))
    return pages


def story_page(story: Story, others: list[Story]) -> Page:
    """A story page as the local site renders it, with what a correct extractor returns."""
    html = render_article(story, market=others[10:15], more=others[:10])
    expected = {
        "title": story.title,
        "published_at": story.published.astimezone(UTC).isoformat(),
        "body": story.body,
    }
    url = f"https://menafn.com{story.path}"
    return Page(url, html, html.encode("utf-8"), (str(story.id), story.slug), expected)


def generated_pages(n: int) -> list[Page]:
    stories = synthetic_stories(n + 15, seed=7)
    return [story_page(s, stories[i + 1 : i + 16]) for i, s in enumerate(stories[:n])]


# -- extractors: the timed call, and the same call read out as fields -----------------------
def bare_lxml(page: Page) -> object:
    return lxml.html.fromstring(page.html)


def newscrawl_parse(page: Page) -> Fields:
    response = TextResponse(page.url, body=page.body, encoding="utf-8")
    article = MenafnPage(response, CRAWLED_AT, page.ref, MENAFN).to_article()
    return Fields(article.title, article.published_at, article.body)


def trafilatura_parse(page: Page) -> object:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url)


def trafilatura_fields(page: Page) -> Fields:
    import trafilatura

    out = trafilatura.extract(
        page.html, url=page.url, output_format="json", with_metadata=True,
        date_extraction_params={"extensive_search": True, "original_date": True,
                                "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )  # fmt: skip
    data = json.loads(out) if out else {}
    return Fields(data.get("title"), data.get("date"), data.get("text"))


def newspaper_parse(page: Page) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper  # type: ignore[import-untyped]

    article = newspaper.Article(page.url, fetch_images=False)  # else it downloads images
    article.download(input_html=page.html)
    article.parse()
    return article


def newspaper_fields(page: Page) -> Fields:
    article = newspaper_parse(page)
    published = article.publish_date
    return Fields(article.title, published.isoformat() if published else None, article.text)


EXTRACTORS: dict[str, tuple[Extractor, Callable[[Page], Fields] | None]] = {
    "bare lxml.html.fromstring (floor)": (bare_lxml, None),
    "newscrawl MenafnPage.to_article": (newscrawl_parse, newscrawl_parse),
    "trafilatura.extract": (trafilatura_parse, trafilatura_fields),
    "newspaper4k Article.parse": (newspaper_parse, newspaper_fields),
}
NEWSCRAWL, LXML, TRAFILATURA = (
    "newscrawl MenafnPage.to_article", "bare lxml.html.fromstring (floor)", "trafilatura.extract",
)  # fmt: skip


# -- accuracy --------------------------------------------------------------------------------
def same_text(value: str | None) -> str:
    """Paragraphs as lines, whitespace collapsed: layout differences are not errors."""
    lines = (" ".join(line.split()) for line in (value or "").splitlines())
    return "\n".join(line for line in lines if line)


def same_time(value: str | None) -> str | None:
    """A timestamp in UTC ISO form; a time without zone is on MENAFN's US-Eastern clock."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(MENAFN_ZONE))
    return moment.astimezone(UTC).isoformat()


def token_f1(got: str | None, want: str | None) -> float:
    """Bag-of-words overlap (F1 of lower-cased word tokens) of two texts."""
    a = Counter(re.findall(r"\w+", (got or "").lower()))
    b = Counter(re.findall(r"\w+", (want or "").lower()))
    if not a or not b:
        return float(a == b)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def accuracy(read: Callable[[Page], Fields], pages: list[Page]) -> list[float]:
    """Percent exact title, published_at, body; mean body token F1 (percent)."""
    scores = [0.0, 0.0, 0.0, 0.0]
    for page in pages:
        got, want = read(page), page.expected
        scores[0] += same_text(got.title) == same_text(want["title"])
        scores[1] += same_time(got.published_at) == same_time(want["published_at"])
        scores[2] += same_text(got.body) == same_text(want["body"])
        scores[3] += token_f1(got.body, want["body"])
    return [100 * s / len(pages) for s in scores]


def ms_per_page(extract: Extractor, pages: list[Page], repeats: int) -> float:
    def one_pass() -> None:
        for page in pages:
            extract(page)

    return 1000 * median_seconds(one_pass, repeats) / len(pages)


def text_pages() -> list[tuple[str, str, tuple[str, str] | None, dict[str, Any]]]:
    found = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        expected = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))
        ref = saved_page_ref(path.name.rsplit(".", 1)[0])
        found.append((path.read_text(encoding="utf-8"), path.resolve().as_uri(), ref, expected))
    return found


def run(size: Size, results: Results) -> None:
    sets = {
        "HTML fixtures": fixture_pages(),
        "generated pages": generated_pages(size.generated_pages),
    }
    speed = Table(
        "1. Extraction speed (CPU ms/page, median of repeats)",
        ["extractor", *(f"{k} ms" for k in sets), "x lxml (gen.)", "x newscrawl (gen.)"],
    )
    timings: dict[str, dict[str, float]] = {}
    for name, (extract, _) in EXTRACTORS.items():
        timings[name] = {
            label: ms_per_page(extract, pages, size.repeats) for label, pages in sets.items()
        }
    for name, by_set in timings.items():
        gen_ms = by_set["generated pages"]
        speed.add(
            name, *by_set.values(), gen_ms / timings[LXML]["generated pages"],
            gen_ms / timings[NEWSCRAWL]["generated pages"],
        )  # fmt: skip
    sizes = [len(p.body) / 1024 for p in sets["generated pages"]]
    fixture_kb = [len(p.body) // 1024 for p in sets["HTML fixtures"]]
    speed.notes.append(
        f"{len(fixture_kb)} HTML fixtures ({min(fixture_kb)}-{max(fixture_kb)} KB); "
        f"{len(sizes)} generated pages ({min(sizes):.0f}-{max(sizes):.0f} KB) from "
        "tests/site render_article"
    )
    text = text_pages()

    def text_pass() -> None:
        for content, url, ref, _ in text:
            MenafnTextPage(content, url, ref, CRAWLED_AT, MENAFN).to_article()

    text_rate = len(text) / median_seconds(text_pass, size.repeats)
    speed.notes.append(
        f"text-rendering parser MenafnTextPage on {len(text)} .txt fixtures: "
        f"{text_rate:,.0f} pages/s ({1000 / text_rate:.2f} ms/page)"
    )
    results.tables.append(speed)

    quality = Table(
        "1b. Field accuracy (% exact; body token-overlap F1 %)",
        ["extractor", "pages", "title", "published_at", "body exact", "body F1"],
    )
    for name, (_, read) in EXTRACTORS.items():
        if read is not None:
            for label, pages in sets.items():
                quality.add(name, f"{label} ({len(pages)})", *accuracy(read, pages))
    text_scores = accuracy(
        lambda t: _text_fields(t), [Page(u, c, b"", r, e) for c, u, r, e in text]
    )
    quality.add("newscrawl MenafnTextPage", f".txt fixtures ({len(text)})", *text_scores)
    quality.notes.append(
        "exact = equal after collapsing whitespace and blank lines (paragraph layout is not "
        "scored); published_at compared in UTC, a zone-less time read as US Eastern"
    )
    results.tables.append(quality)

    gen = {name: t["generated pages"] for name, t in timings.items()}
    fix = {name: t["HTML fixtures"] for name, t in timings.items()}
    results.values.update(
        parser_vs_lxml=gen[NEWSCRAWL] / gen[LXML],
        trafilatura_vs_parser=gen[TRAFILATURA] / gen[NEWSCRAWL],
        text_pages_per_s=text_rate,
    )
    speed.notes.append(
        f"on the HTML fixtures (14-21 KB, where a parse is cheap and the parser's fixed work "
        f"per page weighs more) the parser costs {fix[NEWSCRAWL] / fix[LXML]:.1f}x a bare parse"
    )
    results.goal(
        Goal(
            "page parser / bare lxml.html.fromstring of the same page (generated 75 KB pages)",
            f"{gen[NEWSCRAWL]:.2f} ms/page", f"{gen[LXML]:.2f} ms/page",
            gen[NEWSCRAWL] / gen[LXML], at_most=2,
        )
    )  # fmt: skip


def _text_fields(page: Page) -> Fields:
    article = MenafnTextPage(page.html, page.url, page.ref, CRAWLED_AT, MENAFN).to_article()
    return Fields(article.title, article.published_at, article.body)


def write_saved_pages(folder: Path, n: int) -> int:
    """``n`` generated story pages as ``<id>-<slug>.html`` files (for the offline crawl)."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = synthetic_stories(n + 15, seed=11)
    for i, story in enumerate(stories[:n]):
        page = story_page(story, stories[i + 1 : i + 16])
        (folder / f"{story.id}-{story.slug}.html").write_bytes(page.body)
    return n
