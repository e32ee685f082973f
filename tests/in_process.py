"""Crawls in the test's own process: the project's spiders, settings, extensions and pipelines,
on a Twisted reactor that runs in a background thread (started once per process, on first use).

A ``scrapy crawl`` subprocess spends about 1.5 s importing before it fetches anything; a crawl
here costs what the crawl itself costs (about 0.1 s for a handful of pages), so scenarios of
several runs stay fast. Two ways in:

- ``crawl_here(out, "-a", "source=...", "-s", "NAME=VALUE")``: ``scrapy crawl`` as
  ``tests.conftest.crawl`` runs it, through the command's own code (its checks of arguments
  and settings, its not-started line, its summary, failure and alarm lines and exit status),
  with what it prints and what it logs captured as ``stdout`` and ``stderr``;
- ``crawl_in_process(out, "menafn", settings={...}, source=...)``: the crawl alone, with
  settings of any type (item pipelines, feeds), its stats and exit status.

``scrapy_here("table", ...)`` runs the project's other commands (they need no crawler) here.

What needs a process (exit statuses as the shell sees them, signals, locks, a terminal, a
kill, worker processes) still uses ``tests.conftest.crawl`` (a child of tests/launcher.py).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.cmdline import ScrapyArgumentParser, execute
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from twisted.internet import threads

from newscrawl.commands.crawl import Command, finish
from tests.conftest import DEFAULT_STATE, Run

REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"  # Scrapy's default
# Live crawls of the local sites without the politeness delays meant for real sites.
FAST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "NEWSCRAWL_RETRY_BACKOFF": 0.1,
}
# The project's settings wherever the working folder is, as tests.conftest.crawl's children
# are given them.
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
_started = threading.Lock()
_thread: threading.Thread | None = None


def reactor_thread() -> Any:
    """The reactor, running in a daemon thread of this process (installed on first use, with
    the project's name resolver, as ``scrapy crawl`` installs it, and Twisted's log going to
    Python's logging, as ``scrapy crawl`` sends it)."""
    global _thread
    with _started:
        if not is_reactor_installed():
            install_reactor(REACTOR)
        from twisted.internet import reactor as installed
        from twisted.python import log as twisted_log

        reactor: Any = installed  # Twisted types the module's reactor loosely
        if _thread is None:
            observer: Any = twisted_log.PythonLoggingObserver  # untyped
            observer("twisted").start()
            runner = CrawlerRunner(get_project_settings())
            resolver = load_object(runner.settings["TWISTED_DNS_RESOLVER"])
            # As CrawlerProcess does: the resolvers read only ``settings`` of what they are given.
            maker: Any = build_from_crawler
            maker(resolver, runner, reactor=reactor).install_on_reactor()
            _thread = threading.Thread(
                target=reactor.run,
                kwargs={"installSignalHandlers": False},
                name="reactor",
                daemon=True,
            )
            _thread.start()
            atexit.register(_stop, reactor, _thread)
    return reactor


def _stop(reactor: Any, thread: threading.Thread) -> None:
    """At exit: the tasks still on the loop (a crawl a test left unfinished keeps its looping
    calls) cancelled and run out, then the loop closed, so the interpreter reports neither a
    destroyed pending task nor an unclosed loop."""
    loop = reactor._asyncioEventloop

    def cancel_then_stop() -> None:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        reactor.callLater(0.05, reactor.stop)  # a turn of the loop to let them end

    reactor.callFromThread(cancel_then_stop)
    thread.join(timeout=5)
    if not thread.is_alive():
        loop.close()


@dataclass
class InProcessRun(Run):
    """A finished in-process crawl: what it wrote (as ``Run``) and its crawler's stats."""

    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.stats.get("newscrawl/summary", ""))

    def stat(self, name: str) -> int:
        return int(self.stats.get(name, 0))

    def last(self) -> dict[str, Any]:
        """This run's ``runs.jsonl`` line (later runs in the folder may have added theirs)."""
        name = self.stats.get("newscrawl/run")
        if name is None:  # the run never began: the folder's last line
            return super().last()
        return next(line for line in reversed(self.manifest()) if line["run"] == name)


def crawl_in_process(
    out: Path,
    spider: str = "menafn",
    *,
    settings: dict[str, Any] | None = None,
    state: str | None = None,
    timeout: float = 60,
    **arguments: str,
) -> InProcessRun:
    """Run ``scrapy crawl SPIDER -a NAME=VALUE…`` here, writing under ``out``; ``state`` as in
    ``tests.conftest.crawl`` (None: ``out/.state/seen.sqlite3``). Its log is ``stderr``."""
    project = get_project_settings()
    project.setdict(
        {
            "NEWSCRAWL_OUTPUT_DIR": str(out),
            "NEWSCRAWL_STATE": str(out / ".state" / "seen.sqlite3") if state is None else state,
            "LOG_LEVEL": "INFO",
            "NEWSCRAWL_OFFLINE_PROCESSES": 1,  # no worker processes started from pytest's
            **(settings or {}),
        },
        priority="cmdline",
    )
    with logged(project) as log:
        crawler, error = run_crawler(project, spider, arguments, timeout)
    if error is not None:
        raise error
    stats = crawler.stats.get_stats() if crawler.stats else {}
    status = int(stats.get("newscrawl/exit_status", 1))
    return InProcessRun(status, str(stats.get("newscrawl/summary", "")), log.getvalue(), out,
                        spider, stats)  # fmt: skip


def crawl_here(
    out: Path,
    *args: str,
    state: str | object | None = None,
    timeout: float = 60,
    spider: str = "menafn",
) -> InProcessRun:
    """``scrapy crawl SPIDER ARGS`` in this process, as ``tests.conftest.crawl`` runs it in
    a child (same arguments; its pages read here: ``NEWSCRAWL_OFFLINE_PROCESSES=1`` unless
    ``-s`` says otherwise). ``status`` is the exit status the command would exit with,
    ``stdout`` what it printed, ``stderr`` its lines and the crawl's log."""
    state_path = str(out / ".state" / "seen.sqlite3") if state is None else state
    state_args = () if state is DEFAULT_STATE else ("-s", f"NEWSCRAWL_STATE={state_path}")
    argv = [
        spider, "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", *state_args, "-s", "LOG_LEVEL=INFO",
        "-s", "NEWSCRAWL_OFFLINE_PROCESSES=1", *args,
    ]  # fmt: skip
    settings = get_project_settings()
    command = Command()
    settings.setdict(command.default_settings, priority="command")
    command.settings = settings
    parser = ScrapyArgumentParser(
        usage=f"scrapy crawl {command.syntax()}", conflict_handler="resolve"
    )
    command.add_options(parser)
    opts, positional = parser.parse_known_args(argv)
    stdout, stderr = io.StringIO(), io.StringIO()
    crawler: Crawler | None = None
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            try:
                command.process_options(positional, opts)
            except UsageError as exc:  # as scrapy.cmdline reports it: usage, then exit 2
                if str(exc):
                    parser.error(str(exc))
                raise SystemExit(2) from exc
            with logged(settings, stderr):
                crawler, error = run_crawler(settings, positional[0], opts.spargs, timeout)
            # where the crawl ran, as in the command (its state's connections are that thread's)
            status = threads.blockingCallFromThread(reactor_thread(), ending, crawler, error)
        except SystemExit as exit:
            status = exit_status(exit)
    stats = crawler.stats.get_stats() if crawler is not None and crawler.stats else {}
    return InProcessRun(status, stdout.getvalue(), stderr.getvalue(), out, spider, stats)


def ending(crawler: Crawler, error: BaseException | None) -> int:
    """The command's ending of a crawl (``finish``): its exit status, the lines printed."""
    try:
        return finish(crawler, [error], bootstrap_failed=False)
    except SystemExit as exit:
        return exit_status(exit)


def exit_status(exit: SystemExit) -> int:
    return exit.code if isinstance(exit.code, int) else 1


def run_crawler(
    settings: Settings, spider: str, arguments: dict[str, str], timeout: float
) -> tuple[Crawler, BaseException | None]:
    """Make ``spider``'s crawler of ``settings`` and crawl on the reactor thread until it is
    done; the crawler, and what its start raised (None if nothing). A crawl that outlasts
    ``timeout`` seconds is stopped and raises TimeoutError here."""
    from twisted.internet import defer

    reactor = reactor_thread()
    made: list[Crawler] = []

    def start() -> Any:
        crawler: Crawler = CrawlerRunner(settings).create_crawler(spider)
        made.append(crawler)
        started = crawler.crawl(**arguments)
        started.addTimeout(timeout, reactor)
        # (an errback that returns its failure would pass it on: the failure is wrapped)
        return started.addCallbacks(lambda _: [], lambda failure: [failure.value])

    raised = threads.blockingCallFromThread(reactor, start)
    crawler = made[0]
    error: BaseException | None = raised[0] if raised else None
    if isinstance(error, defer.TimeoutError):
        with contextlib.suppress(Exception):
            stop: Any = crawler.stop
            threads.blockingCallFromThread(reactor, stop)
        raise TimeoutError(f"the crawl took more than {timeout} s")
    return crawler, error


@contextlib.contextmanager
def logged(settings: Settings, stream: io.StringIO | None = None) -> Iterator[io.StringIO]:
    """The log of what runs inside, at ``LOG_LEVEL`` in Scrapy's format, into ``stream`` (a new
    one unless given), as ``scrapy crawl`` logs to stderr."""
    stream = io.StringIO() if stream is None else stream
    if not settings.getbool("LOG_ENABLED"):
        yield stream
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    handler.setLevel(settings["LOG_LEVEL"])
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(handler.level)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@dataclass
class Done:
    """What a command run here printed, and its exit status."""

    returncode: int
    stdout: str
    stderr: str


def scrapy_here(*argv: str) -> Done:
    """``scrapy ARGV`` in this process, for the project's commands that start no crawl
    (``table``, ``clusters``): Scrapy's own command line, its exit status caught."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            execute(["scrapy", *argv])
            status = 0
        except SystemExit as exit:
            status = exit_status(exit)
    return Done(status, stdout.getvalue(), stderr.getvalue())
