"""`scrapy crawl` with the contract's exit status: 0 done, 1 failed, 2 bad usage, 3 done with
alarms, 75 locked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newscrawl.checks import check_settings
from newscrawl.layout import state_file
from newscrawl.state import StateLock, StateLocked, StoreUnavailable

EX_USAGE, EX_TEMPFAIL = 2, 75


def fail(status: int, message: str) -> None:
    """One line on stderr, then exit: no help text, no traceback."""
    print(f"newscrawl: {message}", file=sys.stderr)
    sys.exit(status)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Check spider arguments before Scrapy starts (so nothing is logged or written)."""
        super().process_options(args, opts)
        if len(args) != 1 or self.settings is None:
            return
        try:
            spidercls: Any = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            fail(EX_USAGE, f"unknown spider {args[0]!r}")
            return
        from newscrawl.commands.clusters import check_scheme  # it uses fail() from here

        try:
            check_settings(self.settings)
            check_scheme(self.settings)  # a state of another cluster scheme: rebuild it first
            for name, value in (
                ("check_arguments", opts.spargs),
                ("check_settings", self.settings),
            ):
                check: Any = getattr(spidercls, name, None)
                if check is not None:
                    check(value)
        except ValueError as exc:
            fail(EX_USAGE, str(exc))
        if getattr(spidercls, "writes_articles", False):
            self.check_lock(spidercls.name)

    def check_lock(self, source: str) -> None:
        """Exit 75 with one line, before Scrapy logs anything, if another run holds the lock
        (the run takes the lock for itself later; this only spares the user the log)."""
        assert self.settings is not None
        path = state_file(
            Path(self.settings["NEWSCRAWL_OUTPUT_DIR"]), self.settings.get("NEWSCRAWL_STATE")
        )
        lock = StateLock(path, source) if path else None
        if lock is None or not lock.path.exists():
            return
        try:
            lock.acquire()
        except StateLocked as exc:
            fail(EX_TEMPFAIL, f"{exc}; not started")
        lock.release()

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name, e.g. scrapy crawl menafn", print_help=False)
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(args[0])
        outcome: list[BaseException] = []
        started: Any = self.crawler_process.crawl(crawler, **opts.spargs)
        if hasattr(started, "add_done_callback"):  # an asyncio Task (the default reactor)
            started.add_done_callback(lambda task: outcome.append(task.exception()))
        else:  # a Twisted Deferred
            started.addErrback(lambda failure: outcome.append(failure.value))
        self.crawler_process.start()
        outcome = [exc for exc in outcome if exc is not None]
        locked = [exc for exc in outcome if isinstance(exc, StateLocked)]
        if locked:
            fail(EX_TEMPFAIL, f"{locked[0]}; not started")
        unreachable = [exc for exc in outcome if isinstance(exc, StoreUnavailable)]
        if unreachable:
            fail(1, f"{unreachable[0]}; not started")
        if outcome:
            fail(1, f"could not start: {type(outcome[0]).__name__}: {outcome[0]}")
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = 1
            return
        self.exitcode = int(crawler.stats.get_value("newscrawl/exit_status", 1))
        summary = crawler.stats.get_value("newscrawl/summary")
        if summary:
            print(summary)  # the run's result on stdout; the log stays on stderr
        for alarm in crawler.stats.get_value("newscrawl/alarms") or []:
            print(f"newscrawl: alarm: {alarm}", file=sys.stderr)
