"""One politeness budget per host for all workers: ``DOWNLOAD_DELAY`` and ``Retry-After``.

Each host has a hash ``newscrawl:host:<slot key>`` with ``next`` (the earliest time, on the
Redis server's clock, at which the next request may be sent) and ``paused`` (the end of a
``Retry-After`` pause). Before a request leaves, the worker *reserves* the next turn in one
atomic script (``at = max(now, next, paused)``, ``next = at + delay``) and waits until then;
after waiting it checks that no pause began meanwhile. So N workers together send a host at
most one request per delay, and all of them hold back while it asked us to wait. The delay is
the worker's own for that host (``DOWNLOAD_DELAY``, as AutoThrottle adapts it).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from time import monotonic
from typing import Any, Self

import redis
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

from newscrawl.distributed import key
from newscrawl.distributed.connection import client, redis_lost
from newscrawl.signals import host_paused

logger = logging.getLogger(__name__)

KEPT_MS = 600_000  # a host's budget is forgotten 10 minutes after its last turn

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""
# Reserve the host's next turn. KEYS: host. ARGV: delay ms. Returns ms to wait (0: go now).
RESERVE = (
    _NOW
    + """
local next = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or '0')
local at = math.max(now, next, paused)
redis.call('HSET', KEYS[1], 'next', at + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], at - now + tonumber(ARGV[1]) + tonumber(ARGV[2]))
return at - now
"""
)
# After a wait: ms still to wait if a pause began meanwhile, else 0. KEYS: host.
PAUSED = (
    _NOW
    + """
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or '0')
return math.max(0, paused - now)
"""
)
# Pause the host for ARGV[1] ms from now (a longer pause already set stays). KEYS: host.
PAUSE = (
    _NOW
    + """
local paused = now + tonumber(ARGV[1])
if paused > tonumber(redis.call('HGET', KEYS[1], 'paused') or '0') then
  redis.call('HSET', KEYS[1], 'paused', paused)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]))
end
return 1
"""
)


class SharedPolitenessMiddleware:
    """Waits for the host's shared turn before each request (the last downloader middleware).

    A request goes through only when this worker has a free transfer for the host (at most
    ``CONCURRENT_REQUESTS_PER_DOMAIN``, a gate per host), so it is sent the moment its turn
    comes: nothing waits in the download slot past a turn, or past the start of a pause.
    """

    def __init__(self, crawler: Crawler, server: redis.Redis) -> None:
        self.crawler = crawler
        self.default_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.concurrency = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.reserve = server.register_script(RESERVE)
        self.paused = server.register_script(PAUSED)
        self.pause = server.register_script(PAUSE)
        self.gates: dict[str, asyncio.Semaphore] = {}
        self.holding: weakref.WeakKeyDictionary[Request, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler, client(crawler))
        crawler.signals.connect(middleware.host_paused, signal=host_paused)
        return middleware

    def slot(self, request: Request) -> tuple[str, Slot | None]:
        """The host's key (Scrapy's download slot) and this worker's slot for it, if any."""
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        name = downloader.get_slot_key(request)
        return name, downloader.slots.get(name)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        name, slot = self.slot(request)
        gate = self.gates.setdefault(
            name, asyncio.Semaphore(slot.concurrency if slot else self.concurrency)
        )
        await gate.acquire()
        self.holding[request] = gate
        delay = slot.delay if slot is not None else self.default_delay
        host = key("host", name)
        try:
            wait = int(self.reserve(keys=[host], args=[int(delay * 1000), KEPT_MS]))
            while wait > 0:
                self.crawler.stats.inc_value("newscrawl/shared_delay_ms", wait)
                await sleep(wait / 1000)
                wait = int(self.paused(keys=[host]))
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)  # the worker stops; this request goes as it is
            return
        _, slot = self.slot(request)
        if slot is not None:
            # The shared turn replaces the worker's own wait: its slot must not add a (random)
            # delay on top, which would push this request into the next worker's turn.
            slot.lastseen = min(slot.lastseen, monotonic() - 2 * slot.delay)

    def release(self, request: Request) -> None:
        gate = self.holding.pop(request, None)
        if gate is not None:
            gate.release()

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        self.release(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        self.release(request)

    def host_paused(self, slot: str, seconds: float) -> None:
        """A host asked us to wait (``Retry-After``, backoff): every worker waits with us."""
        try:
            self.pause(keys=[key("host", slot)], args=[int(seconds * 1000), KEPT_MS])
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
