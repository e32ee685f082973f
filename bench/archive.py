"""Benchmark 2b: what keeping the WARC archive costs a live crawl, and how big it gets."""

from __future__ import annotations

import statistics
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse

from bench.common import Size
from bench.crawl import Crawl, newscrawl_crawl
from bench.report import Results, Table
from newscrawl.archive import WarcPart
from tests.site import synthetic_stories

COLUMNS = ["NEWSCRAWL_ARCHIVE", "article pages", "pages/s (wall)", "pages/s (steady)",
           "CPU ms/page", "archive MB", "archive MB per 1,000 pages"]  # fmt: skip


def archive_bytes(output: Path) -> int:
    return sum(p.stat().st_size for p in output.glob("menafn/archive/*.warc.gz"))


def write_ms(base_url: str, workdir: Path, answers: int = 100, rounds: int = 5) -> float:
    """CPU ms to archive one answer (a request and a response record), in process: the best of
    ``rounds`` rounds over 20 of the site's story pages, so other load on the machine counts
    least."""
    paths = [s.path for s in synthetic_stories(20)]
    pages = []
    for path in paths:
        with urllib.request.urlopen(base_url + path, timeout=60) as answer:
            request = Request(base_url + path, headers={"User-Agent": "newscrawl/bench"})
            headers = dict(answer.headers.items())
            pages.append((request, HtmlResponse(request.url, body=answer.read(),
                                                headers=headers, request=request)))  # fmt: skip
    best = float("inf")
    for number in range(rounds):
        part = WarcPart(workdir / f"write-{number}.warc.gz", {"software": "newscrawl/bench"})
        started = time.process_time()
        for i in range(answers):
            part.write_answer(*pages[i % len(pages)], datetime.now(UTC))
        best = min(best, (time.process_time() - started) * 1000 / answers)
        part.finish()
    return best


def run(size: Size, results: Results, base_url: str, workdir: Path) -> None:
    """Crawls of the whole site with the archive on and off, taken in turns (so the machine's
    drift hits both alike); the median of each."""
    n = size.crawl_pages
    repeats = max(1, min(3, size.repeats))
    crawls: dict[str, list[tuple[Crawl, int]]] = {"1": [], "0": []}
    for i in range(repeats):
        for archive in crawls:
            output = workdir / f"archive-{archive}-{i}"
            crawl = newscrawl_crawl(
                base_url, n, output / "state.sqlite3", output, NEWSCRAWL_ARCHIVE=archive
            )
            crawls[archive].append((crawl, archive_bytes(output)))
    table = Table(f"2b. The WARC archive: the crawl of benchmark 2 with it on and off, N={n:,}",
                  COLUMNS)  # fmt: skip
    medians = {}
    for archive, runs in crawls.items():
        crawl, stored = sorted(runs, key=lambda r: r[0].run.wall)[len(runs) // 2]
        pages = crawl.requests["articles"]
        per_1k = stored / max(pages, 1) * 1000 / 1e6
        cpu = statistics.median(c.cpu_ms_per_page for c, _ in runs)
        table.add("on" if archive == "1" else "off (=0)", pages, crawl.pages_per_s,
                  crawl.steady_rate, cpu, stored / 1e6, per_1k)  # fmt: skip
        medians[archive] = (crawl.pages_per_s, cpu, per_1k)
    cost = 1 - medians["1"][0] / medians["0"][0]
    cpu_cost = medians["1"][1] / medians["0"][1] - 1
    per_answer = write_ms(base_url, workdir)
    share = per_answer / medians["0"][1]
    table.notes += [
        f"median of {repeats} runs each by wall time (CPU: the median per-page CPU), taken in "
        "turns; settings as in benchmark 2; each run from an empty state",
        f"with the archive on, pages/s {-cost:+.1%} and CPU per page {cpu_cost:+.1%} (on a "
        "busy machine these two swing by more than the archive costs: read them with the next)",
        f"archiving one answer in process (WarcPart.write_answer, best of 5 rounds of 100): "
        f"{per_answer:.2f} ms of CPU, {share:.1%} of the crawl's CPU per page without it",
        "the site serves ~80 KB HTML pages uncompressed; a site that gzips them, as menafn.com "
        "does, costs less (its bytes are stored as sent, and deflating them again is quick)",
    ]
    results.tables.append(table)
    results.values.update(archive_cost=cost, archive_share=share, archive_mb_per_1k=medians["1"][2])
    results.target("archive cost: share of the crawl's CPU per page",
                   f"{share:.1%} (pages/s {-cost:+.1%})", "≤ 10%", share <= 0.10)  # fmt: skip
