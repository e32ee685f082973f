"""Distributed mode: N workers share one crawl through Redis (``NEWSCRAWL_REDIS_URL``).

Each ``scrapy crawl <spider> -s NEWSCRAWL_REDIS_URL=redis://HOST:PORT/DB`` is one worker:

- ``scheduler``: the shared request queue and duplicate filter (``queue``), keyed per crawl,
  requests stored as JSON; the crawl ends when the queue is empty and no worker is busy;
- ``seen``: the seen store (story ids and content hashes claimed under a lease, committed
  with the run) that makes every story written once across all workers;
- ``politeness``: one request budget per host (``DOWNLOAD_DELAY``, ``Retry-After``) for all.

Without the setting, none of this is loaded. All keys start with ``newscrawl:``.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

PREFIX = "newscrawl:"


def key(*parts: Any) -> str:
    """A Redis key under the project's prefix.

    >>> key("menafn", "crawl")
    'newscrawl:menafn:crawl'
    """
    return PREFIX + ":".join(str(p) for p in parts)


class RedisAddon:
    """Turns a worker into one of a shared crawl when ``NEWSCRAWL_REDIS_URL`` is set.

    A Scrapy add-on: it only sets components (at add-on priority), so any spider works.
    Without the setting it does nothing, and Redis is not even imported.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("NEWSCRAWL_REDIS_URL"):
            return  # a single process: nothing changes
        settings.set("SCHEDULER", "newscrawl.distributed.scheduler.SharedScheduler", "addon")
        clock = "newscrawl.distributed.politeness.RedisClock"  # the hosts' turns, shared
        settings.set("NEWSCRAWL_HOST_CLOCK", clock, "addon")
