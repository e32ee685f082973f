"""Benchmark 3: what a second run asks of the site (unchanged, then with 1% new stories)."""

from __future__ import annotations

from pathlib import Path

from bench.common import Size
from bench.crawl import Crawl, newscrawl_crawl
from bench.report import Results, Table
from bench.site import add_stories


def run(size: Size, results: Results, base_url: str, state: Path, output: Path) -> None:
    """Re-run over the state of a finished full crawl of ``base_url``."""
    n = size.crawl_pages
    table = Table(
        f"3. Re-runs over the same state (site of N={n:,} stories)",
        ["run", "requests", "robots.txt", "listing pages", "article pages", "written",
         "floor", "over floor"],
    )  # fmt: skip
    unchanged = newscrawl_crawl(base_url, n, state, output)
    row(table, "second run, site unchanged", unchanged, 0)
    new = add_stories(base_url, max(1, n // 100))
    grown = newscrawl_crawl(base_url, n + new, state, output)
    row(table, f"after {new} new stories (1%)", grown, new)
    table.notes += [
        "requests counted at the site; floor = robots.txt + the listing pages the run read + "
        "the new stories (so 'over floor' counts story pages fetched again)",
        f"a re-run pages each listing until a page whose stories are all known: one page per "
        f"listing when nothing is new (the bench sets NEWSCRAWL_MAX_LISTING_PAGES={n // 20 + 10} "
        f"so that the first run reaches all {n:,} stories)",
    ]
    results.tables.append(table)
    over = over_floor(unchanged, 0) + over_floor(grown, new)
    results.values["rerun_over_floor"] = over
    results.target(
        "re-runs: story pages fetched again", f"{over} over the floor", "0 (the floor)", over == 0
    )


def floor(crawl: Crawl, new: int) -> int:
    return crawl.requests["robots"] + crawl.requests["listings"] + new


def over_floor(crawl: Crawl, new: int) -> int:
    return crawl.requests["total"] - floor(crawl, new)


def row(table: Table, name: str, crawl: Crawl, new: int) -> None:
    counts = crawl.requests
    table.add(
        name, counts["total"], counts["robots"], counts["listings"], counts["articles"],
        crawl.written, floor(crawl, new), over_floor(crawl, new),
    )  # fmt: skip
