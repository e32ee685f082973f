"""SharedScheduler: one request queue and duplicate filter for all the workers of a crawl.

Scrapy's scheduler interface over scrapy-redis's queue and duplicate filter (``queue.py``),
built for what scrapy-redis 0.9.1's own scheduler gets wrong on Scrapy 2.19
(``../shared/research/scale-out.md``):

- keys per crawl, not per spider: ``newscrawl:<spider>:<crawl>:requests|dupefilter``. A worker
  joins the crawl its spider is running (``newscrawl:<spider>:crawl``) while some worker of it
  is alive, else starts a new one, so the next cron crawl reads the listings afresh.
  ``NEWSCRAWL_REDIS_CRAWL`` names a crawl instead (rerun afresh once done, resumed if not);
- the queue is kept when a worker closes (scrapy-redis deletes it unless ``SCHEDULER_PERSIST``),
  and requests travel as JSON (``requests``), never as pickles;
- the crawl ends when it is done: the queue empty and no live worker busy. Each worker says
  how many requests it has in flight: every pop counts one first (``queue.py``),
  its heartbeat (every lease/3) sets the true count, and when it runs dry it sets 0 and checks
  the crawl in one atomic script. A worker whose lease lapsed (killed) no longer counts;
- an idle worker looks at the queue again shortly (first every 10 ms, then less often), not
  at the engine's next heartbeat (5 s): a request it pops is handed to the engine through
  ``engine.crawl``, which wakes it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from typing import Any, Self

import orjson
import redis
from redis.typing import EncodableT, FieldT
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from newscrawl.archive import FETCHED_AT
from newscrawl.distributed import key, requests
from newscrawl.distributed.connection import client, is_lost, lease_ms, redis_lost, worker_id
from newscrawl.distributed.queue import SharedDupeFilter, SharedQueue
from newscrawl.distributed.scheduler_scripts import SCRIPTS
from newscrawl.signals import run_listed

logger = logging.getLogger(__name__)

IDLE_POLL = (0.01, 0.5)  # seconds between looks at the queue while idle: first, at most
DONE_KEPT = 86_400  # seconds a finished (or forsaken) crawl's traces stay in Redis
RUNS_KEPT = 10_000  # run summaries kept in the stream newscrawl:<spider>:runs
# Notes a download leaves in request.meta (a retry copies them): dropped before queueing.
LAST_ANSWER_NOTES = ("download_latency", FETCHED_AT)


class SharedScheduler:
    """One worker's view of the crawl's shared queue (see the module's docstring); Scrapy's
    scheduler interface (``scrapy.core.scheduler.BaseScheduler``)."""

    def __init__(self, crawler: Crawler, server: redis.Redis) -> None:
        self.crawler = crawler
        self.server = server
        self.stats = crawler.stats
        self.worker = worker_id()
        self.lease = lease_ms(crawler)
        self.named = crawler.settings.get("NEWSCRAWL_REDIS_CRAWL") or ""
        self.crawl = ""
        self.done = False
        self.poll = IDLE_POLL[0]  # doubles while the queue stays empty, back to the first on a pop
        self.polling: CallLaterResult | None = None
        self.handed: deque[Request] = deque()  # popped while idle, handed to the engine
        self.keys: dict[str, str] = {}
        self.heartbeat = LoopingCall(self.beat)
        self.scripts = {name: server.register_script(code) for name, code in SCRIPTS.items()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = cls(crawler, client(crawler))
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.run_listed, signal=run_listed)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.crawl = self.join(spider.name)
        base = key(spider.name, self.crawl)
        self.keys = {
            name: f"{base}:{name}"
            for name in ("requests", "dupefilter", "workers", "done", "alive:")
        }
        self.queue = SharedQueue(
            self.server, spider, self.keys["requests"], self.keys["workers"], self.worker
        )
        self.df = SharedDupeFilter(self.crawler, self.server, self.keys["dupefilter"])
        self.stats.set_value("newscrawl/crawl", self.crawl)
        self.heartbeat.start(self.lease / 3000, now=False)
        logger.info(
            "worker %s joined crawl %s of %s (%d requests queued)",
            self.worker, self.crawl, spider.name, len(self.queue),
        )  # fmt: skip

    def join(self, spider: str) -> str:
        new = self.named or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + uuid.uuid4().hex[:4]
        server = self.server.info("server")["run_id"]
        crawl: bytes = self.scripts["join"](
            keys=[key(spider, "crawl")],
            args=[new, key(spider, ""), self.worker, self.lease, int(bool(self.named)), server],
        )
        return crawl.decode()

    # -- the scheduler interface ----------------------------------------------------------
    def enqueue_request(self, request: Request) -> bool:
        if self.handed and request is self.handed[-1]:
            return True  # popped while idle and handed over by engine.crawl: it is ours already
        for note in LAST_ANSWER_NOTES:  # about the answer before a retry: not the next one's
            request.meta.pop(note, None)
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
            return False
        except requests.UnsafeRequest as exc:  # a spider's or middleware's bug: said, counted
            logger.error("cannot queue %s: %s", request.url, exc)
            self.stats.inc_value("newscrawl/errors")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.handed:
            return self.handed.popleft()
        while True:
            try:
                request = self.queue.pop()
            except redis.RedisError as exc:
                redis_lost(self.crawler, exc)
                return None
            except requests.UnsafeRequest as exc:  # not a request we would make
                logger.warning("dropped an unsafe entry of the shared queue: %s", exc)
                self.stats.inc_value("newscrawl/redis_unsafe_requests")
                continue
            if request is not None:
                self.stats.inc_value("scheduler/dequeued/redis")
                self.poll = IDLE_POLL[0]
            return request

    def __len__(self) -> int:
        return len(self.handed) + len(self.queue)

    def has_pending_requests(self) -> bool:
        try:
            return len(self) > 0
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
            return False

    def close(self, reason: str) -> None:
        """Leave the crawl (others stop counting on us); the queue stays for them."""
        if self.heartbeat.running:
            self.heartbeat.stop()
        if self.polling is not None:
            self.polling.cancel()
        try:
            self.server.hdel(self.keys["workers"], self.worker)
            self.server.delete(self.keys["alive:"] + self.worker)
        except redis.RedisError:
            pass  # the lease lapses by itself

    # -- crawl membership -----------------------------------------------------------------
    def in_flight(self) -> int:
        """Requests this worker holds: downloading, being parsed, or still to come from start()
        (the engine is not idle: 1)."""
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return 0
        scraping = engine.scraper.slot.active if engine.scraper.slot else ()
        busy = len(engine.downloader.active) + len(scraping)
        try:
            return busy or int(not engine.spider_is_idle())
        except RuntimeError:  # closing: the engine has let go of the spider
            return 0

    def beat(self) -> None:
        try:
            self.scripts["beat"](  # 1 once the crawl is done; spider_idle decides to stop
                keys=[
                    self.keys["requests"], self.keys["dupefilter"], self.keys["workers"],
                    self.keys["done"], self.keys["alive:"] + self.worker,
                ],
                args=[self.worker, self.in_flight(), self.lease, DONE_KEPT],
            )  # fmt: skip
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)

    def spider_idle(self) -> None:
        """Ran dry: close if the crawl is done, else look at the queue again shortly."""
        if self.done or is_lost(self.crawler):
            return
        if self.crawl_done():
            return
        self.poll_later()
        raise DontCloseSpider

    def crawl_done(self) -> bool:
        """Tell Redis this worker ran dry; True once the crawl is done (the queue empty and no
        live worker busy)."""
        try:
            self.done = bool(
                self.scripts["idle"](
                    keys=[
                        self.keys["requests"], self.keys["workers"], self.keys["done"],
                        self.keys["dupefilter"], key(self.spider.name, "crawl"),
                    ],
                    args=[self.worker, self.keys["alive:"], self.crawl, DONE_KEPT],
                )
            )  # fmt: skip
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
            return False
        if self.done:
            logger.info("crawl %s is done: its queue is empty and no worker is busy", self.crawl)
        return self.done

    def poll_later(self) -> None:
        if self.polling is None:
            self.polling = call_later(self.poll, self.look_again)
            self.poll = min(2 * self.poll, IDLE_POLL[1])

    def look_again(self) -> None:
        """While idle: hand a request another worker queued to the engine (``engine.crawl``
        wakes it), or close once the crawl is done, or look again later."""
        self.polling = None
        engine = self.crawler.engine
        if self.done or is_lost(self.crawler) or engine is None or engine.spider is None:
            return
        request = self.next_request()
        if request is not None:
            self.handed.append(request)
            engine.crawl(request)
        elif self.crawl_done():
            deferred_from_coro(engine.close_spider_async(reason="finished"))
        else:
            self.poll_later()

    def run_listed(self, record: dict[str, Any]) -> None:
        """Each worker's runs.jsonl line also goes to ``newscrawl:<spider>:runs`` (a stream)."""
        fields: dict[FieldT, EncodableT] = {
            "crawl": self.crawl, "worker": self.worker, "record": orjson.dumps(record),
        }  # fmt: skip
        try:
            self.server.xadd(
                key(self.spider.name, "runs"), fields, maxlen=RUNS_KEPT, approximate=True
            )
        except redis.RedisError as exc:
            logger.warning("could not publish the run summary to Redis: %s", exc)
