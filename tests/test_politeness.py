"""Host-wide politeness: the clock's turns and pauses (in-process), and a live crawl that keeps
to CONCURRENT_REQUESTS_PER_DOMAIN while AutoThrottle sets the delay. (Retry-After, backoff and
the shared clock of N workers: tests/test_crawl_live.py, tests/test_distributed.py.)"""

from __future__ import annotations

import asyncio
from itertools import pairwise
from pathlib import Path
from time import monotonic

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.politeness import HostPolitenessMiddleware, MemoryClock
from newscrawl.spiders.menafn import MenafnSpider
from tests.in_process import crawl_here
from tests.site import MenafnSite, synthetic_stories


async def turns(clock: MemoryClock, count: int, delay: list[float]) -> list[float]:
    """When each of ``count`` requests, all waiting at once, got its turn: the clock's own
    reading as it gave the turn (a reading taken after ``turn`` returns adds the event loop's
    lag, which on a busy machine made a 0.15 s gap measure 0.148 s)."""
    start = monotonic()
    times: list[float] = []

    async def one() -> None:
        await clock.turn("host", lambda: delay[0])
        times.append(clock.hosts["host"].last - start)  # no await since the turn was given

    await asyncio.gather(*(one() for _ in range(count)))
    return times


def test_turns_are_a_delay_apart_and_the_delay_is_read_at_each_turn() -> None:
    clock = MemoryClock()
    delay = [0.05]

    async def scenario() -> list[float]:
        first = await turns(clock, 3, delay)
        delay[0] = 0.15  # AutoThrottle raised the slot's delay
        return first + await turns(clock, 2, delay)

    times = asyncio.run(scenario())
    gaps = [b - a for a, b in pairwise(times[:3])]
    assert all(gap >= 0.05 for gap in gaps)
    assert times[3] >= 0.15  # the new delay counts from the last turn, at once
    assert times[4] - times[3] >= 0.15


def test_a_pause_holds_requests_already_waiting_then_they_go_one_per_delay() -> None:
    clock = MemoryClock()

    async def scenario() -> list[float]:
        waiting = asyncio.ensure_future(turns(clock, 4, [0.05]))
        await asyncio.sleep(0.06)  # two have gone, two wait
        clock.pause("host", 0.3)  # the host answered 429, Retry-After
        return await waiting

    times = asyncio.run(scenario())
    assert times[1] < 0.1
    assert times[2] >= 0.35  # nothing during the pause
    assert times[3] - times[2] >= 0.05  # and no burst after it


def test_the_redis_addon_clock_wins_over_the_default() -> None:
    """The add-on sets NEWSCRAWL_HOST_CLOCK at its priority, below the project's: the project
    settings must leave it unset, or every worker keeps its own clock."""
    from newscrawl import settings as project

    assert not hasattr(project, "NEWSCRAWL_HOST_CLOCK")
    crawler = get_crawler(MenafnSpider, {"NEWSCRAWL_HOST_CLOCK": ""})
    assert isinstance(HostPolitenessMiddleware.from_crawler(crawler).clock, MemoryClock)


@pytest.mark.slow
def test_a_live_crawl_keeps_to_the_host_concurrency_with_autothrottle_on(out: Path) -> None:
    with MenafnSite(synthetic_stories(12)) as site:
        site.response_delay = 0.3
        run = crawl_here(
            out, "-a", f"base_url={site.base_url}", "-s", "NEWSCRAWL_DISCOVERY_DEPTH=1",
            "-s", "NEWSCRAWL_MAX_LISTING_PAGES=1",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "AUTOTHROTTLE_TARGET_CONCURRENCY=2",
        )  # fmt: skip
        times = sorted(r.time for r in site.requests)
    assert run.status == 0, run.stderr[-3000:]
    assert len(run.articles()) == 12
    # Each answer takes 0.3 s, so 2 at a time make at most 6 arrivals in any 0.9 s (one more
    # for a request that arrives a little late on a busy machine).
    assert max(sum(1 for t in times if s <= t < s + 0.9) for s in times) <= 7
    # AutoThrottle moves the delay towards latency / target concurrency (0.15 s): once it has
    # seen a few answers, requests come about that far apart. Without it (DOWNLOAD_DELAY=0)
    # they would come in pairs, half the gaps near 0.
    gaps = sorted(b - a for a, b in pairwise(times[6:]))
    assert gaps[len(gaps) // 4] >= 0.1
