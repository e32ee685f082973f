"""Offline runs: `scrapy crawl menafn -a source=DIR` vs a trafilatura script, same files."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.common import (
    PYTHON,
    SCRAPY,
    ChildRun,
    Size,
    checked,
    clean_env,
    cores,
    pinned,
    run_child,
)
from bench.crawl import CRAWLER_CORE, WROTE
from bench.extraction import write_saved_pages
from bench.report import Goal, Results, Table


def newscrawl_offline(
    pages: Path, workdir: Path, name: str, processes: int, core: int | None
) -> ChildRun:
    command = [
        SCRAPY, "crawl", "menafn", "-a", f"source={pages}",
        "-s", f"NEWSCRAWL_STATE={workdir / f'{name}.sqlite3'}",
        "-s", f"NEWSCRAWL_OUTPUT_DIR={workdir / f'{name}-out'}", "-L", "WARNING",
        "-s", f"NEWSCRAWL_OFFLINE_PROCESSES={processes}",
    ]  # fmt: skip
    return checked(run_child(pinned(command, core)), "scrapy crawl -a source")


def floor_run(pages: Path, workdir: Path) -> ChildRun:
    """``bench/floor_files.py``: Scrapy started, every file read and lxml-parsed, no more."""
    spider = str(Path(__file__).with_name("floor_files.py"))
    command = [SCRAPY, "runspider", spider, "-a", f"folder={pages}", "-s", "LOG_LEVEL=WARNING"]
    run = run_child(pinned(command, CRAWLER_CORE), cwd=workdir, env=clean_env())
    return checked(run, "scrapy runspider floor_files.py")


def run(size: Size, results: Results, workdir: Path) -> None:
    """newscrawl with one process and the trafilatura script, pinned to the same core (the
    per-page cost); newscrawl with every core as shipped, unpinned (the whole machine); and
    the floor of any offline run in Scrapy (start-up, then an lxml parse per file)."""
    pages = workdir / "saved"
    n = write_saved_pages(pages, size.offline_pages)
    repeats = max(1, min(3, size.repeats))
    ours, wide, peers, floors = [], [], [], []
    for i in range(repeats):
        ours.append(newscrawl_offline(pages, workdir, f"offline-{i}", 1, CRAWLER_CORE))
        wide.append(newscrawl_offline(pages, workdir, f"offline-all-{i}", 0, None))
        script = [PYTHON, "-m", "bench.trafilatura_files", str(pages), str(workdir / "t.jsonl")]
        peers.append(checked(run_child(pinned(script, CRAWLER_CORE)), "trafilatura script"))
        floors.append(floor_run(pages, workdir))
    written = [int(found[1]) for r in ours + wide if (found := WROTE.search(r.stdout))]
    table = Table(
        f"1c. Whole offline runs over {n:,} saved story pages",
        [
            "program",
            "wall s",
            "pages/s",
            "CPU s",
            "peak RSS MB",
            "x trafilatura script",
            "wall x floor",
        ],
    )
    theirs = statistics.median(r.wall for r in peers)
    floor = statistics.median(r.wall for r in floors)
    for name, runs in (
        ("newscrawl `scrapy crawl menafn -a source=DIR`, 1 process (pinned)", ours),
        (f"newscrawl, as shipped: {len(cores())} worker processes (unpinned)", wide),
        ("script: trafilatura.extract(json, with_metadata) per file (pinned)", peers),
        ("floor: Scrapy started, each file read and lxml-parsed, nothing more (pinned)", floors),
    ):
        wall = statistics.median(r.wall for r in runs)
        table.add(name, wall, n / wall, statistics.median(r.cpu for r in runs),
                  max(r.peak_rss_mb for r in runs), theirs / wall, wall / floor)  # fmt: skip
    table.notes += [
        f"median of {repeats}; start-up and imports included; newscrawl wrote "
        f"{min(written, default=0)}-{max(written, default=0)} articles per run (validated, "
        "de-duplicated, clustered, JSON lines); pinned runs share one core; CPU of a pooled "
        "run includes its workers",
        "the floor's 'x trafilatura script' is the most a whole offline run in Scrapy can "
        "reach on one core of this machine, before it extracts anything",
    ]
    results.tables.append(table)
    mine = statistics.median(r.wall for r in ours)
    results.values.update(
        offline_speedup=theirs / mine,
        offline_speedup_all_cores=theirs / statistics.median(r.wall for r in wide),
        offline_vs_floor=mine / floor,
    )
    results.goal(
        Goal(
            f"whole offline run of {n:,} saved pages on one core / the Scrapy + lxml floor row",
            f"{mine:.2f} s", f"{floor:.2f} s", mine / floor, at_most=2,
        )
    )  # fmt: skip
