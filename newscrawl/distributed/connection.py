"""The worker's Redis connection, its name, its lease, and what happens when Redis goes away."""

from __future__ import annotations

import logging
import os
import socket
import uuid
import weakref
from urllib.parse import urlsplit, urlunsplit

import redis
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from newscrawl.state import StoreUnavailable

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 5.0  # seconds; a Redis that stops answering stops the worker, not forever
LOST_REASON = "redis_lost"  # the close reason of a worker whose Redis went away

_clients: weakref.WeakKeyDictionary[Crawler, redis.Redis] = weakref.WeakKeyDictionary()
_lost: weakref.WeakSet[Crawler] = weakref.WeakSet()  # crawlers whose Redis went away


class RedisUnavailable(StoreUnavailable):
    """Redis does not answer: at start the run fails before writing anything (exit status 1)."""


def safe_url(url: str) -> str:
    """The URL without its password, for messages.

    >>> safe_url("redis://:secret@10.0.0.5:6379/2")
    'redis://10.0.0.5:6379/2'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def client(crawler: Crawler) -> redis.Redis:
    """The worker's one Redis client (one connection pool for every component), checked live.

    Raises ``RedisUnavailable`` when the server cannot be reached or refuses us.
    """
    if crawler in _clients:
        return _clients[crawler]
    url = crawler.settings["NEWSCRAWL_REDIS_URL"]
    try:
        server = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT
        )
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnavailable(f"cannot use Redis at {safe_url(url)}: {exc}") from None
    _clients[crawler] = server
    return server


def worker_id() -> str:
    """This process, named for people reading Redis: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lease_ms(crawler: Crawler) -> int:
    """``NEWSCRAWL_REDIS_LEASE`` in milliseconds: how long a silent worker keeps its claims."""
    return int(crawler.settings.getfloat("NEWSCRAWL_REDIS_LEASE") * 1000)


def is_lost(crawler: Crawler) -> bool:
    """Whether this worker's Redis went away mid-run (``redis_lost`` was called)."""
    return crawler in _lost


def redis_lost(crawler: Crawler, exc: Exception) -> None:
    """Stop the worker cleanly after a Redis failure mid-run (once; later calls are quiet)."""
    if crawler in _lost:
        return
    _lost.add(crawler)
    logger.error("Redis failed mid-run (%s): stopping this worker", exc)
    if crawler.stats is not None:
        crawler.stats.set_value("newscrawl/redis_lost", str(exc))
    try:
        engine = crawler.engine
    except RuntimeError:  # Scrapy 2.19: no engine yet (not crawling): nothing to stop
        return
    if engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=LOST_REASON))
