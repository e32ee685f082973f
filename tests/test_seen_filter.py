"""SeenStoriesMiddleware: story requests for stories already written are not made."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.utils.test import get_crawler

from newscrawl.items import Article
from newscrawl.run.seen_filter import STORY_META, SeenStoriesMiddleware
from newscrawl.run.seen_sqlite import SqliteSeenStore

RUN = "menafn/20260101T000000Z"


def story(number: int) -> Request:
    return Request(f"https://menafn.com/{number}/x", meta={STORY_META: f"menafn:{number}"})


async def callback(output: list[Any], error: Exception | None = None) -> AsyncIterator[Any]:
    for entry in output:
        yield entry
    if error is not None:
        raise error


def filtered(
    output: list[Any], error: Exception | None = None
) -> tuple[list[Any], int, Exception | None]:
    """What the middleware lets through of a callback's ``output`` (then ``error``), how many
    requests it skipped, and the error it handed on."""
    store = SqliteSeenStore("")
    store.begin_run(RUN, "x.jsonl")
    store.add("menafn:1", "sha256:1", RUN)  # written by an earlier run
    assert store.claim("menafn:2", "sha256:2", RUN)  # claimed by this one: not seen yet
    stats = get_crawler().stats
    middleware = SeenStoriesMiddleware(store, stats)

    kept: list[Any] = []

    async def collect() -> Exception | None:
        try:
            async for entry in middleware.process_spider_output(None, callback(output, error)):
                kept.append(entry)
        except Exception as exc:  # what the callback raised, handed on
            return exc
        return None

    raised = asyncio.run(collect())
    return kept, int(stats.get_value("newscrawl/skipped_seen", 0)), raised


def test_requests_for_seen_stories_are_dropped_and_counted() -> None:
    article, listing = Article(id="menafn:9"), Request("https://menafn.com/listing?page=2")
    kept, skipped, raised = filtered([article, story(1), story(2), listing, story(3)])
    assert raised is None
    assert kept == [article, kept[1], listing, kept[3]]
    assert [r.meta[STORY_META] for r in (kept[1], kept[3])] == ["menafn:2", "menafn:3"]
    assert skipped == 1


def test_a_callback_that_raises_halfway_keeps_what_it_gave_then_raises() -> None:
    article, broke = Article(id="menafn:9"), ValueError("the parser broke")
    kept, skipped, raised = filtered([article, story(1), story(2)], broke)
    assert (kept[0], [r.meta[STORY_META] for r in kept[1:]]) == (article, ["menafn:2"])
    assert (skipped, raised) == (1, broke)
