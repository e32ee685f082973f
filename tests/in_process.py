"""Crawls in the test's own process: the project's spiders, settings, extensions and pipelines,
on a Twisted reactor that runs in a background thread (started once per process, on first use).

A ``scrapy crawl`` subprocess spends about 1.5 s importing before it fetches anything; a crawl
here costs what the crawl itself costs (about 0.2 s for a handful of pages), so scenarios of
several runs stay fast. What needs a process (exit statuses as the shell sees them, signals,
locks, a terminal) still uses ``tests.conftest.crawl``; the run's exit status is also in its
stats (``newscrawl/exit_status``), which is what the ``crawl`` command exits with.

    run = crawl_in_process(out, "menafn", base_url=site.base_url, settings={**FAST_SETTINGS})
    run.status, run.summary, run.articles()
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor, is_reactor_installed

from tests.conftest import Run

REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"  # Scrapy's default
# Live crawls of the local sites without the politeness delays meant for real sites.
FAST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "NEWSCRAWL_RETRY_BACKOFF": 0.1,
}
_started = threading.Lock()
_thread: threading.Thread | None = None


def reactor_thread() -> Any:
    """The reactor, running in a daemon thread of this process (installed on first use, with
    the project's name resolver, as ``scrapy crawl`` installs it)."""
    global _thread
    with _started:
        if not is_reactor_installed():
            install_reactor(REACTOR)
        from twisted.internet import reactor as installed

        reactor: Any = installed  # Twisted types the module's reactor loosely
        if _thread is None:
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
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)


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
    ``tests.conftest.crawl`` (None: ``out/.state/seen.sqlite3``)."""
    from twisted.internet import threads

    reactor = reactor_thread()
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

    def start() -> Any:
        crawler: Crawler = CrawlerRunner(project).create_crawler(spider)
        started = crawler.crawl(**arguments)
        return started.addCallback(lambda _: crawler)

    crawler = threads.blockingCallFromThread(reactor, _with_timeout, start, timeout)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    status = int(stats.get("newscrawl/exit_status", 1))
    return InProcessRun(status, str(stats.get("newscrawl/summary", "")), "", out, spider, stats)


def _with_timeout(start: Any, timeout: float) -> Any:
    from twisted.internet import reactor

    deferred = start()
    deferred.addTimeout(timeout, reactor)
    return deferred
