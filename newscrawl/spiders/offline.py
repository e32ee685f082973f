"""Offline runs (``-a source=PATH``) on every core: saved pages and archive records are parsed
in a pool of worker processes, and their outcomes come back in the source's order.

The crawler's process walks the source (``reading.source_units``) and sends the pages, as plain
data, to the workers in batches; each worker builds its own page reader once, from the site's
definition (``newscrawl/site.py``: plain data, on the run's clock) and the largest page size.
The outcomes are taken back strictly in the source's order, so a run writes the same bytes, the
same rejects and the same counts whatever the pool's size; ``NEWSCRAWL_OFFLINE_PROCESSES=1``
reads in the crawler's process. At most ``WINDOW`` batches per worker are in flight, so memory
stays flat however large the source, and the crawler awaits them through a Deferred, so Scrapy's
reactor runs on meanwhile.

A worker that dies (a crash in a C library, the kernel's OOM killer) takes the batches in flight
with it: those pages are read again one at a time in a new pool, so the page that kills its
worker again is named in one rejects line and every other page is read.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import is_asyncio_available, sleep
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from newscrawl.clusters import fingerprint, story_text
from newscrawl.items import Article, Reject
from newscrawl.site import Site
from newscrawl.spiders.lifetime import end_with
from newscrawl.spiders.reading import Outcome, PageReader, Unit, source_units

logger = logging.getLogger(__name__)

BATCH = 8  # pages per task: a round trip to a worker costs about a tenth of a page's parse
WINDOW = 4  # batches in flight per worker: every worker stays busy, memory stays flat
CRASHED = "worker crashed"
DRAIN_POLL = 0.05  # seconds between looks at the items still in the pipelines, when stopping
# What an offline run changes in its crawler's settings: it downloads nothing, so it builds no
# HTTP download handler and no retries (they import Scrapy's TLS stack, a quarter of a second
# of its start-up).
OFFLINE_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_HANDLERS": {"http": None, "https": None},
    "RETRY_ENABLED": False,
}


async def source_outcomes(
    site: Site, crawler: Crawler, source: Path | str
) -> AsyncGenerator[Outcome]:
    """The outcome of every page of ``source`` (a saved page, an archive, a folder, a URL of
    WARC files), in order, read by ``site``'s rules (in every worker: it is plain data)."""
    max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")
    reader = PageReader(site, max_bytes)
    processes = pool_size(crawler.settings.getint("NEWSCRAWL_OFFLINE_PROCESSES"))
    pool = PagePool(reader, processes, (site, max_bytes))
    async for outcome in pool.outcomes(source_units(crawler, source)):
        yield outcome


def pool_size(setting: int) -> int:
    """Worker processes for ``NEWSCRAWL_OFFLINE_PROCESSES``: 0 means one per core this process
    may use.

    >>> pool_size(3)
    3
    """
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity outside Linux
        return os.cpu_count() or 1


# -- in a worker process ----------------------------------------------------------------------
# ProcessPoolExecutor's way to keep state in a worker: its initializer sets a module global.
_READER: PageReader | None = None


def start_worker(site: Site, max_bytes: int, crawler: int) -> None:
    """Build this worker's page reader from plain data: the site's definition and the largest
    page size. Signals are the crawler's business, not the workers'; the worker ends with the
    crawler's process (``crawler``: its pid)."""
    global _READER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    end_with(crawler)
    _READER = PageReader(site, max_bytes)


def read_batch(units: list[Unit]) -> list[Outcome]:
    """The outcomes of a batch of pages, in a worker; an article comes with its story's cluster
    fingerprint, the costliest step of the item pipelines, which the crawler's process (the
    one that runs them) is then spared."""
    assert _READER is not None, "start_worker() runs first in every worker"
    outcomes = [_READER.outcome(unit) for unit in units]
    for outcome in outcomes:
        if isinstance(outcome, Article) and outcome.body:
            outcome.fingerprint = fingerprint(story_text(outcome.dateline, outcome.body))
    return outcomes


# -- in the crawler's process -----------------------------------------------------------------
async def settled(future: Future[list[Outcome]]) -> list[Outcome]:
    """The pool's result for ``future``, awaited on the crawl's loop: asyncio's (Scrapy's
    default reactor, or no reactor at all), else the Twisted reactor's thread."""
    if is_asyncio_available():
        return await asyncio.wrap_future(future)
    return await maybe_deferred_to_future(when_done(future))


def when_done(future: Future[list[Outcome]]) -> Deferred[list[Outcome]]:
    """A Deferred that fires in the reactor's thread once the pool has done ``future``."""
    from twisted.internet import reactor  # the one Scrapy installed (importing it installs one)

    done: Deferred[list[Outcome]] = Deferred()

    def settle(finished: Future[list[Outcome]]) -> None:
        if finished.cancelled():
            return  # only at shutdown, when nobody awaits it
        error = finished.exception()
        if error is None:
            done.callback(finished.result())
        else:
            done.errback(error)

    future.add_done_callback(lambda f: reactor.callFromThread(settle, f))
    return done


class PagePool:
    """One offline run's worker processes; ``outcomes`` keeps the source's order."""

    def __init__(self, reader: PageReader, processes: int, worker: tuple[Any, ...]) -> None:
        self.reader = reader  # reads in this process when one process is asked for
        self.processes = processes
        self.worker = worker  # start_worker's arguments
        self.executor: ProcessPoolExecutor | None = None

    async def outcomes(self, units: Iterable[Unit]) -> AsyncIterator[Outcome]:
        """The outcome of each unit, in the units' order. A source of a single batch is read
        in this process: starting workers would cost more than they save."""
        batches = _batches(units)
        head = list(itertools.islice(batches, 2))
        if self.processes <= 1 or len(head) < 2:
            for batch in itertools.chain(head, batches):
                for unit in batch:
                    yield self.reader.outcome(unit)
            return
        finished = False
        try:
            async for outcome in self._pooled(itertools.chain(head, batches)):
                yield outcome
            finished = True
        finally:
            self.close(wait=finished)
            end_workers()

    async def _pooled(self, batches: Iterator[list[Unit]]) -> AsyncIterator[Outcome]:
        window: deque[tuple[list[Unit], Future[list[Outcome]]]] = deque()
        while True:
            for batch in itertools.islice(batches, WINDOW * self.processes - len(window)):
                window.append((batch, self._submit(batch)))
            if not window:
                return
            batch, future = window.popleft()
            try:
                outcomes = await settled(future)
            except BrokenProcessPool:
                suspects = [*batch, *(unit for pending, _ in window for unit in pending)]
                window.clear()
                async for outcome in self._one_by_one(suspects):
                    yield outcome
                continue
            for outcome in outcomes:
                yield outcome

    async def _one_by_one(self, units: list[Unit]) -> AsyncIterator[Outcome]:
        """The pages a dead worker left unread, one at a time in a new pool: a page that kills
        its worker again gets a rejects line, the others their outcome."""
        self.close(wait=False)
        for unit in units:
            try:
                (outcome,) = await settled(self._submit([unit]))
            except BrokenProcessPool as exc:
                self.close(wait=False)
                url = getattr(unit, "url", "")
                logger.error("a worker process died while parsing %s", url)
                outcome = Reject(url, CRASHED, str(exc)[:200], fails_run=True)
            yield outcome

    def _submit(self, batch: list[Unit]) -> Future[list[Outcome]]:
        if self.executor is None:
            logger.info("parsing pages in %d worker processes", self.processes)
            self.executor = ProcessPoolExecutor(
                self.processes,
                mp_context=worker_context(self.worker[0]),
                initializer=start_worker,
                initargs=(*self.worker, os.getpid()),
            )
        return self.executor.submit(read_batch, batch)

    def close(self, wait: bool = True) -> None:
        """Stop the workers (``wait``: until they have exited; else pages not yet started are
        dropped and the workers end in the background)."""
        if self.executor is not None:
            self.executor.shutdown(wait=wait, cancel_futures=not wait)
            self.executor = None


def end_workers() -> None:
    """Kill the worker processes pools of this process left (every page is read by then).
    After a worker died, Python 3.11's ProcessPoolExecutor can start a worker while its manager
    thread terminates the others, then wait for ever for that one, which waits for the crawler
    to end (``end_with``): measured here, 1 offline run in 15 whose worker crashed never exited
    after its summary, holding its lock. A worker keeps nothing to save."""
    for child in multiprocessing.active_children():
        child.kill()


def worker_context(spider_class: type) -> multiprocessing.context.BaseContext:
    """How worker processes start: ``forkserver`` where there is one, else ``spawn``; never a
    fork of this process, whose reactor runs (with its threads and open sockets). The fork
    server imports this module and the spider's before it forks, so each worker starts with
    them loaded (the modules are imported once, not once per worker)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, spider_class.__module__])
    return context


def _batches(units: Iterable[Unit]) -> Iterator[list[Unit]]:
    iterator = iter(units)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


class WindDown:
    """An offline run asked to stop by a signal (``commands/shutdown.py``): it stops reading
    its source, and closes once the pages it gave are through the item pipelines (closing
    earlier hangs Scrapy 2.19: see there). Counts the items given and the items through."""

    def __init__(self, crawler: Crawler) -> None:
        self.asked = False
        self.given = 0
        self.through = 0
        for passed in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.passed, signal=passed)

    def passed(self) -> None:
        self.through += 1

    async def drained(self) -> None:
        """Once every item given is through (and the scraper has counted it off)."""
        while self.through < self.given:
            await sleep(DRAIN_POLL)
        await sleep(DRAIN_POLL)  # the scraper's own count drops just after the signals
