"""Downloader middlewares for politeness: retries that back off, and blocked runs that stop."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import deferred_from_coro

from newscrawl.signals import host_paused

logger = logging.getLogger(__name__)

_CHALLENGE_TITLE = re.compile(
    rb"<title[^>]*>\s*(?:just a moment|attention required|access denied|are you a robot|"
    rb"checking your browser|pardon our interruption)"
)
_CHALLENGE_MARK = re.compile(rb"cf-chl-|_Incapsula_Resource|g-recaptcha|cf-mitigated")


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or an HTTP date).

    >>> retry_after_seconds(b"2"), retry_after_seconds(b"soon")
    (2.0, None)
    >>> retry_after_seconds(b"Wed, 21 Oct 2026 07:28:05 GMT",
    ...                     datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC))
    5.0
    """
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus: the host waits out ``Retry-After`` (429/503), else backs off.

    Waiting pauses the host's whole download slot, so no other request goes there meanwhile.
    The pause is set on ``response_downloaded``, which fires before the slot sends its next
    request (the moment AutoThrottle uses too).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff = crawler.settings.getfloat("NEWSCRAWL_RETRY_BACKOFF")
        self.max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX")
        self.paused_until: dict[str, float] = {}  # per download slot (host)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def wait_for(self, request: Request, response: Response) -> float | None:
        """How long the host asked us to wait (Retry-After), else our backoff; None: no wait."""
        if response.status not in self.retry_http_codes or request.meta.get("dont_retry"):
            return None
        if response.status in {429, 503}:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                return asked
        return self.backoff_for(request.meta.get("retry_times", 0) + 1)

    def response_downloaded(self, response: Response, request: Request) -> None:
        wait = self.wait_for(request, response)
        if wait:
            self.pause(request, min(wait, self.max_wait))

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status in {429, 503}:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None and asked > self.max_wait:
                logger.warning("%s asks to wait %.0f s: more than we wait", request.url, asked)
                self.crawler.stats.inc_value("newscrawl/retry_after_too_long")
                return response
        return super().process_response(request, response)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Any:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self.pause(request, self.backoff_for(result.meta.get("retry_times", 1)))
        return result

    def backoff_for(self, retry_times: int) -> float:
        """1 s, 2 s, 4 s… (``NEWSCRAWL_RETRY_BACKOFF`` doubled per retry, at most 60 s)."""
        return float(min(60.0, self.backoff * 2 ** (retry_times - 1)))

    def pause(self, request: Request, seconds: float) -> None:
        """Hold the host's download slot for ``seconds``: its queue waits, like a delay."""
        engine = self.crawler.engine
        if seconds <= 0 or engine is None:
            return
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        until = monotonic() + seconds
        if slot is None or until <= self.paused_until.get(key, 0.0):
            return  # a longer pause is already running
        self.paused_until[key] = until
        if slot.latercall:
            slot.latercall.cancel()
        self.crawler.stats.inc_value("newscrawl/retry_pauses")
        self.crawler.signals.send_catch_log(host_paused, slot=key, seconds=seconds)
        # The downloader's own "wait before the next request" hook (what DOWNLOAD_DELAY uses).
        slot.latercall = call_later(seconds, downloader._latercall, slot)


class BlockDetector:
    """Ends the run as ``blocked`` when most answers are 403/429 or challenge pages."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.streak_limit = settings.getint("NEWSCRAWL_BLOCKED_STREAK")
        self.min_responses = settings.getint("NEWSCRAWL_BLOCKED_MIN_RESPONSES")
        self.ratio = settings.getfloat("NEWSCRAWL_BLOCKED_RATIO")
        self.seen = self.blocked = self.streak = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getint("NEWSCRAWL_BLOCKED_STREAK"):
            raise NotConfigured
        detector = cls(crawler)
        crawler.signals.connect(detector.spider_idle, signal=signals.spider_idle)
        return detector

    @staticmethod
    def is_blocked(response: Response) -> bool:
        """403/429, or a challenge page: by its title near the top, or (on 503) its marks."""
        if response.status in {403, 429} or response.headers.get("cf-mitigated"):
            return True
        head = response.body[:4096].lower()
        title = head.find(b"<title")
        if title >= 0 and _CHALLENGE_TITLE.match(head, title):
            return True
        return response.status == 503 and bool(_CHALLENGE_MARK.search(response.body[:65536]))

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if request.url.endswith("/robots.txt"):
            return response  # a 403 robots.txt only means "no rules"
        blocked = self.is_blocked(response)
        self.seen += 1
        self.blocked += blocked
        self.streak = self.streak + 1 if blocked else 0
        self.crawler.stats.inc_value("newscrawl/blocked_responses", int(blocked))
        if self.streak >= self.streak_limit:
            self.close(f"{self.streak} blocked answers in a row")
        return response

    def mostly_blocked(self) -> bool:
        return self.seen >= self.min_responses and self.blocked >= self.ratio * self.seen

    def spider_idle(self) -> None:
        if self.mostly_blocked():
            self.close(f"{self.blocked} of {self.seen} answers were blocked")
            raise DontCloseSpider

    def close(self, why: str) -> None:
        if self.closing or self.crawler.engine is None:
            return
        self.closing = True
        logger.error("the site is blocking us: %s; stopping the run", why)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="blocked"))


class _WithoutTraceback(logging.Filter):
    """A failed robots.txt download is one line, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True


class RobotsRulesMiddleware(RobotsTxtMiddleware):
    """robots.txt read as RFC 9309 says: a 4xx means no rules; a 5xx puts the host off limits.

    A host whose robots.txt answers 5xx is deferred to a later run, and the run says so.
    """

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _WithoutTraceback) for f in robots_logger.filters):
            robots_logger.addFilter(_WithoutTraceback())
        return super().from_crawler(crawler)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            logger.warning("robots.txt of %s answered %d: host deferred", netloc, response.status)
            self.crawler.stats.inc_value("newscrawl/robots_unavailable")
            response = response.replace(body=self.DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)
