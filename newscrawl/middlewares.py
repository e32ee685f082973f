"""Downloader middlewares: retries, blocked runs that stop, robots.txt read as RFC 9309 says."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

_CHALLENGE_TITLE = re.compile(
    rb"<title[^>]*>\s*(?:just a moment|attention required|access denied|are you a robot|"
    rb"checking your browser|pardon our interruption)"
)
_CHALLENGE_MARK = re.compile(rb"cf-chl-|_Incapsula_Resource|g-recaptcha|cf-mitigated")
_DENIED_HEADING = re.compile(rb"<h1[^>]*>\s*(?:access denied|request blocked|forbidden)\b")
SMALL_PAGE = 4096  # bytes: a block page is a few hundred; no listing, feed or story is this small


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
    """Scrapy's retries, except that a ``Retry-After`` longer than ``NEWSCRAWL_RETRY_AFTER_MAX``
    gives the page up for this run, and a 404 reached by a redirect that only added a trailing
    slash is retried at the URL before the redirect. (The waiting, for Retry-After and our
    backoff, is host-wide: ``newscrawl.politeness.HostPolitenessMiddleware``.)"""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status in {429, 503}:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None and asked > self.max_wait:
                logger.warning("%s asks to wait %.0f s: more than we wait", request.url, asked)
                self.crawler.stats.inc_value("newscrawl/retry_after_too_long")
                return response
        if response.status == 404 and not request.meta.get("dont_retry"):
            first = slash_redirect_origin(request)
            if first is not None and self.crawler.spider is not None:  # ask the first form again
                self.crawler.stats.inc_value("newscrawl/slash_redirect_retries")
                reason = f"redirected from {first} to a missing trailing-slash URL"
                retry = get_retry_request(
                    request.replace(url=first),
                    spider=self.crawler.spider,
                    reason=reason,
                    max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                )
                return retry or response
        return super().process_response(request, response)


def added_slash(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with a slash added to the end of its path.

    >>> added_slash("https://w/rss/list.rss", "https://w/rss/list.rss/")
    True
    >>> added_slash("https://w/rss/list.rss?a=1", "https://w/rss/list.rss/?a=1")
    True
    >>> added_slash("https://w/a", "https://w/b/"), added_slash("https://w/a/", "https://w/a/")
    (False, False)
    """
    one, two = urlsplit(before), urlsplit(after)
    same_rest = (one.scheme, one.netloc, one.query) == (two.scheme, two.netloc, two.query)
    return same_rest and two.path == one.path + "/"


def slash_redirect_origin(request: Request) -> str | None:
    """The URL a request was redirected from, when the redirect only added a trailing slash
    (PR Newswire's feed does so about one time in three, to a URL that is 404:
    discovery-sitemaps.md); else None."""
    redirected = request.meta.get("redirect_urls") or []
    if redirected and added_slash(redirected[-1], request.url):
        return str(redirected[-1])
    return None


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
        """403/429; a challenge page: by its title near the top, by an "Access Denied" heading
        in a small page, or (on 503) its marks; or a 200 with nothing in it. (PR Newswire's
        block page is a 200 "Access Denied" with an empty body: discovery-sitemaps.md.)

        >>> from scrapy.http import HtmlResponse
        >>> page = lambda body, status=200: HtmlResponse("https://x/", status=status, body=body)
        >>> blocked = BlockDetector.is_blocked
        >>> [blocked(page(b)) for b in (b"", b"  ", b"<H1>Access Denied</H1>", b"<p>Hello")]
        [True, True, True, False]
        >>> blocked(page(b"", status=301))
        False
        """
        body = response.body
        if response.status in {403, 429} or response.headers.get("cf-mitigated"):
            return True
        if response.status == 200 and not body.strip():
            return True
        head = body[:SMALL_PAGE].lower()
        title = head.find(b"<title")
        if title >= 0 and _CHALLENGE_TITLE.match(head, title):
            return True
        if len(body) <= SMALL_PAGE and _DENIED_HEADING.search(head):
            return True
        return response.status == 503 and bool(_CHALLENGE_MARK.search(body[:65536]))

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
        """At the run's end: the share of blocked answers reached ``NEWSCRAWL_BLOCKED_RATIO``
        (from ``NEWSCRAWL_BLOCKED_MIN_RESPONSES`` answers on), or every answer was blocked (a
        wire has two starting points; both blocked is not a run that found nothing new)."""
        if self.seen and self.blocked == self.seen:
            return True
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


class RobotsRulesMiddleware:
    """robots.txt read as RFC 9309 says: a 4xx means no rules; a 5xx puts the host off limits.

    A hook on the answers to the robots.txt requests of Scrapy's RobotsTxtMiddleware (they go
    through the downloader middlewares like any request; ``NO_CALLBACK`` marks them): placed
    below RetryMiddleware, it sees the answer the retries ended with, and hands Scrapy's parser
    the rules that answer means. A host whose robots.txt answers 5xx is deferred to a later
    run, and the run says so.
    """

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _WithoutTraceback) for f in robots_logger.filters):
            robots_logger.addFilter(_WithoutTraceback())
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if request.callback is not NO_CALLBACK or urlparse_cached(request).path != "/robots.txt":
            return response
        if response.status >= 500:
            netloc = urlparse_cached(request).netloc
            logger.warning("robots.txt of %s answered %d: host deferred", netloc, response.status)
            self.crawler.stats.inc_value("newscrawl/robots_unavailable")
            return response.replace(body=self.DISALLOW_ALL)
        if response.status >= 400:
            return response.replace(body=b"")
        return response
