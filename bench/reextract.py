"""Benchmark 1e: re-extracting a WARC archive with one worker process and with all cores.

The archive holds story answers as the local site serves them (a ``request`` and a
``response`` record each, gzip members, as a live run writes them), so the run reads, checks
and decodes records like any re-extraction, then parses them in its pool.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse

from bench.common import SCRAPY, ChildRun, Size, checked, cores, run_child
from bench.crawl import WROTE
from bench.extraction import generated_pages
from bench.report import Goal, Results, Table
from newscrawl.archive import WarcPart

MIRROR = "http://127.0.0.1:8000"
COLUMNS = ["NEWSCRAWL_OFFLINE_PROCESSES", "pages", "wall s", "pages/s", "CPU s", "peak RSS MB"]


def write_archive(path: Path, n: int) -> int:
    """An archive of ``n`` generated story pages (75-79 KB each), one second apart."""
    part = WarcPart(path, {"software": "newscrawl/bench"})
    started = datetime(2026, 11, 28, tzinfo=UTC)
    for i, page in enumerate(generated_pages(n)):
        url = MIRROR + page.url.removeprefix("https://menafn.com")
        request = Request(url, headers={"User-Agent": "newscrawl/bench"})
        head = {"Content-Type": "text/html; charset=utf-8"}
        answer = HtmlResponse(url, body=page.body, headers=head, request=request)
        part.write_answer(request, answer, started + timedelta(seconds=i))
    assert part.finish()
    return n


def reextract(archive: Path, processes: int, output: Path) -> tuple[ChildRun, int]:
    command = [
        SCRAPY, "crawl", "menafn", "-a", f"source={archive}", "-L", "WARNING",
        "-s", "NEWSCRAWL_STATE=", "-s", f"NEWSCRAWL_OUTPUT_DIR={output}",
        "-s", f"NEWSCRAWL_OFFLINE_PROCESSES={processes}",
    ]  # fmt: skip
    run = checked(run_child(command), f"re-extraction with {processes} processes")
    found = WROTE.search(run.stdout)
    return run, int(found[1]) if found else 0


def run(size: Size, results: Results, workdir: Path) -> None:
    """Runs with one worker process and with one per core, taken in turns (so the machine's
    drift hits both alike), unpinned; the median of each."""
    n = write_archive(workdir / "reextract.warc.gz", size.crawl_pages)
    repeats = max(1, min(3, size.repeats))
    all_cores = len(cores())
    runs: dict[int, list[ChildRun]] = {1: [], all_cores: []}
    written = {}
    for i in range(repeats):
        for processes in runs:
            child, written[processes] = reextract(
                workdir / "reextract.warc.gz", processes, workdir / f"reextract-{processes}-{i}"
            )
            runs[processes].append(child)
    table = Table(f"1e. Re-extracting a WARC archive of {n:,} story pages", COLUMNS)
    rates = {}
    for processes, children in runs.items():
        wall = statistics.median(c.wall for c in children)
        rates[processes] = n / wall
        cpu = statistics.median(c.cpu for c in children)
        label = f"{processes}" + (" (all cores)" if processes == all_cores else "")
        table.add(label, n, wall, n / wall, cpu, max(c.peak_rss_mb for c in children))
    speedup = rates[all_cores] / rates[1]
    table.notes += [
        f"median of {repeats} runs each, taken in turns, unpinned; wall and pages/s include "
        f"start-up; CPU = the crawler and its worker processes (wait4 rusage); wrote "
        f"{written[1]:,} and {written[all_cores]:,} articles",
        f"{all_cores} cores: {speedup:.2f}x the pages/s of one process (a second core's work "
        "is shared with the crawler's own process, which walks the archive and runs the "
        "item pipelines)",
    ]
    results.tables.append(table)
    results.values.update(reextract_1=rates[1], reextract_all=rates[all_cores])
    results.goal(
        Goal(
            f"re-extraction on {all_cores} cores / 1 process (pages/s)",
            f"{rates[all_cores]:,.0f} pages/s", f"{rates[1]:,.0f} pages/s", speedup,
            at_least=0.9 * all_cores,
        )
    )  # fmt: skip
