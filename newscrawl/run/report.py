"""What a run reports: its exit status, its ``runs.jsonl`` line and its one summary line."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from scrapy.statscollectors import StatsCollector

from newscrawl.run.layout import listed_name
from newscrawl.run.recovery import COUNTS
from newscrawl.run.run import Run
from newscrawl.run.seen import STORE_ERRORS

DISCOVERY = "newscrawl/discovery/"
# Close reasons other than `finished`, as a failure line says them (named failures aside).
EARLY_CLOSE = {
    "shutdown": "stopped by a signal before the crawl was done",
    "blocked": "the site blocked the crawl: most answers were 403, 429 or challenge pages",
    "cancelled": "the crawl was cancelled",
}
NAMED_ELSEWHERE = {"finished", "redis_lost"}  # a failure line says what happened
LIVE, BACKFILL, OFFLINE, REEXTRACT = "live", "backfill", "offline", "reextract"  # a run's mode
UNKNOWN_RUN = "unknown"  # in ``replaced``: a story whose store recorded no writer
# The stories a run would have written: those its write stage claimed, and those the seen
# store failed to claim (not known to be duplicates); a run rolled back leaves them all unseen.
TO_WRITE = "to_write"


def run_mode(spider: object) -> str:
    """How a run reads its stories: ``reextract`` (a source, stories written before written
    again: ``-a reextract=yes``), ``offline`` (a source), ``backfill`` (live with ``until``)
    or ``live`` (a cron run). Runs are compared with runs of the same kind."""
    if getattr(spider, "source", None):
        return REEXTRACT if getattr(spider, "reextract", False) else OFFLINE
    return BACKFILL if getattr(spider, "backfill", False) else LIVE


def replaced(runs: dict[str, int]) -> dict[str, int]:
    """The earlier runs whose lines a re-extraction's lines replace, by name, with counts
    (``runs``: by key, as ``SeenStore.replaced`` gives them).

    >>> replaced({"menafn/20261128T031202Z": 2, "menafn/20261127T031202Z": 1, "": 1})
    {'20261127T031202Z': 1, '20261128T031202Z': 2, 'unknown': 1}
    """
    named: Counter[str] = Counter()
    for run, count in runs.items():
        named[run.split("/", 1)[-1] or UNKNOWN_RUN] += count
    return dict(sorted(named.items()))


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def exit_status(reason: str, failed: bool, alarmed: bool = False) -> int:
    """The contract's exit status of a run that got as far as closing: 1 failed, 3 finished
    with alarms, 0 finished.

    >>> exit_status("finished", False), exit_status("finished", False, True)
    (0, 3)
    >>> exit_status("shutdown", False, True), exit_status("finished", True)
    (1, 1)
    """
    if reason != "finished" or failed:
        return 1
    return 3 if alarmed else 0


def closing_failures(stats: StatsCollector, reason: str) -> list[str]:
    """The failures a run's stats and close reason show at its end."""
    found = []
    if reason not in NAMED_ELSEWHERE:
        found.append(EARLY_CLOSE.get(reason, f"the crawl ended early: {reason}"))
    if stats.get_value(f"{DISCOVERY}listing_failures") and not stats.get_value(
        f"{DISCOVERY}listing_pages"
    ):
        found.append("no listing page could be fetched: the site is unreachable")
    if stats.get_value(f"{DISCOVERY}sitemap_failures") and not stats.get_value(
        f"{DISCOVERY}sitemaps"
    ):
        found.append("no sitemap could be read (see the warnings naming each)")
    if stats.get_value("newscrawl/robots_unavailable"):
        found.append("robots.txt answered 5xx: the host was deferred to a later run")
    return found


def count(stats: StatsCollector, name: str, by: int = 1) -> None:
    """Add to one of the run's counts (Scrapy's stats, ``newscrawl/<name>``)."""
    stats.inc_value(f"newscrawl/{name}", by)


def counted(stats: StatsCollector, name: str) -> int:
    """One of the run's ``COUNTS``; ``errors`` includes the HTTP errors Scrapy ignored."""
    value = stats.get_value(f"newscrawl/{name}", 0)
    if name == "errors":
        value += stats.get_value("httperror/response_ignored_count", 0)
    return int(value)


def discovery(stats: StatsCollector) -> dict[str, int]:
    """Every ``newscrawl/discovery/<name>`` count (listings, feeds, …) as ``{name: count}``.

    >>> from scrapy.utils.test import get_crawler
    >>> stats = get_crawler().stats
    >>> stats.set_value("newscrawl/discovery/feeds", 2); stats.set_value("newscrawl/pages", 9)
    >>> stats.set_value("newscrawl/discovery/listing_pages", 3)
    >>> discovery(stats)
    {'feeds': 2, 'listing_pages': 3}
    """
    found: dict[str, int] = {}
    for key, value in stats.get_stats().items():
        if key.startswith(DISCOVERY) and isinstance(value, int):
            found[key.removeprefix(DISCOVERY)] = value
    return dict(sorted(found.items()))


def run_record(
    run: Run, stats: StatsCollector, reason: str, status: int, published: bool, mode: str
) -> dict[str, Any]:
    """The run's ``runs.jsonl`` line, without ``health`` and ``alarms`` (``file`` and
    ``sha256`` are null when no article file was published; ``replaced`` is then empty, and
    null if the store cannot say)."""
    archive = run.archive.file if run.archive is not None else None
    return {
        "run": run.name,
        "started_at": run.started.isoformat(),
        "finished_at": utc_now(),
        "finish_reason": reason,
        "exit_status": status,
        "mode": mode,
        "file": listed_name(run.articles.path) if published else None,
        "sha256": run.articles.sha256.hexdigest() if published else None,
        **{name: counted(stats, name) for name in COUNTS},
        "replaced": replaced_runs(run) if published else {},
        "discovery": discovery(stats),
        "rejects_file": listed_name(run.rejects.path) if run.rejects.done else None,
        "archive": listed_name(archive.path) if archive and archive.done else None,
        "archive_sha256": archive.sha256.hexdigest() if archive and archive.done else None,
        "failures": run.failures[:20],
        **({"crawl": crawl} if (crawl := stats.get_value("newscrawl/crawl")) else {}),
    }


def replaced_runs(run: Run) -> dict[str, int] | None:
    """``replaced`` of a published run, from its store; None if the store is gone."""
    try:
        return replaced(run.store.replaced(run.key))
    except STORE_ERRORS:
        return None


def summary(
    run: Run, stats: StatsCollector, reason: str, status: int, published: bool, again: int = 0
) -> str:
    """The one line a cron mail or a terminal shows at the end of a run (``again``: how many
    of its articles were written before, for a re-extraction). Stories outside a ``since``/
    ``until`` window are named when there are some (a fresh user read "from 1 pages" for a
    folder of 20 of which 19 were outside it)."""
    counts = ", ".join(f"{name.replace('_', ' ')} {counted(stats, name)}" for name in COUNTS[2:])
    if outside := stats.get_value("newscrawl/discovery/outside_window"):
        counts += f", outside the window {outside}"
    written = counted(stats, "written")
    if published and again:
        wrote = (
            f"re-extracted {written} articles to {run.articles.path} ({again} written before, "
            f"their lines replaced; {written - again} new)"
        )
    elif published:
        wrote = f"wrote {written} new articles to {run.articles.path}"
    else:
        wrote = f"published no article file ({run.articles.path} not written)"
    return (
        f"{run.source}: {wrote} from {counted(stats, 'pages')} pages ({counts}); "
        f"{reason}, exit status {status}"
    )
