"""Benchmark 7: the articles table. What one run's update costs with 1,000 and with 100,000
stories already in the table, and the README's per-day query on the table (Parquet, through
the DuckDB views) against the same query over the JSON lines.

Articles are generated (three sources, about 3,000 stories per source and month, bodies of
about 400 words drawn from a pool of generated paragraphs), written as runs' JSON lines and
``runs.jsonl`` lines, in time order, as cron runs would have written them.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import orjson

from bench.common import Size
from bench.report import Results, Table
from newscrawl.table.update import TABLE_DIR, apply_run, catch_up
from newscrawl.table.views import DATABASE

SOURCES = ("menafn", "globenewswire", "prnewswire")
PER_MONTH = 3_000  # stories per source and month
RUN_STORIES = 100  # an hourly cron run's new stories
REEXTRACTED = 1_000  # a re-extraction's stories, spread over the whole history
FIRST_MONTH = datetime(2023, 1, 1, tzinfo=UTC)
SCALE = {"tiny": ((500, 2_000), 3_000), "full": ((1_000, 100_000), 1_000_000)}
PER_DAY = """SELECT CAST(published_at AS DATE) AS day, provider, count(*) AS stories
FROM {source}
WHERE published_at >= '2024-03-01' AND published_at < '2024-05-01'
GROUP BY ALL ORDER BY day, stories DESC, provider"""
LINES = (
    "read_json('{out}/*/articles/*.jsonl', format = 'newline_delimited', "
    "columns = {{published_at: 'TIMESTAMPTZ', provider: 'VARCHAR'}})"
)


class Generator:
    """Schema-v3 article lines: story ``n`` of a source, published at a given time."""

    def __init__(self, seed: int = 7) -> None:
        rng = random.Random(seed)
        words = [
            "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 10)))
            for _ in range(5_000)
        ]
        self.paragraphs = [" ".join(rng.choices(words, k=80)) for _ in range(20_000)]
        self.rng = rng

    def line(self, source: str, n: int, published: datetime) -> dict[str, Any]:
        pick = self.rng.sample(range(len(self.paragraphs)), 5)
        body = "\n\n".join(f"{n} {self.paragraphs[k]}." for k in pick)
        return {
            "schema_version": 3, "id": f"{source}:{n}", "source": source,
            "url": f"https://example.com/{n}", "title": f"Story {n} of {source}",
            "published_at": published.isoformat(), "published_text": None, "page_date": None,
            "dateline": None, "provider": f"Provider {n % 7}", "organization": None,
            "tickers": [], "body": body, "summary": None, "image_url": None,
            "tags": ["bench"], "category": None, "language": "en", "tracking_id": None,
            "word_count": len(body.split()),
            "content_hash": "sha256:" + hashlib.sha256(body.encode()).hexdigest(),
            "cluster_id": f"{source}:{n}", "corrects": None,
            "crawled_at": published.isoformat(), "extracted_by": "newscrawl bench",
        }  # fmt: skip


def write_run(out: Path, source: str, run: str, lines: list[dict[str, Any]]) -> Path:
    path = out / source / "articles" / f"{run}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    with (out / source / "runs.jsonl").open("ab") as manifest:
        manifest.write(orjson.dumps({"run": run, "file": f"{source}/articles/{run}.jsonl"}))
        manifest.write(b"\n")
    return path


def history(out: Path, stories: int, sources: tuple[str, ...], gen: Generator) -> int:
    """``stories`` stories over ``sources``, one run per source and month, oldest first;
    returns the months covered."""
    per_source = stories // len(sources)
    months = max(1, -(-per_source // PER_MONTH))
    for month in range(months):
        start = FIRST_MONTH + timedelta(days=31 * month)
        for source in sources:
            ids = range(month * PER_MONTH, min(per_source, (month + 1) * PER_MONTH))
            lines = [gen.line(source, n, start + timedelta(minutes=13 * n % 40_000))
                     for n in ids]  # fmt: skip
            write_run(out, source, start.strftime("%Y%m01T000000Z"), lines)
    return months


def timed_runs(out: Path, gen: Generator, months: int, repeats: int) -> Iterator[float]:
    """Seconds of ``apply_run`` for hourly runs of new stories in the newest month."""
    newest = FIRST_MONTH + timedelta(days=31 * (months - 1))
    for k in range(repeats):
        first = 10_000_000 + k * RUN_STORIES
        lines = [gen.line("menafn", n, newest + timedelta(hours=k))
                 for n in range(first, first + RUN_STORIES)]  # fmt: skip
        run = f"29990101T{k:02d}0000Z"
        path = write_run(out, "menafn", run, lines)
        started = time.perf_counter()
        apply_run(out, "menafn", run, path)
        yield time.perf_counter() - started


def reextraction(out: Path, gen: Generator, stories: int, months: int) -> tuple[float, int]:
    """Seconds of ``apply_run`` for a re-extraction of stories spread over every month, and
    the partitions it rewrote."""
    per_source = stories // len(SOURCES)
    chosen = sorted(random.Random(3).sample(range(per_source), min(REEXTRACTED, per_source)))
    lines = [
        gen.line("menafn", n, FIRST_MONTH + timedelta(days=31 * (n // PER_MONTH), hours=1))
        for n in chosen
    ]
    path = write_run(out, "menafn", "29990201T000000Z", lines)
    started = time.perf_counter()
    apply_run(out, "menafn", "29990201T000000Z", path)
    return time.perf_counter() - started, len({n // PER_MONTH for n in chosen})


def update_costs(size: Size, results: Results, workdir: Path) -> None:
    table = Table(
        "7. Table update per run (apply_run: read the run's lines, rewrite the partitions it "
        "touches, index, views)",
        ["stories in the table", "months x sources", "build (catch_up) s", "rows/s",
         f"run of {RUN_STORIES} new stories s", f"re-extraction of {REEXTRACTED:,} s",
         "partitions rewritten"],
    )  # fmt: skip
    gen = Generator()
    for stories in SCALE[size.name][0]:
        out = workdir / f"table-{stories}"
        months = history(out, stories, SOURCES, gen)
        started = time.perf_counter()
        built = catch_up(out)
        build = time.perf_counter() - started
        runs = statistics.median(timed_runs(out, gen, months, max(3, size.repeats)))
        again, touched = reextraction(out, gen, stories, months)
        table.add(built, f"{months} x {len(SOURCES)}", build, built / build, runs, again, touched)
        results.values[f"table_run_seconds_{stories}"] = runs
    table.notes.append(
        f"about {PER_MONTH:,} stories per source and month; an hourly run's stories go to the "
        "newest month, so it rewrites that month's partition (its cost follows the month's "
        "size, not the history's); a re-extraction rewrites each month it touches once"
    )
    results.tables.append(table)


def query_times(size: Size, results: Results, workdir: Path) -> None:
    rows = SCALE[size.name][1]
    out = workdir / "table-query"
    gen = Generator(seed=11)
    history(out, rows, SOURCES, gen)
    catch_up(out)
    with duckdb.connect(str(out / DATABASE), read_only=True) as db:
        times = {}
        for name, source in (("Parquet (articles view)", "articles"),
                             ("JSON lines (read_json)", LINES.format(out=out))):  # fmt: skip
            query = PER_DAY.format(source=source)
            db.execute(query).fetchall()  # warm: file lists, OS cache
            runs = []
            for _ in range(max(3, size.repeats)):
                started = time.perf_counter()
                answer = db.execute(query).fetchall()
                runs.append(time.perf_counter() - started)
            times[name] = (statistics.median(runs), len(answer))
    parquet_mb = sum(p.stat().st_size for p in (out / TABLE_DIR).rglob("*.parquet")) / 2**20
    lines_mb = sum(p.stat().st_size for p in out.glob("*/articles/*.jsonl")) / 2**20
    table = Table(
        f"7b. The README's per-day query on {rows:,} stories (DuckDB, {duckdb.__version__})",
        ["read from", "files MB", "query s", "result rows"],
    )
    table.add("Parquet (articles view)", parquet_mb, *times["Parquet (articles view)"])
    table.add("JSON lines (read_json)", lines_mb, *times["JSON lines (read_json)"])
    speedup = times["JSON lines (read_json)"][0] / times["Parquet (articles view)"][0]
    table.notes.append(
        f"Parquet is {speedup:.0f}x faster; read_json is given the two columns' types (its "
        "fastest form) and still parses every line whole; bodies are generated text from a "
        "pool of paragraphs, so the Parquet size is optimistic"
    )
    results.tables.append(table)
    results.values["table_query_speedup"] = speedup


def run(size: Size, results: Results, workdir: Path) -> None:
    update_costs(size, results, workdir)
    query_times(size, results, workdir)
