"""The crawl's shared request queue and duplicate filter in Redis (used by ``SharedScheduler``).

Both replace scrapy-redis 0.9.1's: its queue was reached through a private method to count a
pop in flight, and its duplicate filter hashes requests its own way instead of with the crawl's
``REQUEST_FINGERPRINTER_CLASS`` (``../shared/research/scale-out.md`` §1.1). The layout is the
same: a sorted set of JSON requests scored by ``-priority``, a set of fingerprints.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

from newscrawl.distributed import requests

logger = logging.getLogger(__name__)

# Pop the highest priority request and count it in flight for this worker, atomically.
POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return popped[1]
"""


class SharedQueue:
    """The crawl's requests, highest priority first; a pop counts the request in flight for
    this worker (``workers`` hash) in the same atomic step, so the crawl cannot look done
    between the pop and the download. Raises ``requests.UnsafeRequest`` for a request JSON
    cannot carry (push) and for an entry that is not a request we would make (pop)."""

    def __init__(
        self, server: redis.Redis, spider: Spider, queue_key: str, workers_key: str, worker: str
    ) -> None:
        self.server = server
        self.spider = spider
        self.key = queue_key
        self.workers_key = workers_key
        self.worker = worker
        self.pop_script = server.register_script(POP)

    def push(self, request: Request) -> None:
        data = requests.dumps(request.to_dict(spider=self.spider))
        self.server.zadd(self.key, {data: -request.priority})

    def pop(self) -> Request | None:
        data: bytes | None = self.pop_script(keys=[self.key, self.workers_key], args=[self.worker])
        if not data:
            return None
        try:
            return request_from_dict(requests.loads(data), spider=self.spider)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise requests.UnsafeRequest(str(exc)) from None

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))


class SharedDupeFilter:
    """Requests any worker of the crawl has queued: the crawl's own request fingerprints
    (``crawler.request_fingerprinter``) in a Redis set; ``dont_filter`` requests pass."""

    def __init__(self, crawler: Crawler, server: redis.Redis, key: str) -> None:
        self.crawler = crawler
        self.server = server
        self.key = key
        self.debug = crawler.settings.getbool("DUPEFILTER_DEBUG")
        self.told = False

    def request_seen(self, request: Request) -> bool:
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request)
        return not self.server.sadd(self.key, fingerprint)

    def log(self, request: Request, spider: Any = None) -> None:
        """As Scrapy's filter says it: every duplicate with DUPEFILTER_DEBUG, else the first."""
        if self.debug or not self.told:
            more = "" if self.debug else " - no more duplicates will be shown"
            logger.debug("Filtered duplicate request: %s%s", request, more)
            self.told = True
        self.crawler.stats.inc_value("dupefilter/filtered")
