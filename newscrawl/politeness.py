"""HostPolitenessMiddleware: every host-wide rule in one downloader middleware.

The rules: at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests to a host at once, one request
per delay (``DOWNLOAD_DELAY``, as AutoThrottle adapts it), nothing while the host is paused
(its ``Retry-After`` on 429/503, else our backoff after a retryable error). The middleware is
the last step before Scrapy's downloader: ``process_request`` awaits the host's turn, so a
request waits here, not in the download slot, and goes out the moment its turn comes. A
request still waiting when the crawl stops (a first SIGTERM, a run that failed) is given up
at once (``LeftForNextRun``: never fetched, so the next run asks for it again) rather than
waited out behind a ``Retry-After`` of up to ``NEWSCRAWL_RETRY_AFTER_MAX`` (FRESH-USER-2).

Where the turns are kept is the clock's business (``NEWSCRAWL_HOST_CLOCK``): ``MemoryClock``
for one process; ``newscrawl.distributed.politeness.RedisClock`` shares them between workers.
The middleware reads the download slot's public ``delay`` and ``concurrency`` (what
AutoThrottle and ``DOWNLOAD_SLOTS`` set) and writes nothing to Scrapy's objects.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, Protocol, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl.middlewares import retry_after_seconds
from newscrawl.signals import host_paused

logger = logging.getLogger(__name__)

KEPT = 600.0  # seconds after its last turn that a host's clock is forgotten
STOP_CHECK = 0.5  # seconds between looks at whether the crawl is stopping, while a request waits


class LeftForNextRun(IgnoreRequest):
    """A request given up because the crawl is stopping: never fetched, so not seen, and the
    next run asks for it again. Not an error: the spiders' errbacks pass it over."""


def left_for_next_run(failure: Any) -> bool:
    """Whether a request's failure (a Twisted ``Failure``) is ``LeftForNextRun``."""
    return failure.check(LeftForNextRun) is not None


class HostClock(Protocol):
    """Where hosts' turns are kept. ``turn`` returns once a request may go to ``host``
    (``delay()``: the host's current delay in seconds); ``pause`` holds ``host`` back for
    ``seconds`` from now (a longer pause already running stays)."""

    async def turn(self, host: str, delay: Callable[[], float]) -> None: ...

    def pause(self, host: str, seconds: float) -> None: ...


@dataclass
class _Host:
    last: float = float("-inf")  # monotonic time the last request went
    paused: float = 0.0  # monotonic time the pause ends
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # turns in arrival order


class MemoryClock:
    """This process's clock: a host's next turn comes ``delay()`` after its last one (the delay
    read at that moment, so AutoThrottle's latest value counts) and not before its pause ends.
    A pause that begins while a request waits holds that request too."""

    def __init__(self) -> None:
        self.hosts: dict[str, _Host] = {}

    async def turn(self, host: str, delay: Callable[[], float]) -> None:
        state = self.hosts.setdefault(host, _Host())
        async with state.lock:
            while (wait := max(state.last + delay(), state.paused) - monotonic()) > 0:
                await sleep(wait)
            state.last = monotonic()
        self.forget_idle()

    def pause(self, host: str, seconds: float) -> None:
        state = self.hosts.setdefault(host, _Host())
        state.paused = max(state.paused, monotonic() + seconds)

    def forget_idle(self) -> None:
        """Drop hosts whose last turn and pause are long past (a broad crawl meets many)."""
        if len(self.hosts) < 1024:
            return
        stale = monotonic() - KEPT
        for host, state in list(self.hosts.items()):
            if max(state.last, state.paused) < stale and not state.lock.locked():
                del self.hosts[host]


class HostPolitenessMiddleware:
    """Holds each request until its host may be asked (see the module's docstring)."""

    def __init__(self, crawler: Crawler, clock: HostClock) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.clock = clock
        self.backoff = settings.getfloat("NEWSCRAWL_RETRY_BACKOFF")
        self.max_wait = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX")
        self.retry_codes = frozenset(int(x) for x in settings.getlist("RETRY_HTTP_CODES"))
        self.retry_exceptions = retry_exceptions(settings)
        self.gates: dict[str, asyncio.Semaphore] = {}
        self.holding: weakref.WeakKeyDictionary[Request, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # Unset in settings.py: the Redis add-on sets it (at a priority below the project's).
        clock_class = load_object(crawler.settings.get("NEWSCRAWL_HOST_CLOCK") or MemoryClock)
        middleware = cls(crawler, build_from_crawler(clock_class, crawler))
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    # -- the host's key, delay and concurrency, as Scrapy's downloader has them ----------------
    def host(self, request: Request) -> str:
        """The download slot key: the host, unless ``download_slot`` names another."""
        return self.crawler.engine.downloader.get_slot_key(request)

    def slot_value(self, host: str, name: str, default: float) -> float:
        """A download slot's ``delay`` or ``concurrency``; before the slot exists, what
        ``DOWNLOAD_SLOTS`` or the settings will give it."""
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is not None:
            return float(getattr(slot, name))
        return float(
            self.crawler.settings.getdict("DOWNLOAD_SLOTS").get(host, {}).get(name, default)
        )

    def delay(self, host: str) -> float:
        return self.slot_value(host, "delay", start_delay(self.crawler.settings))

    def concurrency(self, host: str) -> int:
        settings = self.crawler.settings
        default = settings.getint("CONCURRENT_REQUESTS_PER_IP") or settings.getint(
            "CONCURRENT_REQUESTS_PER_DOMAIN"
        )
        return max(1, int(self.slot_value(host, "concurrency", default)))

    # -- the downloader middleware --------------------------------------------------------
    async def process_request(self, request: Request, spider: Any = None) -> None:
        host = self.host(request)
        gate = self.gates.get(host) or self.gates.setdefault(
            host, asyncio.Semaphore(self.concurrency(host))
        )
        if gate.locked():  # a wait: given up if the crawl stops meanwhile
            await self.unless_stopped(gate.acquire(), request)
        else:
            await gate.acquire()
        self.holding[request] = gate
        try:
            await self.unless_stopped(self.clock.turn(host, lambda: self.delay(host)), request)
        except LeftForNextRun:
            self.release(request)
            raise

    async def unless_stopped(self, step: Awaitable[Any], request: Request) -> None:
        """``step`` awaited, unless the crawl stops first (``Crawler.crawling`` turns false,
        looked at every ``STOP_CHECK`` s): then ``step`` is cancelled and LeftForNextRun raised."""
        task = asyncio.ensure_future(step)
        while not task.done():
            await asyncio.wait({task}, timeout=STOP_CHECK)
            if not task.done() and not self.crawler.crawling:
                task.cancel()
                raise LeftForNextRun(f"not fetched, the crawl is stopping: {request.url}")
        task.result()

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        self.release(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        self.release(request)
        if isinstance(exception, self.retry_exceptions):
            self.pause(request, self.backoff_for(request.meta.get("retry_times", 0) + 1))

    def release(self, request: Request) -> None:
        gate = self.holding.pop(request, None)
        if gate is not None:
            gate.release()

    # -- pauses ---------------------------------------------------------------------------
    def response_downloaded(self, response: Response, request: Request) -> None:
        """Sent by the downloader before anything else may go to the host: the moment to pause."""
        wait = self.wait_for(request, response)
        if wait:
            self.pause(request, min(wait, self.max_wait))

    def wait_for(self, request: Request, response: Response) -> float | None:
        """How long the host asked us to wait (Retry-After), else our backoff; None: no wait."""
        if response.status not in self.retry_codes or request.meta.get("dont_retry"):
            return None
        if response.status in {429, 503}:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                return asked
        return self.backoff_for(request.meta.get("retry_times", 0) + 1)

    def backoff_for(self, retry_times: int) -> float:
        """1 s, 2 s, 4 s… (``NEWSCRAWL_RETRY_BACKOFF`` doubled per retry, at most 60 s)."""
        return float(min(60.0, self.backoff * 2 ** (retry_times - 1)))

    def pause(self, request: Request, seconds: float) -> None:
        if seconds <= 0:
            return
        host = self.host(request)
        self.clock.pause(host, seconds)
        self.crawler.stats.inc_value("newscrawl/retry_pauses")
        self.crawler.signals.send_catch_log(host_paused, slot=host, seconds=seconds)


def start_delay(settings: BaseSettings) -> float:
    """The delay of a host's first request: ``DOWNLOAD_DELAY``, or AutoThrottle's start delay."""
    delay = settings.getfloat("DOWNLOAD_DELAY")
    if settings.getbool("AUTOTHROTTLE_ENABLED"):
        return max(delay, settings.getfloat("AUTOTHROTTLE_START_DELAY"))
    return delay


def retry_exceptions(settings: BaseSettings) -> tuple[type[Exception], ...]:
    """The exceptions Scrapy's RetryMiddleware retries (``RETRY_EXCEPTIONS``): our backoff's."""
    if not settings.getbool("RETRY_ENABLED"):
        return ()
    return tuple(
        load_object(x) if isinstance(x, str) else x for x in settings.getlist("RETRY_EXCEPTIONS")
    )
