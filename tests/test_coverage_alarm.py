"""The coverage-gap alarm names the time on the site's clock and the ``-a since=`` day a
backfill needs: a backfill run from it holds every story published since the last cron run
started, the evening before the UTC date included (FRESH-USER-1 F7)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from newscrawl.run.coverage import GAPS, coverage_alarms, last_cron_start
from newscrawl.spiders.arguments import parse_since
from newscrawl.window import Window

EASTERN = ZoneInfo("America/New_York")
SINCE = re.compile(r"since (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) (\S+) may be missing: "
                   r"run a backfill with -a since=(\d{4}-\d{2}-\d{2}) -a until=(\S+)$")  # fmt: skip
NOW = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)  # the run's start: 7 December on US Eastern
UNTIL = {EASTERN: "2026-12-07"}  # the window ends on the day the run started, site's clock


def alarm(started_at: str, clock: ZoneInfo = EASTERN) -> tuple[str, str, str]:
    runs = [
        {"started_at": started_at, "health": {"mode": "live"}},
        {"started_at": "2026-12-01T00:00:00+00:00", "health": {"mode": "backfill"}},  # not cron
    ]
    [line] = coverage_alarms({GAPS: 1, "start_time": NOW}, runs, "live", clock)
    found = SINCE.search(line)
    assert found, line
    assert found[4] == UNTIL.get(clock, "2026-12-08"), line  # a backfill needs its end
    return found[1], found[2], found[3]


@pytest.mark.parametrize(
    ("started_at", "local", "day", "first_story"),
    [
        # winter (EST, UTC-5): 03:12 UTC on the 28th is 22:12 on the 27th
        ("2026-11-28T03:12:02+00:00", "2026-11-27 22:12", "2026-11-27", "2026-11-28T03:15:00Z"),
        # summer (EDT, UTC-4): 01:05 UTC on 1 July is 21:05 on 30 June
        ("2026-07-01T01:05:40+00:00", "2026-06-30 21:05", "2026-06-30", "2026-07-01T01:30:00Z"),
        # the same day on both clocks
        ("2026-11-28T18:56:58+00:00", "2026-11-28 13:56", "2026-11-28", "2026-11-28T19:00:00Z"),
    ],
)  # fmt: skip
def test_the_alarms_since_day_covers_the_gap_from_its_first_minute(
    started_at: str, local: str, day: str, first_story: str
) -> None:
    shown, clock, since = alarm(started_at)
    assert (shown, clock, since) == (local, "ET", day)
    # A backfill with that day holds the first story published after the last cron start,
    # which the UTC date (the alarm's old text) would have left out when the days differ.
    window = Window(parse_since(since), date(2026, 12, 7))
    assert window.holds_story(first_story, None, EASTERN)
    utc_day = Window(datetime.fromisoformat(started_at).date(), date(2026, 12, 7))
    assert utc_day.holds_story(first_story, None, EASTERN) == (day == started_at[:10])


def test_another_clock_is_named_by_its_zone() -> None:
    """MENAFN_TIMEZONE may name another zone: the alarm's time and day are on it."""
    assert alarm("2026-11-28T03:12:02+00:00", ZoneInfo("Asia/Amman")) == (
        "2026-11-28 06:12",
        "Asia/Amman",
        "2026-11-28",
    )


def test_the_last_cron_run_is_the_first_of_a_history_read_newest_first() -> None:
    runs = [
        {"started_at": "2026-11-28T03:12:02+00:00", "health": {"mode": "live"}},  # the newest
        {"started_at": "2026-11-27T03:12:02+00:00", "health": {"mode": "live"}},
    ]
    assert last_cron_start(runs) == datetime(2026, 11, 28, 3, 12, 2, tzinfo=UTC)
