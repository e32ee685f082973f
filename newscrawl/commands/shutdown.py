"""GracefulShutdown: what SIGTERM and SIGINT do to a `scrapy crawl` of ours.

The first signal asks the crawl to stop: a spider that reads a source offline winds down
itself (``SiteSpider.wind_down``: it stops reading, lets the pages it gave through the item
pipelines, then closes as ``shutdown``); any other crawl is stopped as Scrapy stops it. The
second signal stops the process at once (the next run rolls the run back).

Why not Scrapy's own handler for offline runs: Scrapy 2.19 waits for ever to close a spider
while an item from ``start()`` is still in its item pipelines, because nothing re-checks the
scraper's closing once that item is through (``Scraper.start_itemproc_async``; the run's
``closing`` deferred never fires). An offline run's every article comes from ``start()``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, cast

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names
from scrapy.utils.reactor import is_reactor_installed

logger = logging.getLogger(__name__)
STARTING_CHECK = 0.05  # seconds between looks at whether a starting crawl's engine runs yet


def call_soon(function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` in the crawl's loop thread (a signal handler must not log or stop
    things itself: it may interrupt code writing to the same stream)."""
    call_later(0, function, *args)


def call_later(delay: float, function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` in ``delay`` seconds (0: as soon as it can) in the crawl's loop
    thread, from any thread."""
    if is_reactor_installed():
        from twisted.internet import reactor

        reactor.callFromThread(cast(Any, reactor).callLater, delay, function, *args)
    else:
        import asyncio

        loop = asyncio.get_event_loop()
        loop.call_soon_threadsafe(loop.call_later, delay, function, *args)


class GracefulShutdown:
    """Signal handlers for one crawl; install them with ``install()`` before the crawler
    process starts with ``install_signal_handlers=False``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stopping: Any = None

    def install(self) -> None:
        install_shutdown_handlers(self.first)

    def first(self, signum: int, _: FrameType | None) -> None:
        install_shutdown_handlers(self.second)
        call_soon(self.stop, signum)

    def second(self, signum: int, _: FrameType | None) -> None:
        install_shutdown_handlers(signal.SIG_IGN)
        call_soon(self.force, signum)

    def stop(self, signum: int) -> None:
        name = signal_names.get(signum, signum)
        logger.info("Received %s, shutting down gracefully. Send again to force", name)
        self.stop_when_running()

    def stop_when_running(self) -> None:
        """Stop the crawl once its engine runs. Scrapy 2.19's ``Crawler.stop_async`` before
        that only marks the crawler stopped: the engine then runs the whole crawl, closes it as
        ``finished``, and its closing call to ``stop_async`` finds the crawler stopped already,
        so the process never ends (FRESH-USER-3: a SIGTERM 2 s after a live run's start)."""
        wind_down = getattr(self.crawler.spider, "wind_down", None)
        if wind_down is not None and wind_down():
            return  # the spider closes itself once its pages are through
        try:
            running = self.crawler.engine.running
        except RuntimeError:  # no engine yet (Scrapy's late attribute)
            running = False
        if not running:
            call_later(STARTING_CHECK, self.stop_when_running)
            return
        self.stopping = deferred_from_coro(self.crawler.stop_async())  # kept until it is done

    def force(self, signum: int) -> None:
        name = signal_names.get(signum, signum)
        logger.info("Received %s twice, forcing unclean shutdown", name)
        if is_reactor_installed():
            from twisted.internet import reactor

            # The installed reactor, typed as a module; stopping already: ReactorNotRunning.
            with contextlib.suppress(RuntimeError):
                cast(Any, reactor).stop()
        else:
            import asyncio

            asyncio.get_event_loop().stop()
