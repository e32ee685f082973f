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

from newscrawl.commands import EX_TEMPFAIL, EX_USAGE, fail
from newscrawl.commands.clusters import check_scheme
from newscrawl.commands.shutdown import GracefulShutdown
from newscrawl.run.checks import check_settings
from newscrawl.run.extension import RunExtension
from newscrawl.run.layout import state_file
from newscrawl.run.lock import StateLock, StateLocked
from newscrawl.run.seen import STORE_ERRORS, StoreUnavailable
from newscrawl.run.writable import not_a_folder, unwritable_files

UNWRITABLE = "could not start, the output or the state cannot be written"
UNFINISHED = (
    "the run was stopped before it finished (a second signal): nothing of it was published; "
    "the next run rolls it back and lists it"
)
SHOWN_FAILURES = 3  # failure lines on stderr; runs.jsonl has up to 20


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Check spider arguments before Scrapy starts (so nothing is logged or written)."""
        try:
            super().process_options(args, opts)
        except UsageError as exc:  # Scrapy's own (-o format, -s parsing): one line, no banner
            fail(EX_USAGE, str(exc))
        if len(args) != 1 or self.settings is None:
            return
        try:
            spidercls: Any = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            fail(EX_USAGE, f"unknown spider {args[0]!r}")
            return
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
        why = unwritable_files(self.settings)  # before Scrapy opens the log file
        if why is not None:
            fail(1, f"could not start, a file to write cannot be written: {why}")
        if getattr(spidercls, "writes_articles", False):
            output = Path(self.settings["NEWSCRAWL_OUTPUT_DIR"])
            if why := not_a_folder(output):  # before Scrapy logs its start
                fail(1, f"{UNWRITABLE}: the output folder {output}: {why}")
            self.check_lock(spidercls.name)

    def check_lock(self, source: str) -> None:
        """Exit 75 with one line, before Scrapy logs anything, if another run holds the lock
        (the run takes the lock for itself later; this only spares the user the log); exit 1
        with one line if the lock file cannot be opened (a read-only output, another user's
        file, a folder in its place)."""
        assert self.settings is not None
        path = state_file(
            Path(self.settings["NEWSCRAWL_OUTPUT_DIR"]), self.settings.get("NEWSCRAWL_STATE")
        )
        if not path:
            return  # a state in memory takes no lock
        lock = StateLock(path, source)
        try:
            if not lock.path.exists():
                return  # the run makes it (and says so if it cannot)
            lock.acquire()
        except StateLocked as exc:
            fail(EX_TEMPFAIL, f"{exc}; not started")
        except OSError as exc:
            fail(1, f"{UNWRITABLE}: {exc}")
        lock.release()

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name, e.g. scrapy crawl menafn", print_help=False)
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(args[0])
        outcome: list[BaseException | None] = []
        started: Any = self.crawler_process.crawl(crawler, **opts.spargs)
        if hasattr(started, "add_done_callback"):  # an asyncio Task (the default reactor)
            started.add_done_callback(lambda task: outcome.append(task.exception()))
        else:  # a Twisted Deferred
            started.addErrback(lambda failure: outcome.append(failure.value))
        GracefulShutdown(crawler).install()
        self.crawler_process.start(install_signal_handlers=False)
        self.exitcode = finish(crawler, outcome, self.crawler_process.bootstrap_failed)


def finish(crawler: Any, outcome: list[BaseException | None], bootstrap_failed: bool) -> int:
    """The exit status of a crawl that ran; ``outcome``: what its start raised, if anything.
    A crawl that could not start exits here with its one line (``not_started``); one that ran
    prints its summary and its failure and alarm lines (``report``). (The tests' in-process
    ``scrapy crawl`` ends its crawls through here too: tests/in_process.py.)"""
    errors = [exc for exc in outcome if exc is not None]
    if errors:
        not_started(crawler, errors[0])
    if bootstrap_failed or crawler.stats is None:
        return 1
    stats = crawler.stats.get_stats()
    if "newscrawl/exit_status" not in stats and getattr(
        crawler.spidercls, "writes_articles", False
    ):
        # The books were never closed: a second signal stopped the process (FRESH-USER-2 G8).
        print(f"newscrawl: error: {UNFINISHED}", file=sys.stderr)
        return 1
    status = int(stats.get("newscrawl/exit_status", 1))
    report(stats, status)
    return status


def not_started(crawler: Any, error: BaseException) -> None:
    """A crawl that failed to start: its run (if it began one) is undone, one line says why."""
    try:
        run = crawler.get_extension(RunExtension)
    except RuntimeError:  # the extensions were not all built: the run never began
        run = None
    if run is not None:
        run.discard()
    if isinstance(error, StateLocked):
        fail(EX_TEMPFAIL, f"{error}; not started")
    if isinstance(error, StoreUnavailable):
        fail(1, f"{error}; not started")
    if isinstance(error, (OSError, *STORE_ERRORS)):
        fail(1, f"{UNWRITABLE}: {error}")
    fail(1, f"could not start: {type(error).__name__}: {error}")


def report(stats: dict[str, Any], status: int) -> None:
    """The run's summary line on stdout (the log stays on stderr); its failures (exit status
    1) and alarms (3), one line each, on stderr: what a cron mail shows."""
    if stats.get("newscrawl/summary"):
        print(stats["newscrawl/summary"])
    failures = stats.get("newscrawl/failures") or []
    if status == 1:
        for failure in failures[:SHOWN_FAILURES]:
            print(f"newscrawl: error: {failure}", file=sys.stderr)
        if len(failures) > SHOWN_FAILURES:
            more = len(failures) - SHOWN_FAILURES
            print(f"newscrawl: error: and {more} more (see runs.jsonl)", file=sys.stderr)
    for alarm in stats.get("newscrawl/alarms") or []:
        print(f"newscrawl: alarm: {alarm}", file=sys.stderr)
