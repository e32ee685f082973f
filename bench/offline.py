"""Offline runs: `scrapy crawl menafn -a source=DIR` vs a trafilatura script, same files."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.common import PYTHON, SCRAPY, Size, checked, pinned, run_child
from bench.crawl import CRAWLER_CORE, WROTE
from bench.extraction import write_saved_pages
from bench.report import Results, Table


def run(size: Size, results: Results, workdir: Path) -> None:
    pages = workdir / "saved"
    n = write_saved_pages(pages, size.offline_pages)
    repeats = max(1, min(3, size.repeats))
    ours, peers, written = [], [], 0
    for i in range(repeats):
        command = [
            SCRAPY, "crawl", "menafn", "-a", f"source={pages}",
            "-s", f"NEWSCRAWL_STATE={workdir / f'offline-{i}.sqlite3'}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={workdir / f'offline-out-{i}'}", "-L", "WARNING",
        ]  # fmt: skip
        run_ours = checked(run_child(pinned(command, CRAWLER_CORE)), "scrapy crawl -a source")
        found = WROTE.search(run_ours.stdout)
        written = int(found[1]) if found else 0
        ours.append(run_ours)
        script = [PYTHON, "-m", "bench.trafilatura_files", str(pages), str(workdir / "t.jsonl")]
        peers.append(checked(run_child(pinned(script, CRAWLER_CORE)), "trafilatura script"))
    table = Table(
        f"1c. Whole offline runs over {n:,} saved story pages (one process each)",
        ["program", "wall s", "pages/s", "CPU s", "peak RSS MB"],
    )
    mine = statistics.median(r.wall for r in ours)
    theirs = statistics.median(r.wall for r in peers)
    for name, runs in (
        ("newscrawl `scrapy crawl menafn -a source=DIR`", ours),
        ("script: trafilatura.extract(json, with_metadata) per file", peers),
    ):
        wall = statistics.median(r.wall for r in runs)
        table.add(name, wall, n / wall, statistics.median(r.cpu for r in runs),
                  max(r.peak_rss_mb for r in runs))  # fmt: skip
    table.notes.append(
        f"median of {repeats}; start-up and imports included; newscrawl wrote {written} "
        "articles (validated, de-duplicated, JSON lines); both pinned to the same core"
    )
    results.tables.append(table)
    speedup = theirs / mine
    results.values["offline_speedup"] = speedup
    results.target(f"offline run over {n:,} pages vs trafilatura script",
                   f"{speedup:.2f}x faster", "≥ 12x", speedup >= 12)  # fmt: skip
