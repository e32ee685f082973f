"""Cron runs reach back to what is known, and say when they could not: each listing is paged
until a page whose stories are all in the seen store (or all older than `since`); a listing
that reaches NEWSCRAWL_MAX_LISTING_PAGES first raises the coverage-gap alarm (exit status 3).
In process, against the local MENAFN site (20 stories a listing page)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.in_process import FAST_SETTINGS, InProcessRun, crawl_in_process
from tests.site import MenafnSite, WireSite, synthetic_releases, synthetic_stories

EASTERN = ZoneInfo("America/New_York")  # MENAFN's clock, the alarm's
ALL_SECTIONS = "/qn_news_sections.aspx?src=s"  # every story, newest first: pages are exact
ONE_LISTING = {**FAST_SETTINGS, "NEWSCRAWL_LISTING_PATHS": ALL_SECTIONS,
               "NEWSCRAWL_DISCOVERY_DEPTH": 1}  # fmt: skip


@pytest.fixture
def site() -> Iterator[MenafnSite]:
    with MenafnSite(synthetic_stories(50)) as running:
        yield running


def cron(out: Path, site: MenafnSite, **settings: Any) -> InProcessRun:
    site.clear_requests()
    return crawl_in_process(out, base_url=site.base_url, settings={**ONE_LISTING, **settings})


def listing_pages(site: MenafnSite) -> list[int]:
    """The page numbers of the listing pages the site was asked for, in order."""
    return [int(r.path.partition("page=")[2] or 1) for r in site.requests if ".aspx" in r.path]


def test_a_quiet_run_reads_one_page_of_each_listing(out: Path, site: MenafnSite) -> None:
    crawl_in_process(out, base_url=site.base_url, settings=FAST_SETTINGS)
    site.clear_requests()
    quiet = crawl_in_process(out, base_url=site.base_url, settings=FAST_SETTINGS)
    assert quiet.status == 0, quiet.summary
    assert quiet.stat("newscrawl/discovery/listing_pages") == 6  # MENAFN's six listings
    assert len([r for r in site.requests if ".aspx" in r.path]) == 6
    assert site.article_requests() == []


def test_a_short_gap_is_read_back_to_the_last_known_story(out: Path, site: MenafnSite) -> None:
    cron(out, site)
    new = site.add_synthetic(30)  # page 1: 20 new; page 2: 10 new, 10 known; page 3: known
    run = cron(out, site)
    assert run.status == 0, run.summary
    assert listing_pages(site) == [1, 2, 3]
    assert sorted(a["id"] for a in run.articles()) == sorted(f"menafn:{s.id}" for s in new)
    assert run.last()["alarms"] == []


def test_a_gap_longer_than_the_cap_raises_the_coverage_gap_alarm(
    out: Path, site: MenafnSite
) -> None:
    before = cron(out, site)
    site.add_synthetic(60)  # three pages of new stories; the cap is two
    run = cron(out, site, NEWSCRAWL_MAX_LISTING_PAGES=2)
    assert run.status == 3, run.summary
    assert listing_pages(site) == [1, 2]
    assert len(run.articles()) == 40  # what the two pages held; 20 more may be missing
    since = datetime.fromisoformat(before.last()["started_at"]).astimezone(EASTERN)
    assert run.stats is not None
    until = run.stats["start_time"].astimezone(EASTERN)  # the day this run started, on ET
    alarm = (
        "coverage gap: the listings ran out before reaching known stories; stories published "
        f"since {since:%Y-%m-%d %H:%M} ET may be missing: run a backfill with "
        f"-a since={since:%Y-%m-%d} -a until={until:%Y-%m-%d}"
    )
    assert run.last()["alarms"] == [alarm]
    assert run.stats is not None
    assert run.stats["newscrawl/alarms"] == [alarm]
    assert run.stat("newscrawl/discovery/coverage_gaps") == 1
    # The next run reaches known stories again (the 40 written): no alarm, the 20 are not
    # found by a cron run (a backfill finds them).
    assert cron(out, site, NEWSCRAWL_MAX_LISTING_PAGES=2).status == 0


def test_a_first_run_that_reaches_the_cap_raises_no_alarm(out: Path, site: MenafnSite) -> None:
    """Nothing was known before: there is no gap since an earlier run, only history (a
    backfill's job); the run says how far back it reached."""
    run = cron(out, site, NEWSCRAWL_MAX_LISTING_PAGES=2)
    assert run.status == 0, run.summary
    assert run.stat("newscrawl/discovery/coverage_gaps") == 1
    assert run.last()["alarms"] == []


def test_a_cron_run_with_since_stops_at_a_page_older_than_since(out: Path) -> None:
    stories = synthetic_stories(100, step=600)  # about one story every 100 minutes
    with MenafnSite(stories) as site:
        since = stories[-45].local_published.date()  # 45 or so stories from that day on
        run = crawl_in_process(
            out, base_url=site.base_url, settings=ONE_LISTING, since=since.isoformat()
        )
        newer = [s for s in site.stories if s.local_published.date() >= since]
        pages = listing_pages(site)
    assert run.status == 0, run.summary
    first_all_older = -(-len(newer) // 20) + 1  # the first page that begins past them
    assert pages == list(range(1, first_all_older + 1))
    assert sorted(a["id"] for a in run.articles()) == sorted(f"menafn:{s.id}" for s in newer)


@pytest.mark.parametrize("wire", ["globenewswire", "prnewswire"])
def test_a_wires_quiet_run_reads_one_listing_page(out: Path, wire: str) -> None:
    with WireSite(wire, synthetic_releases(wire, 30)) as site:  # 25 a listing page
        crawl_in_process(out, wire, base_url=site.base_url, settings=FAST_SETTINGS)
        site.clear_requests()
        quiet = crawl_in_process(out, wire, base_url=site.base_url, settings=FAST_SETTINGS)
    assert quiet.status == 0, quiet.summary
    assert quiet.stat("newscrawl/discovery/listing_pages") == 1
    assert site.article_requests() == []


def test_after_a_run_that_did_not_finish_known_stories_do_not_stop_the_paging(
    out: Path, site: MenafnSite
) -> None:
    """A run stopped after the first page's stories (Scrapy's CLOSESPIDER_ITEMCOUNT, as a
    SIGTERM would) never reached the older pages: the next run reads on past page 1, all known."""
    stopped = cron(out, site, CONCURRENT_REQUESTS_PER_DOMAIN=1, CLOSESPIDER_ITEMCOUNT=20)
    assert stopped.last()["finish_reason"] == "closespider_itemcount"
    assert len(stopped.articles()) == 20
    run = cron(out, site)
    assert run.status == 0, run.summary
    assert listing_pages(site) == [1, 2, 3]  # the last page: 50 stories, 20 a page
    assert len(run.articles()) == 30
    assert cron(out, site).stat("newscrawl/discovery/listing_pages") == 1  # caught up
