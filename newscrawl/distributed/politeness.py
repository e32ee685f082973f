"""RedisClock: one politeness budget per host for all workers (``DOWNLOAD_DELAY``, pauses).

The clock of ``newscrawl.politeness.HostPolitenessMiddleware`` in distributed mode.

Each host has a hash ``newscrawl:host:<slot key>`` with ``next`` (the earliest time, on the
Redis server's clock, at which the next request may be sent) and ``paused`` (the end of a
``Retry-After`` pause). Before a request leaves, the worker *reserves* the next turn in one
atomic script (``at = max(now, next, paused)``, ``next = at + delay``) and waits until then;
if a pause began meanwhile, it reserves a new turn after the pause (so the requests that waited
go one per delay after it, not all at once). So N workers together send a host at most one
request per delay, and all of them hold back while it asked us to wait. The delay is
the worker's own for that host (``DOWNLOAD_DELAY``, as AutoThrottle adapts it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Self

import redis
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import sleep

from newscrawl.distributed import key
from newscrawl.distributed.connection import client, redis_lost
from newscrawl.politeness import MemoryClock

logger = logging.getLogger(__name__)

KEPT_MS = 600_000  # a host's budget is forgotten 10 minutes after its last turn

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""
# Reserve the host's next turn. KEYS: host. ARGV: delay ms, ms kept, 1 to reserve only while a
# pause is on (after a wait: a pause began meanwhile). Returns ms to wait (0: go now).
RESERVE = (
    _NOW
    + """
local next = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or '0')
if ARGV[3] == '1' and paused <= now then return 0 end
local at = math.max(now, next, paused)
redis.call('HSET', KEYS[1], 'next', at + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], at - now + tonumber(ARGV[1]) + tonumber(ARGV[2]))
return at - now
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


class RedisClock:
    """The hosts' turns and pauses in Redis, shared by every worker (see the module's docstring).

    After the shared turn, the worker's own ``MemoryClock`` has the last word: it holds the
    request while a pause this worker just set is on, and keeps the worker's own requests a
    delay apart when AutoThrottle raised its delay after the turn was reserved.
    """

    def __init__(self, crawler: Crawler, server: redis.Redis) -> None:
        self.crawler = crawler
        self.reserve = server.register_script(RESERVE)
        self.hold = server.register_script(PAUSE)
        self.local = MemoryClock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, client(crawler))

    async def turn(self, host: str, delay: Callable[[], float]) -> None:
        shared = key("host", host)
        try:
            again = 0  # the first reservation; then one more only if a pause began meanwhile
            while wait := int(
                self.reserve(keys=[shared], args=[int(delay() * 1000), KEPT_MS, again])
            ):
                self.crawler.stats.inc_value("newscrawl/shared_delay_ms", wait)
                await sleep(wait / 1000)
                again = 1
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)  # the worker stops; this request goes as it is
        await self.local.turn(host, delay)

    def pause(self, host: str, seconds: float) -> None:
        """A host asked us to wait (``Retry-After``, backoff): every worker waits with us."""
        self.local.pause(host, seconds)
        try:
            self.hold(keys=[key("host", host)], args=[int(seconds * 1000), KEPT_MS])
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
