"""SeenStoriesMiddleware: a live run never requests a story the seen store holds (CONTRACT §4).

A spider marks each story request with the article id it is for (``STORY_META``); this spider
middleware looks the ids of a callback's story requests up in one batch and drops the seen
ones before they reach the scheduler, counting them (``skipped_seen``). A story claimed by a
run that has not committed is not seen: it is asked again if its run fails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.run.extension import run_of
from newscrawl.run.report import count
from newscrawl.run.seen import SeenStore

STORY_META = "newscrawl_story"  # request.meta: the id of the article the request is for


class SeenStoriesMiddleware:
    """Spider middleware: story requests for stories already written are not made."""

    def __init__(self, store: SeenStore, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(run_of(crawler).store, crawler.stats)

    async def process_spider_output(
        self, response: Any, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """A callback's output, less its requests for seen stories (one look-up per page).
        A callback that raises halfway still has what it gave before go on, then its error."""
        output, error = [], None
        try:
            async for entry in result:
                output.append(entry)
        except Exception as exc:  # handed on below, after its output
            error = exc
        wanted = [story for entry in output if (story := story_of(entry))]
        seen = self.store.known_ids(wanted) if wanted else set()
        for entry in output:
            if story_of(entry) in seen:
                count(self.stats, "skipped_seen")
                continue
            yield entry
        if error is not None:
            raise error


def story_of(entry: Any) -> str | None:
    """The article id a story request is for; None for anything else."""
    if isinstance(entry, Request):
        story: str | None = entry.meta.get(STORY_META)
        return story
    return None
