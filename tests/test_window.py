"""The backfill window, ``-a since= -a until=``: days on the site's clock, both ends included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newscrawl.window import Window
from tests.ccnews_site import story_published
from tests.conftest import FAST
from tests.in_process import crawl_here
from tests.site import MenafnSite, synthetic_stories

EASTERN = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("day", "opens", "closes"),
    [
        (
            date(2025, 11, 2),
            datetime(2025, 11, 2, 4, tzinfo=UTC),
            datetime(2025, 11, 3, 5, tzinfo=UTC),
        ),
        (
            date(2025, 3, 9),
            datetime(2025, 3, 9, 5, tzinfo=UTC),
            datetime(2025, 3, 10, 4, tzinfo=UTC),
        ),
    ],
    ids=["the day summer time ends (25 hours)", "the day it begins (23 hours)"],
)
def test_a_day_on_the_sites_clock(day: date, opens: datetime, closes: datetime) -> None:
    window = Window(day, day)
    assert (window.opens(EASTERN), window.closes(EASTERN)) == (opens, closes)
    assert window.holds(opens, EASTERN)
    assert not window.holds(closes, EASTERN)
    middle = opens + (closes - opens) / 2
    assert window.holds_story(None, middle.isoformat(), EASTERN)  # no publication time
    assert not window.holds_story(closes.isoformat(), middle.isoformat(), EASTERN)


@pytest.mark.slow
def test_until_skips_stories_the_listings_date_later(out: Path) -> None:
    evening = datetime(2025, 11, 1, 21, tzinfo=EASTERN)  # 40 stories, about 6 hours of them
    with MenafnSite(synthetic_stories(40, start_id=story_published(evening).id)) as site:
        oldest = min(s.local_published for s in site.stories).date()
        run = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, "-a", f"until={oldest}",
                    "-s", "NEWSCRAWL_DISCOVERY_DEPTH=1")  # fmt: skip
    assert run.status == 0, run.stderr[-2000:]
    expected = {f"menafn:{s.id}" for s in site.stories if s.local_published.date() <= oldest}
    assert 0 < len(expected) < len(site.stories)
    assert {a["id"] for a in run.articles()} == expected
