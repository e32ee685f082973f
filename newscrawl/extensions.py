"""RunLedger: one run's lock, seen store, output files, counts, runs.jsonl line and exit status.

Commit protocol (so a SIGKILL at any moment loses nothing and writes nothing twice):
1. the run is recorded as ``started``; each written story is claimed in the store for the run;
2. at the end the ``.part`` file is fsynced, the claims committed (a shared store may answer
   that some were taken by another worker meanwhile: their lines leave the ``.part`` file),
   the WARC archive (if any) fsynced and renamed, the run marked ``committed``, and the
   article file renamed;
3. the run is marked ``done``, its ``runs.jsonl`` line appended, then marked ``listed``.
The next start rolls an unfinished run forward when its final file exists or it was committed
(rename its ``.part``, mark done, list it with its archive), else back (forget its claims,
delete its ``.part`` files and its archive), before anything else happens.
A folder still in the version-0.1 layout is first moved into the current one (``layout.py``),
so a run that 0.1 left unfinished is settled in the new layout like any other.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from newscrawl.feeds import (
    JsonLinesPart,
    append_manifest,
    manifest_lines,
    run_name,
)
from newscrawl.health import RunHealth, Thresholds, alarms, baseline, coverage_alarms
from newscrawl.layout import (
    MANIFEST,
    articles_file,
    listed_name,
    migrate,
    rejects_file,
    state_file,
)
from newscrawl.recovery import COUNTS, recover_runs
from newscrawl.signals import page_rejected, run_listed
from newscrawl.state import SeenStore, SqliteSeenStore, StateLock, StoreUnavailable

if TYPE_CHECKING:
    from newscrawl.archive import WarcPart

logger = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def exit_status(reason: str, failed: bool, alarmed: bool = False) -> int:
    """The contract's exit status of a run that got as far as closing: 1 failed, 3 finished
    with alarms, 0 finished."""
    if reason != "finished" or failed:
        return 1
    return 3 if alarmed else 0


def thresholds(settings: Any) -> Thresholds:
    """The alarm thresholds from the ``NEWSCRAWL_HEALTH_*`` and ``NEWSCRAWL_ALARM_*`` settings."""
    return Thresholds(
        min_pages=settings.getint("NEWSCRAWL_HEALTH_MIN_PAGES"),
        recent_runs=settings.getint("NEWSCRAWL_HEALTH_RECENT_RUNS"),
        layout_drop=settings.getfloat("NEWSCRAWL_ALARM_LAYOUT_DROP"),
        coverage_drop=settings.getfloat("NEWSCRAWL_ALARM_COVERAGE_DROP"),
        rejected_share=settings.getfloat("NEWSCRAWL_ALARM_REJECTED_SHARE"),
    )


class RunLedger:
    """Keeps the books of one run; pipelines write through it, the crawl command reads it."""

    def __init__(
        self, crawler: Crawler, output_dir: Path, state_path: str, limits: Thresholds
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.source: str = crawler.spidercls.name
        if not re.fullmatch(r"[a-z0-9_]+", self.source):  # it names a folder: no "..", no "/"
            raise ValueError(f"spider name {self.source!r} cannot name an output folder")
        self.folder = output_dir / self.source
        # A shared store is reached first: unreachable, it fails the run before any write.
        shared = open_shared_store(crawler, self.folder)
        self.lock = StateLock(state_path, self.source) if state_path else None
        if self.lock:
            self.lock.acquire()  # raises StateLocked before anything is written
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest = self.folder / MANIFEST
        migrate(self.folder)  # a 0.1 folder's files first: its runs' names and recovery need them
        self.store: SeenStore = shared or SqliteSeenStore(state_path)
        self.recover()
        self.started = datetime.now(UTC).replace(microsecond=0)
        known = self.store.run_names(self.source)
        while True:
            self.run = run_name(self.folder, self.started, known)
            self.articles = JsonLinesPart(articles_file(self.folder, self.run))
            # The absolute final name: a state shared by several output folders can find it.
            if self.store.begin_run(self.key, str(self.articles.path.resolve())):
                break
            known = {*known, self.run}  # another worker took the name a moment ago
        self.rejects = JsonLinesPart(rejects_file(self.folder, self.run))
        self.failures: list[str] = []
        self.health = RunHealth()
        self.limits = limits
        self.archive: WarcPart | None = None  # set by ArchiveMiddleware when the run archives

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not getattr(crawler.spidercls, "writes_articles", False):
            # `scrapy fetch`, `shell` and other spiders keep no books and write no files.
            raise NotConfigured(f"{crawler.spidercls.__name__} writes no articles")
        settings = crawler.settings
        output_dir = Path(settings["NEWSCRAWL_OUTPUT_DIR"])
        state_path = state_file(output_dir, settings.get("NEWSCRAWL_STATE"))
        ledger = cls(crawler, output_dir, state_path, thresholds(settings))
        crawler.signals.connect(ledger.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ledger.item_error, signal=signals.item_error)
        crawler.signals.connect(ledger.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ledger.reject, signal=page_rejected)
        return ledger

    @property
    def key(self) -> str:
        return f"{self.source}/{self.run}"

    def count(self, name: str, by: int = 1) -> None:
        self.stats.inc_value(f"newscrawl/{name}", by)

    # -- writing ---------------------------------------------------------------------------
    def write(self, record: dict[str, Any]) -> None:
        self.articles.write(record)
        self.count("written")

    def reject(self, url: str, reason: str, detail: str = "", fields: Any = None) -> None:
        """One rejects line for a page or item that could not become a valid article."""
        record = {"url": url, "reason": reason, "detail": detail, "at": utc_now()}
        record.update({k: v for k, v in (fields or {}).items() if k not in record})
        self.rejects.write(record)
        self.count("rejected")
        self.health.rejected(reason)
        logger.warning("rejected %s: %s%s", url, reason, f" ({detail})" if detail else "")

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        self.failures.append(f"pipeline error: {failure.getErrorMessage()}")
        self.count("errors")

    def spider_error(self, failure: Failure, response: Any, spider: Spider) -> None:
        self.failures.append(f"callback error on {response.url}: {failure.getErrorMessage()}")
        self.count("errors")

    def spider_opened(self, spider: Spider) -> None:
        self.health.local = getattr(spider, "local", None)  # the site's clock, if it has one

    # -- closing ---------------------------------------------------------------------------
    def spider_closed(self, spider: Spider, reason: str) -> None:
        discovery = "newscrawl/discovery"
        if self.stats.get_value(f"{discovery}/listing_failures") and not self.stats.get_value(
            f"{discovery}/listing_pages"
        ):
            self.failures.append("no listing page could be fetched: the site is unreachable")
        if self.stats.get_value(f"{discovery}/sitemap_failures") and not self.stats.get_value(
            f"{discovery}/sitemaps"
        ):
            self.failures.append("no sitemap could be read (see the warnings naming each)")
        if self.stats.get_value("newscrawl/robots_unavailable"):
            self.failures.append("robots.txt answered 5xx: the host was deferred to a later run")
        try:
            self.commit()
            self.rejects.finish(keep_empty=False)
        except OSError as exc:
            self.fail_closing(f"output could not be written: {exc}")
            return
        except StoreUnavailable as exc:
            self.abandon(exc, reason)
            return
        self.store.set_run_state(self.key, "done")
        mode = getattr(spider, "run_mode", None)  # live, backfill or offline (SiteSpider)
        if mode is None:
            mode = "offline" if getattr(spider, "source", None) else "live"
        health = self.health.to_dict(mode)
        history = manifest_lines(self.manifest)
        recent = baseline(history, health["mode"], self.limits)
        found = alarms(health, recent, self.limits)
        found += coverage_alarms(self.stats.get_stats(), history, health["mode"])
        status = exit_status(reason, bool(self.failures), bool(found))
        self.stats.set_value("newscrawl/exit_status", status)
        self.stats.set_value("newscrawl/run", self.run)
        self.stats.set_value("newscrawl/alarms", found)
        self.list_run({**self.run_record(reason, status), "health": health, "alarms": found})
        self.close_state()
        summary = run_summary(self.source, self.articles.path, reason, status, self.counted)
        if found:
            summary += f"; alarms: {'; '.join(found)}"
        self.stats.set_value("newscrawl/summary", summary)
        logger.info(summary)

    def commit(self) -> None:
        """Seal the articles, commit their claims, drop the lines lost to other workers, rename."""
        self.articles.seal(keep_empty=True)
        lost = self.store.commit(self.key)
        if lost:
            dropped = self.articles.drop_ids(lost)
            self.count("written", -dropped)
            self.count("duplicates", dropped)
            logger.warning(
                "%d stories were taken over by another worker while this one stalled: "
                "their lines were left out", dropped,
            )  # fmt: skip
        if self.archive is not None:
            self.archive.finish()  # before the articles: a final article file has its archive
        self.store.set_run_state(self.key, "committed")
        self.articles.publish()

    def fail_closing(self, why: str) -> None:
        self.failures.append(why)
        logger.error("%s", why)
        self.close_state()
        self.stats.set_value("newscrawl/exit_status", 1)

    def abandon(self, exc: StoreUnavailable, reason: str) -> None:
        """The store is gone: nothing can be committed, so no article file is published.

        Its stories stay unseen (their claims lapse), the next run writes them; the rejects
        file and the ``runs.jsonl`` line still say what this run did.
        """
        left = self.counted("written")
        self.articles.abandon()
        if self.archive is not None:  # its answers are fetched again, and archived, next run
            self.archive.abandon()
            self.archive = None
        self.failures.append(f"{exc}: {left} articles left for the next run")
        logger.error("%s: %d articles left for the next run", exc, left)
        self.stats.set_value("newscrawl/written", 0)
        with contextlib.suppress(OSError):
            self.rejects.finish(keep_empty=False)
        record = self.run_record(reason, 1)
        record.update(file=None, sha256=None, health=None, alarms=[])
        append_manifest(self.manifest, record)
        self.close_state()
        self.stats.set_value("newscrawl/exit_status", 1)
        self.stats.set_value("newscrawl/run", self.run)

    def counted(self, name: str) -> int:
        value = self.stats.get_value(f"newscrawl/{name}", 0)
        if name == "errors":
            value += self.stats.get_value("httperror/response_ignored_count", 0)
        return int(value)

    def run_record(self, reason: str, status: int) -> dict[str, Any]:
        return {
            "run": self.run,
            "started_at": self.started.isoformat(),
            "finished_at": utc_now(),
            "finish_reason": reason,
            "exit_status": status,
            "file": listed_name(self.articles.path),
            "sha256": self.articles.sha256.hexdigest(),
            **{name: self.counted(name) for name in COUNTS},
            "rejects_file": listed_name(self.rejects.path) if self.rejects.lines else None,
            **self.archive_fields(),
            "failures": self.failures[:20],
            **({"crawl": crawl} if (crawl := self.stats.get_value("newscrawl/crawl")) else {}),
        }

    def archive_fields(self) -> dict[str, Any]:
        """``archive`` (its path in the output folder, or None) and ``archive_sha256``."""
        file = self.archive.file if self.archive else None
        if file is None or not file.done:
            return {"archive": None, "archive_sha256": None}
        return {"archive": listed_name(file.path), "archive_sha256": file.sha256.hexdigest()}

    def list_run(self, record: dict[str, Any]) -> None:
        append_manifest(self.manifest, record)
        self.store.set_run_state(self.key, "listed")
        self.crawler.signals.send_catch_log(run_listed, record=record)

    def close_state(self) -> None:
        self.store.close()
        if self.lock:
            self.lock.release()

    def recover(self) -> None:
        """Settle this spider's runs that a kill interrupted (``recovery.py``), before this
        run starts; another spider's runs are its own business (they may be running)."""
        recover_runs(self.store, self.source)


def open_shared_store(crawler: Crawler, folder: Path) -> SeenStore | None:
    """The store of a distributed crawl (``NEWSCRAWL_REDIS_URL`` set), reached now; else None.

    Raises ``RedisUnavailable`` when the server does not answer.
    """
    if not crawler.settings.get("NEWSCRAWL_REDIS_URL"):
        return None
    from newscrawl.distributed.seen import RedisSeenStore  # redis only for a distributed crawl

    return RedisSeenStore.from_crawler(crawler, folder)


def run_summary(
    source: str, path: Path, reason: str, status: int, counted: Callable[[str], int]
) -> str:
    """The one line a cron mail or a terminal shows at the end of a run."""
    counts = ", ".join(f"{name.replace('_', ' ')} {counted(name)}" for name in COUNTS[2:])
    return (
        f"{source}: wrote {counted('written')} new articles to {path} from {counted('pages')} "
        f"pages ({counts}); {reason}, exit status {status}"
    )
