"""The README's "Adding a wire service", done: a third wire, Tinywire, defined only here.

Its site definition with its page class (selectors, dateline, URL rule, start pages) and a
spider of a few lines are all it takes; Scrapy's spider loader finds the spider by its name
(this module is named in ``SPIDER_MODULES`` for the run, as a project would name its spiders
package), and it gets the whole contract: saved pages, a live crawl of a site with zero
refetch, the run's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from newscrawl.dates import zone
from newscrawl.site import Ref, Site
from newscrawl.sites.wire import WireReleasePage
from newscrawl.sites.wire_story import path_ref
from newscrawl.spiders.base import SiteSpider
from tests.conftest import FAST, Run
from tests.in_process import crawl_here
from tests.site import LocalSite
from tests.site.faults import Response

HOST = "news.tinywire.example"
_RELEASE_PATH = re.compile(r"^(?P<path>/releases/(?P<id>\d{6})-[\w-]+)$")
_SAVED_NAME = re.compile(r"^(?P<id>\d{6})(?:-.+)?$")


# -- sites/tinywire.py --------------------------------------------------------------------------
def tinywire_ref(url: str) -> Ref | None:
    """(release id, path) of a Tinywire release URL: ``/releases/<6-digit id>-<slug>``."""
    return path_ref(url, _RELEASE_PATH)


def saved_tinywire_ref(stem: str) -> Ref | None:
    """(release id, "") a saved page's file name ``<id>[-<slug>]`` carries."""
    match = _SAVED_NAME.match(stem)
    return (match["id"], "") if match else None


class TinywirePage(WireReleasePage):
    """A Tinywire release: everything inside ``article.release``."""

    TITLE_SELECTORS = ("article.release h1",)
    BODY_SELECTORS = ("article.release div.text",)
    STAMP_SELECTORS = ("article.release time",)
    ISSUER_SELECTORS = ("article.release .issuer",)
    DATELINE = re.compile(r"^(?P<dateline>[^\n]{0,150}?\(TINYWIRE\)\s*--)\s+")

    def published_values(self) -> list[str]:
        return [*self.root.xpath("//article//time/@datetime"), *super().published_values()]


TINYWIRE = Site(
    name="tinywire",
    label="Tinywire",
    provider="Tinywire",
    root=f"https://{HOST}",
    hosts=frozenset({HOST}),
    story_ref=tinywire_ref,
    saved_ref=saved_tinywire_ref,
    id_digits=6,
    clock=zone("America/Chicago"),  # Springfield, Illinois
    page=TinywirePage,
    listings=("/latest",),
    feeds=("/feed.xml",),
)


# -- spiders/tinywire.py ------------------------------------------------------------------------
class TinywireSpider(SiteSpider):
    """news.tinywire.example: the latest releases and the feed, then only new releases."""

    site = TINYWIRE


# -- the tiny site ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TinyRelease:
    id: str
    title: str
    issuer: str
    published: str  # ISO 8601, UTC
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/releases/{self.id}-{'-'.join(self.title.lower().split())}"

    @property
    def dateline(self) -> str:
        return f"SPRINGFIELD, {self.published[:10]} (TINYWIRE) --"


RELEASES = [
    TinyRelease(f"10{n:04d}", f"{issuer} Opens Plant Number {n}", issuer,
                f"2026-02-{n + 1:02d}T14:{n:02d}:00+00:00",
                (f"{issuer} opened its plant number {n} in Springfield on Monday, adding "
                 f"{40 + 7 * n} jobs to the {200 + n} people it employs in the state.",
                 f"The plant makes {n * 1000} tool kits a week for builders and hardware "
                 f"shops across the region, the company said."))
    for n, issuer in enumerate(["Acme Tools", "Birch Farms", "Cobalt Labs", "Dune Motors",
                                "Elm Media"], start=1)
]  # fmt: skip
PAGE = 3  # releases per listing page


def render(release: TinyRelease, others: list[TinyRelease]) -> str:
    paragraphs = [f"{release.dateline} {release.paragraphs[0]}", *release.paragraphs[1:]]
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    more = "".join(f'<li><a href="{o.path}">{escape(o.title)}</a></li>' for o in others)
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{escape(release.title)} - Tinywire</title>'
        f'<link rel="canonical" href="https://{HOST}{release.path}"></head><body>'
        f'<header><a href="/">Tinywire</a> <a href="/latest">Latest</a></header>'
        f'<article class="release"><h1>{escape(release.title)}</h1><p>By <span class="issuer">'
        f'{escape(release.issuer)}</span>, <time datetime="{release.published}">'
        f'{release.published[:10]}</time></p><div class="text">{text}'
        f"<p>Media Contact:<br>Pat Lee<br>pat@tinywire.example</p></div></article>"
        f"<aside><h2>More releases</h2><ul>{more}</ul></aside></body></html>"
    )


class TinySite(LocalSite):
    """``/latest[?page=N]`` (PAGE a page, ``rel="next"``), ``/feed.xml``, the releases."""

    def is_article(self, path: str) -> bool:
        return path in {r.path for r in RELEASES}

    def route(self, target: str, base_url: str) -> Response:
        parts = urlsplit(target)
        page = int(dict(parse_qsl(parts.query)).get("page", "1"))
        if parts.path == "/robots.txt":
            return Response(200, self.robots_txt.encode(), "text/plain")
        if parts.path == "/latest":
            shown = RELEASES[::-1][(page - 1) * PAGE : page * PAGE]
            links = "".join(f'<h2><a href="{r.path}">{escape(r.title)}</a></h2>' for r in shown)
            more = f'<a rel="next" href="/latest?page={page + 1}">Older</a>'
            html = f"<html><body>{links}{more if page * PAGE < len(RELEASES) else ''}</body></html>"
            return Response(200, html.encode())
        if parts.path == "/feed.xml":
            items = "".join(f"<item><link>https://{HOST}{r.path}</link></item>" for r in RELEASES)
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
            return Response(200, feed.encode(), "application/rss+xml")
        for release in RELEASES:
            if release.path == parts.path:
                others = [r for r in RELEASES if r is not release][:2]
                return Response(200, render(release, others).encode())
        return Response(404, b"<html><body>Not found</body></html>")


# -- the tests ----------------------------------------------------------------------------------
SPIDERS = ("-s", "SPIDER_MODULES=newscrawl.spiders,tests.test_adding_a_wire")


def crawl_tinywire(out: Path, *args: str) -> Run:
    return crawl_here(out, *SPIDERS, *args, spider="tinywire")


def assert_written(run: Run, releases: list[TinyRelease]) -> None:
    assert run.status == 0, run.stderr[-3000:]
    articles = {a["id"]: a for a in run.articles()}
    assert sorted(articles) == sorted(f"tinywire:{r.id}" for r in releases)
    for release in releases:
        article = articles[f"tinywire:{release.id}"]
        assert (article["source"], article["provider"]) == ("tinywire", "Tinywire")
        assert article["url"] == f"https://{HOST}{release.path}"
        assert article["title"] == release.title
        assert article["published_at"] == release.published
        assert article["dateline"] == release.dateline
        assert article["organization"] == release.issuer
        assert article["body"] == "\n\n".join(release.paragraphs)  # no contact block


@pytest.fixture
def site() -> Iterator[TinySite]:
    with TinySite() as site:
        yield site


@pytest.mark.slow
def test_the_new_wire_reads_saved_pages_then_crawls_its_site_once(
    out: Path, tmp_path: Path, site: TinySite
) -> None:
    """Saved pages named ``page.html`` get their id from the canonical link; then the live
    site (the listing's two pages and the feed) gives the other releases, asking for none of
    the saved ones; a second live run asks for nothing."""
    for release in RELEASES[:2]:
        folder = tmp_path / "saved" / release.id
        folder.mkdir(parents=True)
        (folder / "page.html").write_text(render(release, []), "utf-8")
    saved = crawl_tinywire(out, "-a", f"source={tmp_path / 'saved'}")
    assert_written(saved, RELEASES[:2])

    first = crawl_tinywire(out, "-a", f"base_url={site.base_url}", *FAST)
    assert_written(first, RELEASES[2:])
    assert sorted(r.path for r in site.article_requests()) == sorted(r.path for r in RELEASES[2:])
    assert "/latest?page=2" in [r.path for r in site.requests]
    assert first.last()["skipped_seen"] == 2
    site.clear_requests()
    second = crawl_tinywire(out, "-a", f"base_url={site.base_url}", *FAST)
    assert second.status == 0
    assert second.articles() == []
    assert site.article_requests() == []
    assert len((out / "tinywire" / "runs.jsonl").read_text().splitlines()) == 3
