"""Benchmark 1f: the fixed cost of a run, against a crawl of a spider that yields nothing.

The bundled sample run (`make run`: one saved page, read, checked, clustered, written, the
table updated) from an empty output folder each time, and `scrapy crawl empty`
(``bench/empty_spider.py``) in the same project; taken in turns, pinned to the same core.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.common import SAMPLE, SCRAPY, ChildRun, Size, checked, pinned, run_child
from bench.crawl import CRAWLER_CORE, WROTE
from bench.report import Goal, Results, Table

EMPTY = ["crawl", "empty", "-s", "SPIDER_MODULES=newscrawl.spiders,bench.empty_spider"]


def sample_run(output: Path) -> ChildRun:
    """`make run` into a new output folder (its state inside it, as by default)."""
    command = [SCRAPY, "crawl", "menafn", "-a", f"source={SAMPLE}", "-L", "WARNING",
               "-s", f"NEWSCRAWL_OUTPUT_DIR={output}"]  # fmt: skip
    run = checked(run_child(pinned(command, CRAWLER_CORE)), "the sample run")
    found = WROTE.search(run.stdout)
    if not found or found[1] != "1":
        raise RuntimeError(f"the sample run wrote no article: {run.stdout[-300:]}")
    return run


def empty_run(output: Path) -> ChildRun:
    """`scrapy crawl empty`. The project's `crawl` exits 1 for a spider that keeps no run (no
    run, no verdict), so an error is told by its log instead."""
    command = [SCRAPY, *EMPTY, "-L", "ERROR", "-s", f"NEWSCRAWL_OUTPUT_DIR={output}"]
    run = run_child(pinned(command, CRAWLER_CORE))
    if run.status not in (0, 1) or run.stderr.strip():
        raise RuntimeError(f"scrapy crawl empty exited {run.status}: {run.stderr[-600:]}")
    return run


def run(size: Size, results: Results, workdir: Path) -> None:
    repeats = max(3, size.repeats)
    samples, empties = [], []
    for i in range(repeats):
        samples.append(sample_run(workdir / f"sample-{i}"))
        empties.append(empty_run(workdir / f"empty-{i}"))
    table = Table("1f. The fixed cost of a run", ["run", "wall s", "CPU s", "peak RSS MB"])
    walls = {}
    for name, runs in (
        ("the sample run (`make run`, one story written, table updated)", samples),
        ("`scrapy crawl empty`: a spider that yields nothing, same project", empties),
    ):
        walls[name] = statistics.median(r.wall for r in runs)
        table.add(name, walls[name], statistics.median(r.cpu for r in runs),
                  max(r.peak_rss_mb for r in runs))  # fmt: skip
    table.notes.append(
        f"median of {repeats} each, taken in turns, pinned to one core; each sample run into a "
        "new output folder (a first run: nothing seen, the table made)"
    )
    results.tables.append(table)
    ours, floor = walls.values()
    results.values["fixed_cost_vs_floor"] = ours / floor
    results.goal(
        Goal(
            "fixed cost: the sample run's wall time / `scrapy crawl` of a spider that yields "
            "nothing, same project",
            f"{ours:.2f} s", f"{floor:.2f} s", ours / floor, at_most=1.3,
        )
    )  # fmt: skip
