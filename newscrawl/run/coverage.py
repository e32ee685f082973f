"""Coverage alarms: what a run could not reach (its listings or sitemaps capped before the
stories it should have reached), from its discovery counts and the earlier runs' lines."""

from __future__ import annotations

from typing import Any

GAPS = "newscrawl/discovery/coverage_gaps"  # cron listings capped before a known story
BACKFILL_GAPS = "newscrawl/discovery/backfill_gaps"  # backfill listings capped before the window


def coverage_alarms(stats: dict[str, Any], history: list[dict[str, Any]], mode: str) -> list[str]:
    """Alarms for what a run could not reach (``stats``: its Scrapy stats; ``history``: the
    ``runs.jsonl`` lines before it; ``mode``: ``live``, ``backfill``, ``offline``). A cron run
    whose listing ran out (``NEWSCRAWL_MAX_LISTING_PAGES``) before any story already known
    may have missed what was published since the last cron run started; a first run has no
    such time, and raises none.

    >>> runs = [{"started_at": "2026-11-28T03:12:02+00:00", "health": {"mode": "live"}}]
    >>> coverage_alarms({GAPS: 1}, runs, "live")  # doctest: +NORMALIZE_WHITESPACE
    ['coverage gap: the listings ran out before reaching known stories; stories published
      since 2026-11-28T03:12:02+00:00 may be missing: run a backfill']
    >>> coverage_alarms({GAPS: 1}, [], "live"), coverage_alarms({}, runs, "live")
    ([], [])
    """
    found = []
    if mode == "live" and stats.get(GAPS):
        since = last_cron_start(history)
        if since:
            found.append(
                "coverage gap: the listings ran out before reaching known stories; stories "
                f"published since {since} may be missing: run a backfill"
            )
    if mode == "backfill" and stats.get(BACKFILL_GAPS):
        reached = stats.get("newscrawl/backfill_reached")
        back = f" (it reached back to {reached})" if reached else ""
        found.append(
            "backfill incomplete: a listing or sitemap reached NEWSCRAWL_BACKFILL_MAX_PAGES "
            f"before the window's first day{back}"
        )
    return found


def last_cron_start(history: list[dict[str, Any]]) -> str | None:
    """When the last cron run (mode ``live``) started, from ``runs.jsonl`` lines."""
    for line in reversed(history):
        health = line.get("health")
        if isinstance(health, dict) and health.get("mode") == "live" and line.get("started_at"):
            return str(line["started_at"])
    return None
