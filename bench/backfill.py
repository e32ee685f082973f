"""Benchmark 7: backfilling one month (April 2025) from the local sites: GlobeNewswire's monthly
news sitemaps, PR Newswire's robots.txt, archive index and gzip archives, MENAFN's listings
paged back (tests/site/months.py serves three months of each). Pages a second at full speed,
a second backfill (it must write nothing), and a scaled backfill at the default politeness,
from which a real month's time follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.common import SCRAPY, ChildRun, Size, checked, pinned, run_child
from bench.crawl import CRAWLER_CORE, FAST, WROTE, settings_args
from bench.report import Results, Table
from tests.site.months import SPIDERS, month_site, stories_of
from tests.site.server import LocalSite

APRIL = ("-a", "since=2025-04-01", "-a", "until=2025-04-30")
LATENCY = 0.2  # seconds the site takes to answer in the politeness run (a far-away server)
# Releases a month, from public evidence (discovery-sitemaps.md): GlobeNewswire "~10K
# articles/month"; PR Newswire "~100-200 press releases/day" (150 a day, 30 days).
MONTH_PAGES = {"globenewswire": 10_000, "prnewswire": 4_500}


@dataclass(frozen=True)
class Backfill:
    """One backfill child: its run, what the site was asked for, what it wrote."""

    run: ChildRun
    story_pages: int
    other_requests: int  # robots.txt, sitemaps and archives, listing pages
    written: int

    @property
    def pages_per_s(self) -> float:
        return (self.story_pages + self.other_requests) / self.run.wall


def prerender(site: LocalSite) -> None:
    """Render every story page once, so the site's own rendering stays out of the timings."""
    for request_path in story_paths(site):
        site.route(request_path, site.base_url)


def story_paths(site: LocalSite) -> list[str]:
    stories = getattr(site, "stories", None) or getattr(site, "releases", [])
    return [story.path for story in stories]


def backfill(site: LocalSite, spider: str, workdir: Path, **settings: str) -> Backfill:
    """``scrapy crawl SPIDER -a since -a until`` of April against ``site``, measured."""
    site.clear_requests()
    every = {"NEWSCRAWL_OUTPUT_DIR": str(workdir / spider), "LOG_LEVEL": "WARNING", **settings}
    command = [SCRAPY, "crawl", spider, "-a", f"base_url={site.base_url}", *APRIL]
    run = checked(run_child(pinned([*command, *settings_args(every)], CRAWLER_CORE)), spider)
    stories = len(site.article_requests())
    found = WROTE.search(run.stdout)
    return Backfill(run, stories, len(site.requests) - stories, int(found[1]) if found else -1)


def run(size: Size, results: Results, workdir: Path) -> None:
    per_month = size.backfill_per_month
    table = Table(
        f"8. Backfill of one month from the local sites (three months of {per_month} stories a "
        "month; April's written)",
        ["spider", "source", "April's stories", "story pages", "other requests", "wall s",
         "pages/s", "CPU ms/page", "again: written", "again: story pages"],
    )  # fmt: skip
    sources = {"menafn": "listings paged back", "globenewswire": "monthly news sitemaps",
               "prnewswire": "robots.txt, archive index, gzip archives"}  # fmt: skip
    exact = True
    for spider in SPIDERS:
        with month_site(spider, per_month) as site:
            prerender(site)
            first = backfill(site, spider, workdir, **FAST)
            again = backfill(site, spider, workdir, **FAST)
            april = len(stories_of(site, "2025-04"))
        exact &= first.written == april and again.written == 0
        cpu = 1000 * first.run.cpu / max(first.story_pages, 1)
        table.add(
            spider, sources[spider], april, first.story_pages, first.other_requests,
            first.run.wall, first.pages_per_s, cpu, again.written, again.story_pages,
        )  # fmt: skip
        results.values[f"backfill_{spider}_pages_per_s"] = first.pages_per_s
    polite, rate = polite_run(size, workdir)
    results.values["backfill_polite_pages_per_s"] = rate
    table.notes += [
        "full speed: " + ", ".join(f"{k}={v}" for k, v in FAST.items()) + "; wall = the whole "
        "process (start-up included); the site in the bench's process, the crawler pinned",
        "story pages beyond April's stories: those dated within a zone's offset of the "
        "window (the page's own date decides: counted outside_window, not written); again: "
        "the same backfill once more (nothing is written; only those few are fetched again)",
        *polite,
    ]
    results.tables.append(table)
    results.target(
        "backfill of a month: its stories once; again nothing", "exact" if exact else "WRONG",
        "exact on every spider", exact,
    )  # fmt: skip


def polite_run(size: Size, workdir: Path) -> tuple[list[str], float]:
    """A scaled backfill at the default politeness (the project's settings), against a site
    answering after LATENCY seconds: notes saying what a real month takes at its pages/s,
    and that rate."""
    with month_site("prnewswire", size.backfill_polite_per_month) as site:
        prerender(site)
        site.response_delay = LATENCY
        polite = backfill(site, "prnewswire", workdir / "polite", LOG_LEVEL="WARNING")
    steady = polite.pages_per_s
    months = ", ".join(
        f"{spider} about {pages:,} pages: {hours(pages / steady)}"
        for spider, pages in MONTH_PAGES.items()
    )
    notes = [
        f"default politeness (DOWNLOAD_DELAY=0.5, CONCURRENT_REQUESTS_PER_DOMAIN=2, "
        f"AutoThrottle), site answering in {LATENCY} s: {polite.story_pages} story pages and "
        f"{polite.other_requests} other requests in {polite.run.wall:.1f} s, "
        f"{steady:.2f} pages/s (the delay allows 2)",
        f"so a real month at that rate: {months} (pages a month from discovery-sitemaps.md)",
    ]
    return notes, steady


def hours(seconds: float) -> str:
    """``1 h 28 min``.

    >>> hours(5280), hours(2400)
    ('1 h 28 min', '40 min')
    """
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
