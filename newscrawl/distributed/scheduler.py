"""SharedScheduler: scrapy-redis's queue and duplicate filter, shared by the workers of a crawl.

A thin adapter over scrapy-redis 0.9.1 for what it gets wrong on Scrapy 2.19:

- keys per crawl, not per spider: ``newscrawl:<spider>:<crawl>:requests|dupefilter``. A worker
  joins the crawl its spider is running (``newscrawl:<spider>:crawl``) while some worker of it
  is alive, else starts a new one, so the next cron crawl reads the listings afresh.
  ``NEWSCRAWL_REDIS_CRAWL`` names a crawl instead (rerun afresh once done, resumed if not);
- the queue is kept when a worker closes (scrapy-redis's ``SCHEDULER_PERSIST``), and requests
  travel as JSON (``requests``), never as pickles;
- the crawl ends when it is done: the queue empty and no live worker busy. Each worker says
  how many requests it has in flight: every pop counts one at once (atomically with the pop),
  its heartbeat (every lease/3) sets the true count, and when it runs dry it sets 0 and checks
  the crawl in one atomic script. A worker whose lease lapsed (killed) no longer counts.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any, Self

import orjson
import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newscrawl.archive import FETCHED_AT
from newscrawl.distributed import key, requests
from newscrawl.distributed.connection import client, lease_ms, redis_lost, worker_id
from newscrawl.signals import run_listed

logger = logging.getLogger(__name__)

IDLE_POLL = (0.01, 0.5)  # seconds between looks at the queue while idle: first, at most
DONE_KEPT = 86_400  # seconds a finished (or forsaken) crawl's traces stay in Redis
RUNS_KEPT = 10_000  # run summaries kept in the stream newscrawl:<spider>:runs
# Notes a download leaves in request.meta (a retry copies them): dropped before queueing.
LAST_ANSWER_NOTES = ("download_latency", FETCHED_AT)

# Pop the highest priority request and count it in flight for this worker, atomically.
POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return popped[1]
"""

# Join the crawl that has a live worker, or start ARGV[1]. KEYS[1]: the spider's current crawl
# ('' for a crawl named in the settings). ARGV: crawl, key prefix, worker, lease ms, named?,
# the Redis server's run_id: a crawl begun before Redis restarted is not joined (its workers
# all stopped when it went away, and the requests they held are lost to its queue).
JOIN = """
local crawl = ARGV[1]
local function live(base)
  for _, w in ipairs(redis.call('HKEYS', base .. 'workers')) do
    if redis.call('EXISTS', base .. 'alive:' .. w) == 1 then return true end
  end
  return false
end
if ARGV[5] == '0' then
  local current = redis.call('GET', KEYS[1])
  local same = redis.call('GET', KEYS[1] .. ':redis') == ARGV[6]
  if current and same and live(ARGV[2] .. current .. ':') then crawl = current end
  redis.call('SET', KEYS[1], crawl)
  redis.call('SET', KEYS[1] .. ':redis', ARGV[6])
end
local base = ARGV[2] .. crawl .. ':'
if redis.call('EXISTS', base .. 'done') == 1 then
  redis.call('DEL', base .. 'done', base .. 'requests', base .. 'dupefilter', base .. 'workers')
end
redis.call('HSET', base .. 'workers', ARGV[3], 1)
redis.call('SET', base .. 'alive:' .. ARGV[3], 1, 'PX', ARGV[4])
return crawl
"""

# Heartbeat: this worker is alive with ARGV[2] requests in flight. Returns 1 once done.
# KEYS: requests, dupefilter, workers, done, this worker's alive key. The crawl's keys expire
# a day after its last heartbeat: a crawl whose workers all died leaves nothing for good.
BEAT = """
if redis.call('EXISTS', KEYS[4]) == 1 then return 1 end
redis.call('SET', KEYS[5], 1, 'PX', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
return 0
"""

# This worker ran dry: is the crawl done? KEYS: requests, workers, done, dupefilter, pointer.
# ARGV: worker, alive key prefix, crawl, seconds kept. A worker taken for dead (its lease
# lapsed) that pushes requests after the end drains them itself before it stops.
IDLE = """
if redis.call('EXISTS', KEYS[3]) == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
redis.call('HSET', KEYS[2], ARGV[1], 0)
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
local workers = redis.call('HGETALL', KEYS[2])
for i = 1, #workers, 2 do
  if tonumber(workers[i + 1]) > 0 then
    if redis.call('EXISTS', ARGV[2] .. workers[i]) == 1 then return 0 end
    redis.call('HDEL', KEYS[2], workers[i])
  end
end
redis.call('SET', KEYS[3], 1, 'EX', ARGV[4])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
if redis.call('GET', KEYS[5]) == ARGV[3] then redis.call('DEL', KEYS[5]) end
return 1
"""


class SharedQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue (a sorted set) whose pop also marks the worker busy."""

    def __init__(self, server: redis.Redis, spider: Spider, queue_key: str, busy: Any) -> None:
        super().__init__(server, spider, queue_key, serializer=requests)
        self.busy = busy  # () -> the popped entry or None

    def pop(self, timeout: int = 0) -> Request | None:
        data = self.busy()
        return self._decode_request(data) if data else None


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """One worker's view of the crawl's shared queue (see the module's docstring)."""

    def __init__(self, crawler: Crawler, server: redis.Redis) -> None:
        super().__init__(server, persist=True, serializer=requests)
        self.crawler = crawler
        self.stats = crawler.stats
        self.worker = worker_id()
        self.lease = lease_ms(crawler)
        self.named = crawler.settings.get("NEWSCRAWL_REDIS_CRAWL") or ""
        self.crawl = ""
        self.done = False
        self.poll = IDLE_POLL[0]  # doubles while the queue stays empty, back to the first on a pop
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
        self.queue = SharedQueue(self.server, spider, self.keys["requests"], self.pop)
        debug = self.crawler.settings.getbool("DUPEFILTER_DEBUG")
        self.df = RFPDupeFilter(self.server, key=self.keys["dupefilter"], debug=debug)
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
        while True:
            try:
                request = self.queue.pop()
            except redis.RedisError as exc:
                redis_lost(self.crawler, exc)
                return None
            except (ValueError, TypeError, KeyError) as exc:  # not a request we would make
                logger.warning("dropped an unsafe entry of the shared queue: %s", exc)
                self.stats.inc_value("newscrawl/redis_unsafe_requests")
                continue
            if request is not None:
                self.stats.inc_value("scheduler/dequeued/redis")
                self.poll = IDLE_POLL[0]
            return request

    def pop(self) -> bytes | None:
        popped: bytes | None = self.scripts["pop"](
            keys=[self.keys["requests"], self.keys["workers"]], args=[self.worker]
        )
        return popped

    def has_pending_requests(self) -> bool:
        try:
            return len(self.queue) > 0
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
            return False

    def close(self, reason: str) -> None:
        """Leave the crawl (others stop counting on us); the queue stays for them."""
        if self.heartbeat.running:
            self.heartbeat.stop()
        try:
            self.server.hdel(self.keys["workers"], self.worker)
            self.server.delete(self.keys["alive:"] + self.worker)
        except redis.RedisError:
            pass  # the lease lapses by itself

    # -- crawl membership -----------------------------------------------------------------
    def in_flight(self) -> int:
        """Requests this worker holds: downloading, being parsed, or still to come from start()."""
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return 0
        scraping = engine.scraper.slot.active if engine.scraper.slot else ()
        starting = getattr(engine, "_start", None) is not None
        return len(engine.downloader.active) + len(scraping) + int(starting)

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
        if self.done or getattr(self.crawler, "_newscrawl_redis_lost", False):
            return
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
            return
        if self.done:
            logger.info("crawl %s is done: its queue is empty and no worker is busy", self.crawl)
            return
        slot = getattr(self.crawler.engine, "_slot", None)  # the engine's own wake-up call
        if slot is not None:
            slot.nextcall.schedule(self.poll)
            self.poll = min(2 * self.poll, IDLE_POLL[1])
        raise DontCloseSpider

    def run_listed(self, record: dict[str, Any]) -> None:
        """Each worker's runs.jsonl line also goes to ``newscrawl:<spider>:runs`` (a stream)."""
        fields = {"crawl": self.crawl, "worker": self.worker, "record": orjson.dumps(record)}
        try:
            self.server.xadd(
                key(self.spider.name, "runs"), fields, maxlen=RUNS_KEPT, approximate=True
            )
        except redis.RedisError as exc:
            logger.warning("could not publish the run summary to Redis: %s", exc)


SCRIPTS = {"pop": POP, "join": JOIN, "beat": BEAT, "idle": IDLE}
