"""Benchmarks 2 and 5: end-to-end crawls of the local site (newscrawl vs a bare Scrapy spider).

The site runs in its own process on one core, the crawler on the other (``taskset``).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    ROOT,
    SCRAPY,
    ChildRun,
    Size,
    checked,
    clean_env,
    local_site,
    pinned,
    run_child,
)
from bench.report import Goal, Results, Table
from bench.site import clear_log, count_requests, site_log
from tests.site import synthetic_stories

CRAWLER_CORE = 1
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_ITEMS": "16",
    "LOG_LEVEL": "WARNING",
    "ROBOTSTXT_OBEY": "True",
}
WROTE = re.compile(r"wrote (\d+) new articles")


def settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


@dataclass(frozen=True)
class Crawl:
    """One crawl, measured at both ends: the crawler's rusage and the site's request log."""

    run: ChildRun
    requests: dict[str, int]  # by kind, counted at the site
    steady_rate: float  # article pages/s between the first and last article request
    written: int | None = None

    @property
    def pages_per_s(self) -> float:
        return self.requests["articles"] / self.run.wall

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.run.cpu / max(self.requests["articles"], 1)


def measured(base_url: str, command: list[str], cwd: Path, env: dict[str, str] | None) -> Crawl:
    clear_log(base_url)
    run = checked(run_child(pinned(command, CRAWLER_CORE), cwd=cwd, env=env), command[1])
    log = site_log(base_url)
    times = sorted(r["time"] for r in log if count_requests([r])["articles"])
    steady = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    found = WROTE.search(run.stdout)
    return Crawl(run, count_requests(log), steady, int(found[1]) if found else None)


def newscrawl_crawl(base_url: str, stories: int, state: Path, output: Path, **extra: str) -> Crawl:
    """``scrapy crawl menafn`` on the site; listing pages enough to reach every story."""
    settings = {
        **FAST,
        "NEWSCRAWL_STATE": str(state),
        "NEWSCRAWL_OUTPUT_DIR": str(output),
        "NEWSCRAWL_MAX_LISTING_PAGES": str(stories // 20 + 10),
        **extra,
    }
    command = [SCRAPY, "crawl", "menafn", "-a", f"base_url={base_url}", *settings_args(settings)]
    return measured(base_url, command, ROOT, None)


def bare_crawl(base_url: str, stories: int, workdir: Path, parse: bool = False) -> Crawl:
    """The bare spider over the same article URLs (run outside the project: no its settings);
    ``parse``: its callback lxml-parses each page (the floor of a crawler that reads them)."""
    urls = workdir / "urls.txt"
    paths = (s.path for s in synthetic_stories(stories))
    urls.write_text("".join(f"{base_url}{p}\n" for p in paths), encoding="utf-8")
    spider = str(Path(__file__).with_name("bare_spider.py"))
    command = [SCRAPY, "runspider", spider, "-a", f"urls={urls}", *settings_args(FAST)]
    command += ["-a", "parse=1"] if parse else []
    return measured(base_url, command, workdir, clean_env())


def scrapy_bench(seconds: int, workdir: Path) -> tuple[float, ChildRun]:
    """``scrapy bench`` (its own local server, unpinned): responses/s over its run."""
    command = [SCRAPY, "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOG_LEVEL=INFO"]
    run = checked(run_child(command, cwd=workdir, env=clean_env()), "scrapy bench")
    count = re.search(r"'downloader/response_count': (\d+)", run.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", run.stderr)
    if not (count and elapsed):
        raise RuntimeError("scrapy bench printed no stats")
    return int(count[1]) / float(elapsed[1]), run


def median_crawl(crawls: list[Crawl]) -> Crawl:
    """The crawl with the median wall time."""
    return sorted(crawls, key=lambda c: c.run.wall)[len(crawls) // 2]


def add_row(table: Table, name: str, crawl: Crawl) -> None:
    table.add(
        name, crawl.requests["articles"], crawl.requests["total"], crawl.run.wall,
        crawl.pages_per_s, crawl.steady_rate, crawl.cpu_ms_per_page, crawl.run.peak_rss_mb,
    )  # fmt: skip


COLUMNS = [
    "crawler", "article pages", "requests", "wall s", "pages/s (wall)",
    "pages/s (steady)", "CPU ms/page", "peak RSS MB",
]  # fmt: skip


def run_live(size: Size, results: Results, base_url: str, workdir: Path) -> tuple[Path, Path]:
    """Benchmark 2 on a running site; returns the state and output folder of a newscrawl run."""
    n = size.crawl_pages
    repeats = max(1, min(3, size.repeats))
    ours, bares, parsers = [], [], []
    state, output = workdir / "state-0.sqlite3", workdir / "out-0"
    for i in range(repeats):
        state, output = workdir / f"state-{i}.sqlite3", workdir / f"out-{i}"
        ours.append(newscrawl_crawl(base_url, n, state, output))
        bares.append(bare_crawl(base_url, n, workdir))
        parsers.append(bare_crawl(base_url, n, workdir, parse=True))
    mine, bare, parsing = median_crawl(ours), median_crawl(bares), median_crawl(parsers)
    table = Table(f"2. End-to-end crawl of the local site, N={n:,} stories", COLUMNS)
    add_row(table, "newscrawl `scrapy crawl menafn`", mine)
    add_row(table, "bare spider (`scrapy runspider`, empty callback)", bare)
    add_row(table, "bare spider, each page lxml-parsed in its callback", parsing)
    rate, bench_run = scrapy_bench(size.scrapy_bench_seconds, workdir)
    table.add(
        "`scrapy bench` (context; own server, unpinned)", "-", "-", bench_run.wall, rate, "-", "-",
        bench_run.peak_rss_mb,
    )  # fmt: skip
    table.notes += [
        f"median of {repeats} runs by wall time; wall = whole process (start-up included); "
        "steady = article requests/s at the site from first to last; CPU = the crawler's "
        "user+sys (wait4 rusage); site and crawler pinned to different cores",
        f"newscrawl wrote {mine.written} articles and fetched {mine.requests['listings']} "
        f"listing pages (NEWSCRAWL_MAX_LISTING_PAGES={n // 20 + 10}, so that listings reach "
        "every story); the bare spider gets the article URLs from a file",
        "same settings for both: " + ", ".join(f"{k}={v}" for k, v in FAST.items()),
        "newscrawl as shipped: it keeps the WARC archive (benchmark 2b: with and without)",
    ]
    results.tables.append(table)
    ratio = mine.pages_per_s / bare.pages_per_s
    parsed = parsing.pages_per_s / bare.pages_per_s
    cpu = mine.cpu_ms_per_page
    table.notes.append(
        f"pages/s: newscrawl {ratio:.2f}x the empty bare spider's, the parsing bare spider "
        f"{parsed:.2f}x; CPU per story page: newscrawl {cpu / bare.cpu_ms_per_page:.2f}x the "
        f"empty one's, {cpu / parsing.cpu_ms_per_page:.2f}x the parsing one's (newscrawl's "
        "CPU includes its listing pages)"
    )
    results.values.update(
        crawl_ratio=ratio, crawl_rss_mb=mine.run.peak_rss_mb,
        crawl_cpu_vs_floor=mine.cpu_ms_per_page / parsing.cpu_ms_per_page,
    )  # fmt: skip
    results.goal(
        Goal(
            "live crawl CPU per story page / the bare spider that lxml-parses each page",
            f"{mine.cpu_ms_per_page:.2f} ms", f"{parsing.cpu_ms_per_page:.2f} ms",
            mine.cpu_ms_per_page / parsing.cpu_ms_per_page, at_most=2,
        )
    )  # fmt: skip
    if mine.written != n:
        table.notes.append(f"WARNING: newscrawl wrote {mine.written} of {n} stories")
    return state, output


def run_memory(size: Size, results: Results, workdir: Path) -> None:
    """Benchmark 5: peak RSS of a larger crawl, against the N of benchmark 2."""
    small_rss = results.values["crawl_rss_mb"]
    n = size.memory_pages
    with local_site(n) as base_url:
        crawl = newscrawl_crawl(base_url, n, workdir / "memory.sqlite3", workdir / "memory-out")
    table = Table("5. Memory: peak RSS against crawl size", ["stories N", "peak RSS MB", "wall s"])
    table.add(size.crawl_pages, small_rss, "(bench 2)")
    table.add(n, crawl.run.peak_rss_mb, crawl.run.wall)
    growth = (crawl.run.peak_rss_mb - small_rss) / ((n - size.crawl_pages) / 1000)
    table.notes.append(
        f"growth {growth:.2f} MB per 1,000 more stories; newscrawl wrote {crawl.written} "
        f"articles from {crawl.requests['articles']} article pages"
    )
    results.values["rss_growth_mb_per_1k"] = growth
    results.tables.append(table)


def temp_workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="newscrawl-bench-")
