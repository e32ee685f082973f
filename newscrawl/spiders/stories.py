"""The story pages of a live run: which stories to ask for, and what their answers become.

A ``SiteSpider`` part (``base.py``): requests for the stories that discovery found and this
run has not asked for (those the seen store holds are counted, or dropped by the seen-story
filter, ``newscrawl.run.seen_filter``), each answer judged into an ``Article`` or a ``Reject``
(``reading.py``), kept only inside the run's window, asked for again when its content came
cut short, and every story that got no answer counted (``closed`` in ``base.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawl.archive import ARCHIVE_META
from newscrawl.items import Article, Reject
from newscrawl.politeness import left_for_next_run
from newscrawl.run.extension import current_run
from newscrawl.run.seen_filter import STORY_META
from newscrawl.spiders.discovery import Link, listing_links, why_failed
from newscrawl.spiders.parts import SpiderParts
from newscrawl.spiders.reading import TRUNCATED, judge, page_of
from newscrawl.witness import Witness, fill_from_witness

logger = logging.getLogger(__name__)

STORY_PRIORITY = 10  # stories before more listing pages: the queue stays one listing deep


class StoryPages(SpiderParts):
    """Story requests and their answers (see the module's docstring)."""

    def story_links(
        self, response: TextResponse, *, dated: bool, root: Any = None
    ) -> Iterator[Link]:
        """The story links of a listing or story page, by the site's URL rule."""
        return listing_links(
            response, self.site_hosts, dated=dated, root=root, ref=self.site.story_ref,
            id_digits=self.site.id_digits, clock=self.local,
        )  # fmt: skip

    def story_requests(
        self, links: Iterable[Link], depth: int, known: set[str] | None = None
    ) -> Iterator[Request]:
        """Requests for the stories of ``links`` not asked for yet in this run; those ``known``
        to the seen store (where the caller looked them up) are counted, not asked for, and
        the seen-story filter drops the other known ones. A story's witness travels in its
        meta."""
        fresh = {}
        for link in links:
            if link.story_id in self.requested or link.story_id in fresh:
                continue
            if self.since and link.published and link.published < self.since:
                self.crawler.stats.inc_value("newscrawl/skipped_since")
                continue
            if self.until and link.published and link.published > self.until:
                self.crawler.stats.inc_value("newscrawl/skipped_until")
                continue
            fresh[link.story_id] = link
        for story_id, link in fresh.items():
            self.requested.add(story_id)
            if known and story_id in known:
                self.crawler.stats.inc_value("newscrawl/skipped_seen")
                continue
            # JSON-safe meta (a list, not a tuple): a shared queue stores it as JSON.
            meta = {
                "ref": [story_id, link.slug], "discovery_depth": depth, ARCHIVE_META: True,
                STORY_META: f"{self.name}:{story_id}",  # the seen-story filter's key
            }  # fmt: skip
            if link.witness is not None:
                meta["witness"] = link.witness.to_meta()
            self.count_discovery("story_requests")
            yield Request(
                self.request_url(link), self.parse_article, errback=self.article_failed,
                meta=meta, priority=STORY_PRIORITY,
            )  # fmt: skip

    def known_stories(self, links: Iterable[Link]) -> set[str]:
        """The story ids of ``links`` that the seen store holds (written by an earlier run):
        how far back a listing is paged (``live.py``)."""
        run = current_run(self.crawler)
        if run is None:
            return set()
        found = run.store.known_ids({f"{self.name}:{link.story_id}" for link in links})
        return {story_id.partition(":")[2] for story_id in found}

    def request_scheduled(self, request: Request) -> None:
        """A story request that passed the seen-story filter awaits its answer."""
        ref = request.meta.get("ref")
        if ref and STORY_META in request.meta:
            self.unanswered[ref[0]] = request.url
            if not request.meta.get("retry_times"):  # a retry is the same story page again
                self.scheduled += 1

    def parse_article(self, response: Response) -> Iterator[Any]:
        self.crawler.stats.inc_value("newscrawl/pages")
        self.unanswered.pop(response.meta["ref"][0], None)
        story_id, slug = response.meta["ref"]  # a list when it came through a shared queue
        page = page_of(self.site, response, (story_id, slug))  # or its Reject: not text
        if isinstance(page, Reject):
            yield page
            return
        if not page.is_complete():
            yield from self.retry_or_reject(response, TRUNCATED, "no </html>: cut short")
            return
        outcome = judge(page, response.url)  # the article, or what is wrong with it
        if isinstance(outcome, Reject) or self.in_window(outcome, response.meta.get("witness")):
            yield outcome
        depth = response.meta.get("discovery_depth", 1)
        # A backfill's stories come from its sources: links out of a story page lead to the
        # site's newest stories, not to the window's.
        if (
            not self.backfill
            and depth < self.settings.getint("NEWSCRAWL_DISCOVERY_DEPTH")
            and isinstance(response, TextResponse)
        ):
            root = getattr(page, "root", None)
            links = self.story_links(response, dated=False, root=root)
            yield from self.story_requests(links, depth + 1)

    def in_window(self, article: Article, witness: dict[str, Any] | None) -> bool:
        """Give the article what its source said of it (``witness``); whether the page's own
        publication time is in the run's window (one outside it is counted, not written)."""
        if witness is not None:
            fill_from_witness(article, Witness.from_meta(witness))
        if self.window.holds_story(article.published_at, article.crawled_at, self.local):
            return True
        self.count_discovery("outside_window")
        return False

    def retry_or_reject(
        self, response: Response, reason: str, detail: str
    ) -> Iterator[Request | Reject]:
        """Ask again for a page whose content came bad; after the retries, reject it."""
        assert response.request is not None  # a downloaded response knows its request
        spider: Any = self  # a SiteSpider at run time
        retry = get_retry_request(response.request, spider=spider, reason=reason)
        if retry is not None:
            for key in [k for k in retry.meta if k.startswith("download_")]:
                del retry.meta[key]  # the downloader's notes on the last try, not ours
            yield retry  # awaiting its answer again once scheduled (request_scheduled)
        else:
            yield Reject(response.url, reason, detail)

    def article_failed(self, failure: Failure) -> None:
        """A story page that failed for good (404, timeouts, too large…): one line, counted."""
        request = failure.request  # type: ignore[attr-defined]
        self.unanswered.pop(request.meta["ref"][0], None)
        if left_for_next_run(failure):
            logger.info("left for the next run: %s", request.url)
            return
        logger.warning("gave up on %s: %s", request.url, why_failed(failure))
        self.crawler.stats.inc_value("newscrawl/errors")
