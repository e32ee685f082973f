"""`run_all(size)`: every benchmark in order, one Results (tables, targets, raw values)."""

from __future__ import annotations

import time
from pathlib import Path

from bench import (
    archive,
    backfill,
    clusters,
    crawl,
    distributed,
    extraction,
    fallback,
    offline,
    reextract,
    rerun,
    startup,
    store,
    table,
)
from bench.common import SIZES, local_site, no_network
from bench.report import Results, write_markdown


def run_all(size: str = "tiny", report: Path | None = None, verbose: bool = False) -> Results:
    """Run every benchmark at ``size`` (``tiny`` or ``full``); write ``report`` if given."""
    chosen = SIZES[size]
    results = Results(size)
    started = time.perf_counter()

    shown = 0

    def step(name: str) -> None:
        nonlocal shown
        if verbose:  # each table as soon as its step ends: a run cut short keeps its figures
            for table in results.tables[shown:]:
                print(table.text(), flush=True)
            shown = len(results.tables)
            print(f"[{time.perf_counter() - started:6.0f} s] {name}", flush=True)

    with crawl.temp_workdir() as tmp:
        workdir = Path(tmp)
        step("1. extraction")
        with no_network():
            extraction.run(chosen, results)
            step("1d. the last extraction layer")
            fallback.run(chosen.generated_pages, results)
        step("1c. offline runs")
        offline.run(chosen, results, workdir)
        step("1e. re-extraction on one and all cores")
        reextract.run(chosen, results, workdir)
        step("1f. the fixed cost of a run")
        startup.run(chosen, results, workdir)
        with local_site(chosen.crawl_pages) as base_url:
            step("2. crawl")
            state, output = crawl.run_live(chosen, results, base_url, workdir)
            step("2b. archive on and off")
            archive.run(chosen, results, base_url, workdir)
            step("3. re-runs")
            rerun.run(chosen, results, base_url, state, output)
        step("4. seen store")
        store.run(chosen, results, workdir)
        step("4b. story clusters")
        clusters.run(chosen, results, workdir)
        step("5. memory")
        crawl.run_memory(chosen, results, workdir)
        step("6. distributed")
        distributed.run(chosen, results, workdir)
        step("7. articles table")
        table.run(chosen, results, workdir)
        step("8. backfill")
        backfill.run(chosen, results, workdir)
    seconds = time.perf_counter() - started
    results.values["seconds"] = seconds
    if report is not None:
        write_markdown(results, report, seconds)
    return results
