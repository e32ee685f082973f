"""Coverage alarms: what a run could not reach (its listings or sitemaps capped before the
stories it should have reached), from its discovery counts and the earlier runs' lines."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

GAPS = "newscrawl/discovery/coverage_gaps"  # cron listings capped before a known story
BACKFILL_GAPS = "newscrawl/discovery/backfill_gaps"  # backfill listings capped before the window
# How the sites print their clock's name (all three print "ET"); another zone by its key.
CLOCK_NAMES = {"America/New_York": "ET"}


def coverage_alarms(
    stats: dict[str, Any], history: Iterable[dict[str, Any]], mode: str, clock: tzinfo = UTC
) -> list[str]:
    """Alarms for what a run could not reach (``stats``: its Scrapy stats; ``history``: the
    ``runs.jsonl`` lines before it, newest first; ``mode``: ``live``, ``backfill``,
    ``offline``; ``clock``: the site's zone, the one ``-a since=`` dates are on). A cron run
    whose listing ran out (``NEWSCRAWL_MAX_LISTING_PAGES``) before any story already known
    may have missed what was published since the last cron run started: the alarm gives that
    time on the site's clock and the backfill's window, from that day to the day this run
    started (Scrapy's ``start_time``; a window needs its end to be a backfill); a first run
    has no such time, and raises none.

    >>> from zoneinfo import ZoneInfo
    >>> runs = [{"started_at": "2026-11-28T03:12:02+00:00", "health": {"mode": "live"}}]
    >>> now = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    >>> coverage_alarms({GAPS: 1, "start_time": now}, runs, "live", ZoneInfo("America/New_York"))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['coverage gap: the listings ran out before reaching known stories; stories published
      since 2026-11-27 22:12 ET may be missing: run a backfill with -a since=2026-11-27
      -a until=2026-11-29']
    >>> coverage_alarms({GAPS: 1}, [], "live"), coverage_alarms({}, runs, "live")
    ([], [])
    """
    found = []
    if mode == "live" and stats.get(GAPS):
        since = last_cron_start(history)
        if since:
            local = since.astimezone(clock)
            started = stats.get("start_time")
            if not isinstance(started, datetime):
                started = datetime.now(UTC)
            today = (started if started.tzinfo else started.replace(tzinfo=UTC)).astimezone(clock)
            found.append(
                "coverage gap: the listings ran out before reaching known stories; stories "
                f"published since {local:%Y-%m-%d %H:%M} {clock_name(clock)} may be missing: "
                f"run a backfill with -a since={local:%Y-%m-%d} -a until={today:%Y-%m-%d}"
            )
    if mode == "backfill" and stats.get(BACKFILL_GAPS):
        reached = stats.get("newscrawl/backfill_reached")
        back = f" (it reached back to {reached})" if reached else ""
        found.append(
            "backfill incomplete: a listing or sitemap reached NEWSCRAWL_BACKFILL_MAX_PAGES "
            f"before the window's first day{back}"
        )
    return found


def clock_name(clock: tzinfo) -> str:
    """How an alarm names a site's clock: ``ET`` as the sites print it, else the zone's key.

    >>> from zoneinfo import ZoneInfo
    >>> clock_name(ZoneInfo("America/New_York")), clock_name(ZoneInfo("Asia/Amman"))
    ('ET', 'Asia/Amman')
    >>> clock_name(UTC)
    'UTC'
    """
    key = str(getattr(clock, "key", None) or clock.tzname(None) or clock)
    return CLOCK_NAMES.get(key, key)


def last_cron_start(history: Iterable[dict[str, Any]]) -> datetime | None:
    """When the last cron run (mode ``live``) started, from ``runs.jsonl`` lines, newest first
    (aware, as runs.jsonl writes it; a line whose time is not, is passed over)."""
    for line in history:
        health = line.get("health")
        if isinstance(health, dict) and health.get("mode") == "live" and line.get("started_at"):
            with contextlib.suppress(ValueError):
                moment = datetime.fromisoformat(str(line["started_at"]))
                if moment.tzinfo is not None:
                    return moment
    return None
