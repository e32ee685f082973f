"""Benchmark 4: the SQLite seen store at scale (insert, lookups, memory, file, run start-up).

Each phase runs in its own process (``python -m bench.store build|lookup ...``), so its peak
RSS is its own.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import PYTHON, SAMPLE, SCRAPY, Size, checked, pinned, run_child
from bench.report import Goal, Results, Table
from newscrawl.run.seen_sqlite import SqliteSeenStore

FIRST_ID = 2_000_000_000  # above every real and synthetic story id; ids step by 3
BULK_ROWS = 500_000  # rows per transaction of a bulk fill
BULK_CACHE_KB = 2_000_000  # page cache of the bulk filler (not of a run)
PUBLIC_ADD_MAX = 1_000_000  # stores up to this size are filled through the public add()


def story_id(i: int) -> str:
    return f"menafn:{FIRST_ID + 3 * i}"


def rows(start: int, stop: int, run: str) -> Iterator[tuple[str, str, str]]:
    for i in range(start, stop):
        digest = hashlib.sha256(i.to_bytes(8, "little")).hexdigest()
        yield story_id(i), f"sha256:{digest}", run


def build(path: str, n: int, public: bool) -> dict[str, float]:
    """Fill a new store with ``n`` ids: through ``add`` or by executemany on its connection."""
    store = SqliteSeenStore(path)
    started = time.perf_counter()
    if public:
        for row in rows(0, n, "menafn/bench"):
            store.add(*row)
    else:
        store.db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KB}")  # this filler's memory only
        for start in range(0, n, BULK_ROWS):
            store.db.execute("BEGIN")
            store.db.executemany(
                "INSERT INTO stories VALUES (?, ?, ?)",
                rows(start, min(n, start + BULK_ROWS), "menafn/bench"),
            )
            store.db.execute("COMMIT")
    seconds = time.perf_counter() - started
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"seconds": seconds, "rate": n / seconds}


def lookup(path: str, n: int, count: int) -> dict[str, float]:
    """Lookup rates on a filled store (half known ids, half unknown), then adds at this size."""
    store = SqliteSeenStore(path)
    rng = random.Random(5)
    wanted = [
        story_id(rng.randrange(n)) if k % 2 else f"menafn:{FIRST_ID + 3 * rng.randrange(n) + 1}"
        for k in range(count)
    ]
    out: dict[str, float] = {"has_id": 0.0, "bare": 0.0}
    for _ in range(2):  # in turns, the better of two each: a cold cache hurts the first
        out["bare"] = max(out["bare"], count / bare_lookups(path, wanted))
        started = time.perf_counter()
        found = sum(store.has_id(i) for i in wanted)
        out["has_id"] = max(out["has_id"], count / (time.perf_counter() - started))
    out["found"] = found
    for batch in (20, 500):
        started = time.perf_counter()
        for k in range(0, count, batch):
            store.known_ids(wanted[k : k + batch])
        out[f"known_ids_{batch}"] = count / (time.perf_counter() - started)
    hashes = [f"sha256:{hashlib.sha256(str(k).encode()).hexdigest()}" for k in range(count // 10)]
    started = time.perf_counter()
    for value in hashes:
        store.has_hash(value)
    out["has_hash"] = len(hashes) / (time.perf_counter() - started)
    extra = max(1000, count // 4)
    started = time.perf_counter()
    for row in rows(n, n + extra, "menafn/bench-more"):
        store.add(*row)
    out["add_at_size"] = extra / (time.perf_counter() - started)
    store.close()
    return out


def bare_lookups(path: str, wanted: list[str]) -> float:
    """Seconds for the floor: a loop of primary-key look-ups on the same table through a
    plain ``sqlite3`` connection (SQLite's defaults, one statement per id)."""
    db = sqlite3.connect(path)
    started = time.perf_counter()
    for story_id in wanted:
        db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone()
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def child(*args: str) -> tuple[dict[str, float], float]:
    """Run a phase in a child process on the crawler core: (its numbers, its peak RSS MB)."""
    done = checked(run_child(pinned([PYTHON, "-m", "bench.store", *args], 1)), "bench.store")
    return json.loads(done.stdout.strip().splitlines()[-1]), done.peak_rss_mb


def startup(state: Path, workdir: Path, repeats: int) -> float:
    """Median wall seconds of ``scrapy crawl menafn -a source=<sample>`` with this state."""
    times = []
    for _ in range(repeats):
        command = [
            SCRAPY, "crawl", "menafn", "-a", f"source={SAMPLE}", "-s", f"NEWSCRAWL_STATE={state}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={workdir / f'startup-{state.stem}'}", "-L", "WARNING",
        ]  # fmt: skip
        times.append(checked(run_child(pinned(command, 1)), "scrapy crawl").wall)
    return statistics.median(times)


def file_mb(path: Path) -> float:
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return sum(p.stat().st_size for p in files if p.exists()) / 2**20


def run(size: Size, results: Results, workdir: Path) -> None:
    table = Table(
        "4. Seen store (SqliteSeenStore) at scale",
        ["ids", "fill", "insert ids/s", "fill RSS MB", "file MB", "has_id/s", "known_ids/s (20)",
         "known_ids/s (500)", "has_hash/s", "add/s at size", "lookup RSS MB",
         "bare SQLite look-ups/s"],
    )  # fmt: skip
    largest = workdir / "empty.sqlite3"
    worst_ratio, worst, worst_rss = float("inf"), (0, 0.0, 0.0), 0.0
    for n in size.store_ids:
        path = workdir / f"store-{n}.sqlite3"
        public = n <= PUBLIC_ADD_MAX
        filled, fill_rss = child("build", str(path), str(n), "public" if public else "bulk")
        size_mb = file_mb(path)
        looked, lookup_rss = child("lookup", str(path), str(n), str(size.lookups))
        table.add(
            n, "add()" if public else "executemany", filled["rate"], fill_rss, size_mb,
            looked["has_id"], looked["known_ids_20"], looked["known_ids_500"], looked["has_hash"],
            looked["add_at_size"], lookup_rss, looked["bare"],
        )  # fmt: skip
        slowest = min(looked["has_id"], looked["known_ids_20"], looked["known_ids_500"])
        if slowest / looked["bare"] < worst_ratio:
            worst_ratio, worst = slowest / looked["bare"], (n, slowest, looked["bare"])
        # the bulk filler's RSS is its own 2 GB page cache, not the store's: not a target
        worst_rss = max(worst_rss, lookup_rss, fill_rss if public else 0.0)
        largest = path
    repeats = max(1, min(3, size.repeats))
    empty = startup(workdir / "empty.sqlite3", workdir, repeats)
    full = startup(largest, workdir, repeats)
    biggest = max(size.store_ids)
    table.notes += [
        f"stores up to {PUBLIC_ADD_MAX:,} ids are filled through the public add() (500 rows a "
        "transaction); larger ones with executemany in transactions of "
        f"{BULK_ROWS:,} rows through the store's own connection (add() would take too long), "
        f"with a {BULK_CACHE_KB // 1000:,} MB SQLite page cache: that is the 'fill RSS' of those "
        "rows, a property of the bench's filler, not of the store a run opens",
        "peak RSS target: the lookup process (open, has_id, known_ids, has_hash, add) and the "
        "add() fill",
        "lookups: half known, half unknown ids, random order; 'add/s at size' adds "
        f"{max(1000, size.lookups // 4):,} more ids through add() to the filled store; 'bare "
        "SQLite look-ups/s': the same ids through a plain sqlite3 connection, one primary-key "
        "SELECT each (the floor), taken in turns with has_id, the better of two each",
        f"start-up: `scrapy crawl menafn -a source=newscrawl/samples/menafn` takes {empty:.2f} s "
        f"with an empty store and {full:.2f} s with {biggest:,} ids (median of {repeats})",
    ]
    results.tables.append(table)
    delta = full - empty
    results.values.update(store_lookups_per_s=worst[1], store_rss_mb=worst_rss)
    results.values.update(startup_delta_s=delta, store_vs_floor=worst_ratio)
    results.goal(
        Goal(
            f"seen-store look-ups (slowest kind) / a bare SQLite primary-key look-up loop, "
            f"{worst[0]:,} ids",
            f"{worst[1]:,.0f}/s", f"{worst[2]:,.0f}/s", worst_ratio, at_least=0.5,
        )
    )  # fmt: skip
    results.target("seen store peak RSS", f"{worst_rss:.0f} MB", "< 100 MB", worst_rss < 100)
    results.target(
        f"start-up with {biggest:,} ids (whole run on the sample page)",
        f"{full:.2f} s ({delta:+.2f} s vs an empty store)", "≤ +10% (the store's size costs "
        "nothing)", delta <= 0.1 * empty,
    )  # fmt: skip


def main() -> None:
    mode, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "build":
        out = build(path, n, public=sys.argv[4] == "public")
    else:
        out = lookup(path, n, int(sys.argv[4]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
