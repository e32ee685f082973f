"""Backfilling a window, `-a since=… -a until=…`, on every spider against local sites with three
months of stories (tests/site/months.py): GlobeNewswire from its monthly news sitemaps, PR
Newswire from its robots.txt's sitemaps (monthly gzip archives, the rolling news sitemap),
MENAFN from its listings paged back. Crawls run in process (tests/in_process.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.in_process import FAST_SETTINGS, InProcessRun, crawl_in_process
from tests.site import MenafnSite, WireSite
from tests.site.months import EDGES, SPIDERS, month_site, stories_of
from tests.site.server import LocalSite


def backfill(
    out: Path, spider: str, site: LocalSite, since: str = "2025-04-01", until: str = "2025-04-30"
) -> InProcessRun:
    """A backfill of April (unless told), in process, without the politeness delays."""
    return crawl_in_process(
        out, spider, base_url=site.base_url, settings=FAST_SETTINGS, since=since, until=until
    )


def story_paths(site: LocalSite) -> list[str]:
    return [r.path for r in site.article_requests()]


def published(site: LocalSite) -> dict[str, str]:
    """Each story's publication time as its page gives it, by article id."""
    if isinstance(site, MenafnSite):
        return {f"menafn:{s.id}": s.published.isoformat() for s in site.stories}
    assert isinstance(site, WireSite)
    return {f"{site.wire}:{r.id}": r.published.isoformat() for r in site.releases}


@pytest.mark.parametrize("spider", SPIDERS)
def test_a_backfill_of_one_month_writes_that_month_once(out: Path, spider: str) -> None:
    with month_site(spider) as site:
        if isinstance(site, WireSite):  # the edge story of 30 April, dated wrong by its sitemap
            edge = next(r for r in site.releases if r.published == EDGES[0])
            site.off_by_zone = {edge.id}
        first = backfill(out, spider, site)
        written = first.articles()
        site.clear_requests()
        again = backfill(out, spider, site)
    assert first.status == 0, first.summary
    april = stories_of(site, "2025-04")
    assert len(april) >= 30
    assert sorted(a["id"] for a in written) == april  # the edges of April included
    times = published(site)
    assert all(a["published_at"] == times[a["id"]] for a in written)  # the page's, always
    assert first.stat("newscrawl/discovery/outside_window") <= 4  # a zone's margin, no more
    assert again.status == 0, again.summary
    assert again.articles() == []
    assert again.stat("newscrawl/skipped_seen") == len(april)
    written_paths = {urlsplit(a["url"]).path for a in written}
    assert not {urlsplit(p).path for p in story_paths(site)} & written_paths  # none asked again


def test_globenewswire_sitemaps_are_a_second_witness_and_fill_tickers_and_tags(out: Path) -> None:
    with month_site("globenewswire") as site:
        assert isinstance(site, WireSite)
        edge = next(r for r in site.releases if r.published == EDGES[0])
        site.off_by_zone = {edge.id}  # its sitemap says 23:30 UTC: four hours early
        run = backfill(out, "globenewswire", site)
        releases = {f"globenewswire:{r.id}": r for r in site.releases}
        requested = [r.path for r in site.requests if not site.is_article(r.path.split("?")[0])]
    assert run.status == 0, run.summary
    assert "/news/en/2025-05.xml" in requested  # the April edge story is in May's (UTC) file
    witnesses = run.last()["health"]["witnesses"]["sitemap"]
    assert witnesses["off_hours"] == {"-4": 1}
    assert witnesses["agree"] == witnesses["compared"] - 1 >= 30
    articles = {a["id"]: a for a in run.articles()}
    assert articles[f"globenewswire:{edge.id}"]["published_at"] == edge.published.isoformat()
    tickers = {
        "Nasdaq Global Select Market:CLDT": "NASDAQ:CLDT", "NASDAQ:NWRB": "NASDAQ:NWRB",
        "TSX Venture Exchange:ASTM": "TSXV:ASTM", "OTCQB:ASTMF": "OTCQB:ASTMF",
        "NYSE:HGS": "NYSE:HGS", "NYSE:QLF": "NYSE:QLF", "Nasdaq:GPBC": "NASDAQ:GPBC",
    }  # fmt: skip
    for article_id, article in articles.items():
        release = releases[article_id]
        assert article["tickers"] == [tickers[t] for t in release.tickers]
        assert article["tags"] == list(release.keywords)
    assert any(len(a["tickers"]) == 2 for a in articles.values())


def test_a_damaged_monthly_archive_is_one_warning_not_a_failed_run(
    out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with month_site("prnewswire") as site:
        assert isinstance(site, WireSite)
        site.damaged_months = {"2025-04"}
        run = backfill(out, "prnewswire", site)
    assert run.status == 0, run.summary
    (warning,) = [r.getMessage() for r in caplog.records if "is damaged" in r.getMessage()]
    match = re.search(r"sitemap archive of 2025-04 is damaged \((.+)\): (\d+) stories", warning)
    assert match, warning
    assert match[1] == "the gzip stream ends early"
    april = stories_of(site, "2025-04")
    written = sorted(a["id"] for a in run.articles())
    assert 0 < len(written) == int(match[2]) < len(april)  # what the archive still gave
    assert set(written) <= set(april)
    assert run.stat("newscrawl/discovery/sitemaps_damaged") == 1
    assert run.last()["failures"] == []


def test_a_backfill_whose_sitemaps_are_all_missing_fails_naming_them(
    out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """GlobeNewswire's monthly sitemaps start in 2023: 2019's are 404."""
    with month_site("globenewswire", per_month=2) as site:
        run = backfill(out, "globenewswire", site, since="2019-06-01", until="2019-06-30")
        base_url = site.base_url
    assert run.status == 1
    assert run.last()["failures"] == ["no sitemap could be read (see the warnings naming each)"]
    failed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sitemap failed")]
    assert sorted(failed) == [
        f"sitemap failed: {base_url}/news/en/2019-{m}.xml: HTTP 404" for m in ("05", "06", "07")
    ]


def test_a_backfill_and_cron_runs_share_the_state(out: Path) -> None:
    """A backfill of April, a cron run, then a backfill of all three months: every story of
    the three months is written once, by one of them."""
    with month_site("prnewswire", per_month=8) as site:
        runs = [
            backfill(out, "prnewswire", site),
            crawl_in_process(out, "prnewswire", base_url=site.base_url, settings=FAST_SETTINGS),
            backfill(out, "prnewswire", site, since="2025-03-01", until="2025-05-31"),
        ]
    assert [run.status for run in runs] == [0, 0, 0], [run.summary for run in runs]
    april = stories_of(site, "2025-04")
    assert sorted(a["id"] for a in runs[0].articles()) == april
    written = [a["id"] for run in runs for a in run.articles()]
    three_months = [i for m in ("2025-03", "2025-04", "2025-05") for i in stories_of(site, m)]
    assert sorted(written) == sorted(three_months)  # each once
