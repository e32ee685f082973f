"""The crawl's shared request queue and duplicate filter: scrapy-redis's, as published.

``SharedQueue`` is scrapy-redis's ``PriorityQueue`` (a sorted set scored by ``-priority``) with
our JSON serializer (``requests``: never pickles) passed through its public ``serializer``
argument. ``SharedDupeFilter`` is its ``RFPDupeFilter`` with the crawl's own request
fingerprints (``crawler.request_fingerprinter``) through its public ``request_fingerprint``
method: 0.9.1 hashes requests its own way (``../shared/research/scale-out.md`` §1.1).
What we add is the in-flight count a crawl needs to know it is done: see ``SharedQueue.pop``.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from newscrawl.distributed import requests

logger = logging.getLogger(__name__)


class SharedQueue:
    """The crawl's requests, highest priority first (scrapy-redis's ``PriorityQueue``).

    A pop counts the request in flight for this worker (the ``workers`` hash) *before* it takes
    it, and gives the count back if the queue was empty, so between the pop and the download
    the crawl never looks done to another worker (at worst it looks busy a moment longer).
    Raises ``requests.UnsafeRequest`` for a request JSON cannot carry (push) and for an entry
    that is not a request we would make (pop).
    """

    def __init__(
        self, server: redis.Redis, spider: Spider, queue_key: str, workers_key: str, worker: str
    ) -> None:
        # scrapy-redis formats the key with the spider's name: a '%' in it must stay literal.
        self.queue = PriorityQueue(
            server, spider, queue_key.replace("%", "%%"), serializer=requests
        )
        self.server = server
        self.workers_key = workers_key
        self.worker = worker

    def push(self, request: Request) -> None:
        self.queue.push(request)

    def pop(self) -> Request | None:
        self.server.hincrby(self.workers_key, self.worker, 1)
        try:
            request: Request | None = self.queue.pop()
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self.server.hincrby(self.workers_key, self.worker, -1)
            raise requests.UnsafeRequest(str(exc)) from None
        if request is None:
            self.server.hincrby(self.workers_key, self.worker, -1)
        return request

    def __len__(self) -> int:
        return len(self.queue)


class SharedDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # scrapy-redis has no type hints
    """Requests any worker of the crawl has queued, in a Redis set (scrapy-redis's filter),
    by the crawl's own request fingerprints; ``dont_filter`` requests pass (the scheduler)."""

    def __init__(self, crawler: Crawler, server: redis.Redis, key: str) -> None:
        super().__init__(server, key, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        self.crawler = crawler

    def request_fingerprint(self, request: Request) -> str:
        """Scrapy's fingerprint of the request (``REQUEST_FINGERPRINTER_CLASS``), as hex."""
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def log(self, request: Request, spider: Any = None) -> None:
        """scrapy-redis's log line, and Scrapy's count of filtered requests."""
        super().log(request, spider)
        self.crawler.stats.inc_value("dupefilter/filtered")

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: the crawl's other workers still use them (scrapy-redis deletes
        them on close; the crawl's keys expire with the crawl instead)."""
