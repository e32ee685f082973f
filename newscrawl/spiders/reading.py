"""From a page on disk to its outcome (an article, or a rejects line), in any process.

The steps a saved page or an archived answer goes through, as pure functions of plain data
(``SavedFile``, ``ArchivedAnswer``), so that ``offline.py`` can run them in worker processes
and the live path can share the verdict on a page (``page_of``, ``judge``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response, TextResponse

from newscrawl.archive import FETCHED_AT, fetched_at
from newscrawl.extraction.decoding import decode_page
from newscrawl.extraction.plausibility import split_problem
from newscrawl.items import Article, Reject, extracted_fields
from newscrawl.saved import (
    SavedPage,
    UnreadablePage,
    is_archive,
    page_kind,
    read_saved_page,
    saved_page_paths,
)
from newscrawl.site import Ref, Site, StoryPage
from newscrawl.warc.records import ArchiveReader, BadRecord
from newscrawl.warc.sources import in_window_paths, local_reader, remote_readers, spider_scope

logger = logging.getLogger(__name__)

TRUNCATED = "truncated page"
FAILED = "extraction failed"  # our code raised on the page: a bug to look at


Outcome = Article | Reject


@dataclass(frozen=True)
class SavedFile:
    """A saved page to read (``url``: the ``file://`` URI its rejects line names)."""

    path: Path
    url: str


@dataclass(frozen=True)
class ArchivedAnswer:
    """A story answer of a WARC archive as plain data: the response the archive reader made
    of it (decoded as HttpCompressionMiddleware decodes it), taken apart and put together again
    in a worker with the same class, headers and body, so the same encoding decision."""

    url: str
    kind: type[Response]
    status: int
    headers: dict[bytes, list[bytes]]
    body: bytes
    fetched_at: datetime | None

    @classmethod
    def of(cls, response: Response) -> ArchivedAnswer:
        request = response.request
        fetched = request.meta.get(FETCHED_AT) if request is not None else None
        headers = {name: list(values) for name, values in response.headers.items()}
        return cls(response.url, type(response), response.status, headers, response.body, fetched)

    def response(self) -> Response:
        request = Request(self.url, meta={FETCHED_AT: self.fetched_at} if self.fetched_at else {})
        return self.kind(
            self.url, status=self.status, headers=Headers(self.headers), body=self.body,
            request=request,
        )  # fmt: skip


Unit = SavedFile | ArchivedAnswer | Reject  # a Reject: what the reader already refused


def page_of(site: Site, response: Response, ref: Ref | None) -> StoryPage | Reject:
    """The site's page object of a story answer (fetched now, or archived), or why there is
    none."""
    if not isinstance(response, TextResponse):
        kind = (response.headers.get("Content-Type") or b"").decode("latin-1")
        return Reject(response.url, "not a text page", kind)
    decoded = decode_page(response)
    return site.html_page(decoded, fetched_at(decoded), ref)


def judge(page: StoryPage, url: str, article: Article | None = None) -> Outcome:
    """The page's article, or the rejects line saying what is wrong with it (and what the
    page gave, for the one who looks into it)."""
    article = article or page.to_article()
    problem = page.problem(article)
    if problem:
        reason, detail = split_problem(problem)
        fields = extracted_fields(article)
        fields.pop("url", None)  # the line's url is where the page was read
        return Reject(url, reason, detail, fields)
    return article


class PageReader:
    """Turns a unit into its outcome by its site's rules; what runs in a worker (or in the
    crawler's process). Plain data: a worker process is given one."""

    def __init__(self, site: Site, max_bytes: int) -> None:
        self.site = site
        self.max_bytes = max_bytes

    def outcome(self, unit: Unit) -> Outcome:
        """Never raises: a page that makes our code fail is a rejects line naming the error."""
        if isinstance(unit, Reject):
            return unit
        try:
            if isinstance(unit, SavedFile):
                return self.saved(unit)
            return self.archived(unit)
        except Exception as exc:  # a bug of ours meets this page; the other pages go on
            logger.debug("extraction failed on %s", unit.url, exc_info=True)
            why = f"{type(exc).__name__}: {exc}"[:200]
            return Reject(unit.url, FAILED, why, fails_run=True)

    def saved(self, unit: SavedFile) -> Outcome:
        """One saved page to an article, or a rejects line saying why not."""
        try:
            saved = read_saved_page(unit.path, self.max_bytes)
            page = self.saved_page(saved, unit.url)
            if not page.is_complete():
                raise UnreadablePage(TRUNCATED, "the document ends before </html>")
            article = page.to_article()
            if not page.is_site_page(article):
                raise UnreadablePage(f"not a {self.site.label} page", "no mark of its stories")
        except UnreadablePage as exc:
            return Reject(unit.url, exc.reason, exc.detail)
        return judge(page, unit.url, article)

    def saved_page(self, saved: SavedPage, url: str) -> StoryPage:
        ref = self.site.saved_ref(saved.stem)
        if saved.kind == "text":
            if self.site.text_page is None:
                raise UnreadablePage(
                    "not a saved page", f"{self.site.name} reads saved HTML pages only"
                )
            return self.site.text_page(saved.text(), url, ref, utc_now(), self.site)
        response = decode_page(TextResponse(url, body=saved.data))
        return self.site.html_page(response, fetched_at(response), ref)

    def archived(self, unit: ArchivedAnswer) -> Outcome:
        """A story answer of an archive, through the same steps as a page just fetched (no
        retry, no links followed)."""
        ref = self.site.story_ref(unit.url)
        if ref is None:
            return Reject(unit.url, "not a story URL", f"no {self.site.label} story id in it")
        page = page_of(self.site, unit.response(), ref)
        if isinstance(page, Reject):
            return page
        if not page.is_complete():
            return Reject(unit.url, TRUNCATED, "no </html>: cut short")
        return judge(page, unit.url)


def utc_now() -> str:
    """Now, in UTC, seconds precision: when a saved text rendering is read."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def source_units(crawler: Crawler, source: Path | str) -> Iterator[Unit]:
    """The pages of a saved page, a WARC archive, or a folder of them, in order, or of the WARC
    files a URL names; files that are not pages are counted (``newscrawl/skipped_files``) and
    logged. Of an archive, only the spider's story answers are pages (``warc/scope.py``)."""
    spider: Any = crawler.spider
    scope = spider_scope(spider)
    if isinstance(source, str):
        for reader in remote_readers(crawler, source, scope, spider.window, spider.local):
            yield from archive_units(reader)
        return
    for path in in_window_paths(crawler, saved_page_paths(source), spider.window, spider.local):
        if is_archive(path):
            yield from archive_units(local_reader(crawler, path, scope))
            continue
        if path != source and page_kind(path) is None:
            crawler.stats.inc_value("newscrawl/skipped_files")
            logger.debug("skipped %s: not a saved page (.txt, .html, .htm, .gz, .warc)", path)
            continue
        yield SavedFile(path, path.resolve().as_uri())
    skipped = crawler.stats.get_value("newscrawl/skipped_files", 0)
    if skipped:
        logger.info("skipped %d files in %s that are not saved pages", skipped, source)


def archive_units(reader: ArchiveReader) -> Iterator[Unit]:
    """An archive's story answers as units, and what could not be read as rejects lines."""
    for entry in reader:
        if isinstance(entry, BadRecord):
            yield Reject(entry.url, entry.reason, entry.detail)
        else:
            yield ArchivedAnswer.of(entry)
