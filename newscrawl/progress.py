"""Progress: where a run is while it runs (story pages done and, when known, found so far;
stories written; pages a second; time left). On a terminal a bar (tqdm) that log lines pass
above without tearing it; without one (cron, ``--logfile`` with stderr in a file) a log line
every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds. The run's usual summary line ends it.

tqdm, not rich: measured here, tqdm adds 6-9 ms to a crawl's start-up and 75 µs a redraw, rich's
progress 30-50 ms and 750 µs; and ``tqdm.contrib.logging.logging_redirect_tqdm`` is made for
this: it routes the console log handlers (Scrapy's is one) through ``tqdm.write``, which clears
the bar, writes the line and draws the bar again below it. ``NEWSCRAWL_PROGRESS=0`` turns it off.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import IO, Any, Protocol, Self, runtime_checkable

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

logger = logging.getLogger(__name__)
BAR_REFRESH = 0.5  # seconds between redraws of the bar


@runtime_checkable
class ShowsProgress(Protocol):
    """A spider that can say where it is: story pages done, and how many it has found so far
    (None where it cannot know, as in an archive not yet read to its end)."""

    def progress(self) -> tuple[int, int | None]: ...


def duration(seconds: float) -> str:
    """A time left, to the second up to an hour, then to the minute.

    >>> duration(42.4), duration(268), duration(3 * 3600 + 125)
    ('42 s', '4 min 28 s', '3 h 2 min')
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


def progress_line(done: int, total: int | None, written: int, elapsed: float) -> str:
    """One progress log line.

    >>> progress_line(1200, 4500, 1150, 100.0)
    'progress: 1200 of 4500 story pages (27%), 1150 written, 12.0 pages/s, about 4 min 35 s left'
    >>> progress_line(30, None, 28, 10.0)
    'progress: 30 story pages, 28 written, 3.0 pages/s'
    """
    rate = done / elapsed if elapsed > 0 else 0.0
    if not total:
        return f"progress: {done} story pages, {written} written, {rate:.1f} pages/s"
    left = f", about {duration((total - done) / rate)} left" if rate > 0 and done < total else ""
    share = f"{done / total:.0%}"
    return (
        f"progress: {done} of {total} story pages ({share}), {written} written, "
        f"{rate:.1f} pages/s{left}"
    )


@contextlib.contextmanager
def logs_above_bar() -> Iterator[None]:
    """Route the console log handlers (Scrapy's, ``-L LEVEL``) through ``tqdm.write`` while
    the bar is shown, as they were: ``logging_redirect_tqdm`` keeps a handler's formatter,
    filters and stream but not its level, so ``-L WARNING`` would print DEBUG lines and whole
    items; the level is carried over here. Without a console handler (``--logfile``) nothing
    is routed: the library would add one writing every level to stderr."""
    root = logging.getLogger()
    console = [h for h in root.handlers if _is_console_handler(h)]
    if not console:
        yield
        return
    before = list(root.handlers)
    with logging_redirect_tqdm(tqdm_class=tqdm):
        for handler in root.handlers:
            if handler not in before:  # the library's, in place of the console handlers
                handler.setLevel(min(h.level for h in console))
        yield


def _is_console_handler(handler: logging.Handler) -> bool:
    """A handler writing to the terminal's streams, as ``logging_redirect_tqdm`` tells them."""
    stream = getattr(handler, "stream", None)
    return isinstance(handler, logging.StreamHandler) and stream in {sys.stdout, sys.stderr}


class Progress:
    """The extension: a bar on a terminal, else periodic log lines."""

    def __init__(self, crawler: Crawler, interval: float, stream: IO[str]) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.bar: tqdm[Any] | None = None
        self.redirect = contextlib.ExitStack()
        self.task: Any = None
        self.started = 0.0
        self.spider: Spider | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured("NEWSCRAWL_PROGRESS is off")
        if not getattr(crawler.spidercls, "writes_articles", False):
            raise NotConfigured(f"{crawler.spidercls.__name__} writes no articles")
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL")
        progress = cls(crawler, interval, sys.stderr)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        if not isinstance(spider, ShowsProgress):
            return
        self.spider, self.started = spider, time.monotonic()
        if self.stream.isatty():
            self.bar = tqdm(
                file=self.stream, unit="page", desc=f"{spider.name}", dynamic_ncols=True,
                mininterval=BAR_REFRESH, smoothing=0.1,
            )  # fmt: skip
            self.redirect.enter_context(logs_above_bar())
        self.task = create_looping_call(self.show)
        self.task.start(BAR_REFRESH if self.bar is not None else self.interval, now=False)

    def counts(self) -> tuple[int, int | None, int]:
        """Story pages done, found so far (or None), and stories written."""
        assert isinstance(self.spider, ShowsProgress)
        done, total = self.spider.progress()
        written = (
            int(self.crawler.stats.get_value("newscrawl/written", 0)) if self.crawler.stats else 0
        )
        return done, total, written

    def show(self) -> None:
        done, total, written = self.counts()
        if self.bar is None:
            logger.info(progress_line(done, total, written, time.monotonic() - self.started))
            return
        self.bar.total = total
        self.bar.n = done
        self.bar.set_postfix_str(f"{written} written", refresh=False)
        self.bar.refresh()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.bar is not None:
            self.show()
            self.bar.close()
            self.redirect.close()
            self.bar = None
