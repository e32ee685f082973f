"""MenafnSpider: what to fetch from menafn.com (or saved pages), in which order; no selectors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl import __version__
from newscrawl.dates import zone
from newscrawl.discovery import Link, feed_links, listing_links, next_pages
from newscrawl.extensions import RunLedger
from newscrawl.items import Article
from newscrawl.pages.decoding import decode_page
from newscrawl.pages.menafn import MenafnPage
from newscrawl.pages.menafn_text import MenafnTextPage
from newscrawl.pages.plausibility import split_problem
from newscrawl.saved import UnreadablePage, page_kind, read_saved_page, saved_page_paths
from newscrawl.signals import page_rejected
from newscrawl.state import SeenStore
from newscrawl.urls import saved_page_ref

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://menafn.com"
SITE_HOSTS = frozenset({"menafn.com", "www.menafn.com"})


STORY_PRIORITY = 10


class BadArgument(ValueError):
    """A spider argument the user got wrong (exit status 2)."""


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def parse_base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadArgument(f"invalid base_url {value!r}: expected http(s)://host[:port]")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise BadArgument(f"invalid base_url {value!r}: give the site root, without a path")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise BadArgument(f"invalid base_url {value!r}: bad port") from None
    return f"{parts.scheme}://{parts.netloc}"


def parse_since(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadArgument(f"invalid since {value!r}: expected YYYY-MM-DD") from None


class MenafnSpider(Spider):
    """Live: listing pages and feeds, then only never-seen stories. Offline: saved pages."""

    name = "menafn"
    writes_articles = True  # the RunLedger keeps this spider's books
    ARGUMENTS = frozenset({"source", "base_url", "since"})

    @classmethod
    def check_arguments(cls, kwargs: dict[str, Any]) -> None:
        """Raise BadArgument for an unknown name or a bad value, before anything runs."""
        unknown = sorted(set(kwargs) - cls.ARGUMENTS)
        if unknown:
            known = ", ".join(sorted(cls.ARGUMENTS))
            raise BadArgument(f"unknown spider argument {unknown[0]!r} (known: {known})")
        if kwargs.get("source") is not None:
            if not str(kwargs["source"]).strip():
                raise BadArgument("source is empty: give a saved page or a folder of them")
            if not Path(kwargs["source"]).exists():
                raise BadArgument(f"source not found: {kwargs['source']}")
            if kwargs.get("base_url") or kwargs.get("since"):
                raise BadArgument("source reads saved pages: it takes no base_url or since")
        if kwargs.get("base_url") is not None:
            parse_base_url(kwargs["base_url"])
        if kwargs.get("since") is not None:
            parse_since(kwargs["since"])

    def __init__(self, **kwargs: Any) -> None:
        self.check_arguments(kwargs)
        super().__init__()
        self.source = Path(kwargs["source"]) if kwargs.get("source") else None
        self.base_url = parse_base_url(kwargs.get("base_url") or DEFAULT_BASE_URL)
        self.since = parse_since(kwargs["since"]) if kwargs.get("since") else None
        base = urlsplit(self.base_url)
        self.allowed_domains = [base.hostname or ""]
        self.site_hosts = SITE_HOSTS | {base.netloc, base.hostname or ""}  # links we follow
        # A base_url the user gives is consent to fetch from that one host, even a local one.
        default_port = 443 if base.scheme == "https" else 80
        explicit = bool(kwargs.get("base_url"))
        self.private_hosts = {f"{base.hostname}:{base.port or default_port}"} if explicit else set()
        self.requested: set[str] = set()  # story ids asked for in this run (bounded by it)
        self.unanswered: dict[str, str] = {}  # story id -> URL: requested, no answer yet

    @classmethod
    def check_settings(cls, settings: BaseSettings) -> None:
        """Raise ValueError for a setting value the spider cannot use (exit status 2)."""
        zone(settings.get("MENAFN_TIMEZONE") or "")

    @property
    def local(self) -> tzinfo:
        """MENAFN's clock: the zone its naive timestamps are printed in (``MENAFN_TIMEZONE``)."""
        return zone(self.settings.get("MENAFN_TIMEZONE"))

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Name the project and its contact URL in the User-Agent, unless one is given."""
        super().update_settings(settings)
        if settings.getpriority("USER_AGENT") == SETTINGS_PRIORITIES["default"]:
            contact = settings["NEWSCRAWL_CONTACT_URL"]
            settings.set("USER_AGENT", f"newscrawl/{__version__} (+{contact})", priority="spider")

    async def start(self) -> AsyncIterator[Any]:
        if self.source is not None:
            for path in saved_page_paths(self.source):
                if path != self.source and page_kind(path) is None:
                    self.crawler.stats.inc_value("newscrawl/skipped_files")
                    logger.debug("skipped %s: not a saved page (.txt, .html, .htm, .gz)", path)
                    continue
                article = self.read_saved(path)
                if article is not None:
                    yield article
            skipped = self.crawler.stats.get_value("newscrawl/skipped_files", 0)
            if skipped:
                logger.info("skipped %d files in %s that are not saved pages", skipped, self.source)
            return
        for request in self.start_requests_for_site():
            yield request

    # -- offline ---------------------------------------------------------------------------
    def read_saved(self, path: Path) -> Article | None:
        """One saved page to an article, or a rejects line saying why not."""
        url = path.resolve().as_uri()
        self.crawler.stats.inc_value("newscrawl/pages")  # every page file is accounted for
        try:
            saved = read_saved_page(path, self.settings.getint("DOWNLOAD_MAXSIZE"))
            ref = saved_page_ref(saved.stem)
            if saved.kind == "text":
                page: MenafnTextPage | MenafnPage = MenafnTextPage(
                    saved.text(), url, ref, utc_now(), self.local
                )
            else:
                response = decode_page(TextResponse(url, body=saved.data))
                page = MenafnPage(response, utc_now(), ref, self.local)
                if not page.is_complete():
                    raise UnreadablePage("truncated page", "the document ends before </html>")
            article = page.to_article()
            if not page.is_menafn(article):
                raise UnreadablePage("not a MENAFN page", "no MENAFN dateline, stamp or story id")
            problem = page.problem(article)
            if problem:
                raise UnreadablePage(*split_problem(problem))
        except UnreadablePage as exc:
            self.reject(url, exc.reason, exc.detail)
            return None
        return article

    def reject(self, url: str, reason: str, detail: str = "", **fields: Any) -> None:
        self.crawler.signals.send_catch_log(
            page_rejected, url=url, reason=reason, detail=detail, fields=fields
        )

    # -- live ------------------------------------------------------------------------------
    def start_requests_for_site(self) -> Iterator[Request]:
        settings = self.settings
        for path in filter(None, settings.getlist("NEWSCRAWL_LISTING_PATHS")):
            yield Request(
                self.base_url + path,
                self.parse_listing,
                errback=self.listing_failed,
                meta={"listing_page": 1},
            )
        for path in filter(None, settings.getlist("NEWSCRAWL_FEED_PATHS")):
            yield Request(self.base_url + path, self.parse_feed, errback=self.extra_failed)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value("newscrawl/listing_pages")
        if not isinstance(response, TextResponse):
            return
        links = listing_links(response, self.site_hosts, dated=self.since is not None)
        yield from self.story_requests(links, depth=1)
        page = response.meta.get("listing_page", 1)
        if page < self.settings.getint("NEWSCRAWL_MAX_LISTING_PAGES"):
            for url in next_pages(response):
                yield response.follow(
                    url, self.parse_listing, errback=self.listing_failed,
                    meta={"listing_page": page + 1},
                )  # fmt: skip

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed after its retries: counted; the run goes on."""
        request = failure.request  # type: ignore[attr-defined]
        logger.warning("listing page failed: %s: %s", request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value("newscrawl/listing_failures")
        self.crawler.stats.inc_value("newscrawl/errors")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        links = feed_links(response, self.site_hosts)
        if links is None:
            logger.warning("ignored extra source %s: neither RSS nor the JSON API", response.url)
            self.crawler.stats.inc_value("newscrawl/extra_source_errors")
            return
        yield from self.story_requests(links, depth=1)

    def extra_failed(self, failure: Failure) -> None:
        """RSS feeds and the mobile API are optional: their failure does not fail the run."""
        logger.warning("extra source failed: %s", failure.getErrorMessage())
        self.crawler.stats.inc_value("newscrawl/extra_source_errors")

    def story_requests(self, links: Iterable[Link], depth: int) -> Iterator[Request]:
        """Requests for stories never seen before; known ids are counted, not fetched."""
        fresh = {}
        for link in links:
            if link.story_id in self.requested or link.story_id in fresh:
                continue
            if self.since and link.published and link.published < self.since:
                self.crawler.stats.inc_value("newscrawl/skipped_since")
                continue
            fresh[link.story_id] = link
        store = self.ledger_store()
        seen = store.known_ids(f"{self.name}:{i}" for i in fresh) if store else set()
        for story_id, link in fresh.items():
            self.requested.add(story_id)
            if f"{self.name}:{story_id}" in seen:
                self.crawler.stats.inc_value("newscrawl/skipped_seen")
                continue
            url = f"{self.base_url}/{story_id}/{link.slug}"
            self.unanswered[story_id] = url
            yield Request(
                url,
                self.parse_article,
                errback=self.article_failed,
                meta={"ref": (story_id, link.slug), "discovery_depth": depth},
                # Stories before more listing pages: the queue holds one listing's worth of
                # stories, not the whole site's (memory stays flat as the site grows).
                priority=STORY_PRIORITY,
            )

    def ledger_store(self) -> SeenStore | None:
        ledger = self.crawler.get_extension(RunLedger)
        return ledger.store if ledger else None

    def parse_article(self, response: Response) -> Iterator[Any]:
        self.crawler.stats.inc_value("newscrawl/pages")
        self.unanswered.pop(response.meta["ref"][0], None)
        if not isinstance(response, TextResponse):
            kind = (response.headers.get("Content-Type") or b"").decode("latin-1")
            self.reject(response.url, "not a text page", kind)
            return
        page = MenafnPage(decode_page(response), utc_now(), response.meta.get("ref"), self.local)
        if not page.is_complete():
            yield from self.retry_or_reject(response, "truncated page", "no </html>: cut short")
            return
        article = page.to_article()
        problem = page.problem(article)
        if problem:
            reason, detail = split_problem(problem)
            self.reject(response.url, reason, detail, id=article.id, title=article.title)
        else:
            yield article
        depth = response.meta.get("discovery_depth", 1)
        if depth < self.settings.getint("NEWSCRAWL_DISCOVERY_DEPTH"):
            links = listing_links(response, self.site_hosts, dated=False, root=page.root)
            yield from self.story_requests(links, depth + 1)

    def closed(self, reason: str) -> None:
        """Stories asked for that never got an answer (a redirect loop the duplicate filter cut,
        an offsite redirect Scrapy dropped) are errors too: nothing is lost silently."""
        if not self.unanswered or reason != "finished":
            return
        self.crawler.stats.inc_value("newscrawl/errors", len(self.unanswered))
        urls = sorted(self.unanswered.values())[:10]
        logger.warning(
            "%d story pages got no answer (dropped on the way), e.g. %s", len(self.unanswered), urls
        )

    def retry_or_reject(self, response: Response, reason: str, detail: str) -> Iterator[Request]:
        """Ask again for a page whose content came bad; after the retries, reject it."""
        assert response.request is not None  # a downloaded response knows its request
        retry = get_retry_request(response.request, spider=self, reason=reason)
        if retry is not None:
            for key in [k for k in retry.meta if k.startswith("download_")]:
                del retry.meta[key]  # the downloader's notes on the last try, not ours
            self.unanswered[retry.meta["ref"][0]] = retry.url  # asked again: awaiting
            yield retry
        else:
            self.reject(response.url, reason, detail)

    def article_failed(self, failure: Failure) -> None:
        """A story page that failed for good (404, timeouts, too large…): one line, counted."""
        request = failure.request  # type: ignore[attr-defined]
        self.unanswered.pop(request.meta["ref"][0], None)
        if isinstance(failure.value, HttpError):
            why = f"HTTP {failure.value.response.status}"
        else:
            why = failure.getErrorMessage() or (failure.type.__name__ if failure.type else "")
        logger.warning("gave up on %s: %s", request.url, why)
        self.crawler.stats.inc_value("newscrawl/errors")
