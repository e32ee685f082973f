"""Benchmark 6: distributed mode, N workers sharing one crawl through Redis.

Pages/s of 1, 2 and 4 workers beside one ordinary process, on the local site answering after
50 ms (each worker waits on the network: scaling is the point) and at once (CPU-bound on this
2-core machine: the workers, the site and Redis share two cores). Rates are counted at the
site, from its first to its last story page request, so start-up is left out. Redis commands
per page are counted with MONITOR (sent by clients, not run by scripts; each command of a
pipeline counts, so they are not round trips).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.common import ROOT, SCRAPY, Size, clean_env, local_site
from bench.crawl import settings_args
from bench.report import Goal, Results, Table
from bench.site import clear_log, count_requests, site_log
from tests.redis_server import redis_server

WORKERS = (1, 2, 4)
SLOW_SITE = 0.05  # seconds the "far" site takes to answer
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    # One page at a time per worker: one worker waits on the 50 ms site, and 4 of them need
    # ~1 core at ~14 ms CPU a page, which leaves room for the site and Redis on 2 cores.
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "CONCURRENT_REQUESTS": "1",
    "LOG_LEVEL": "WARNING",
}


@dataclass(frozen=True)
class Outcome:
    workers: int  # 0: one ordinary (not distributed) process
    wall: float  # from the first start to the last exit
    steady: float  # story pages/s at the site, first to last
    pages: int
    refetched: int  # story pages fetched more than once
    written: int


def launch(
    base_url: str, stories: int, home: Path, redis_url: str | None
) -> subprocess.Popen[bytes]:
    out = home / "output"
    settings = {
        **SETTINGS,
        "NEWSCRAWL_OUTPUT_DIR": str(out),
        "NEWSCRAWL_STATE": str(out / ".state" / "seen.sqlite3"),
        "NEWSCRAWL_MAX_LISTING_PAGES": str(stories // 20 + 10),
        **({"NEWSCRAWL_REDIS_URL": redis_url} if redis_url else {}),
    }
    command = [SCRAPY, "crawl", "menafn", "-a", f"base_url={base_url}", *settings_args(settings)]
    home.mkdir(parents=True)
    with (home / "log").open("wb") as log:
        env = {**clean_env(), "PYTHONPATH": str(ROOT)}
        return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)


def crawl(base_url: str, stories: int, workdir: Path, workers: int, redis_url: str) -> Outcome:
    """One crawl of the site by ``workers`` workers (0: an ordinary process), measured."""
    clear_log(base_url)
    redis.Redis.from_url(redis_url).flushdb()
    started = time.perf_counter()
    homes = [workdir / f"{workers}-{n}" for n in range(max(workers, 1))]
    procs = [launch(base_url, stories, home, redis_url if workers else None) for home in homes]
    all_in = all_joined(redis_url, workers, procs)
    for proc, home in zip(procs, homes, strict=True):
        if proc.wait(timeout=600) != 0:
            raise RuntimeError(f"worker exited {proc.returncode}: {(home / 'log').read_text()}")
    wall = time.perf_counter() - started
    log = site_log(base_url)
    articles = [r for r in log if count_requests([r])["articles"]]
    times = sorted(r["time"] for r in articles if r["time"] >= all_in)
    steady = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    refetched = sum(n > 1 for n in Counter(r["path"] for r in articles).values())
    files = [path for home in homes for path in home.glob("output/menafn/articles/*.jsonl")]
    written = sum(len(path.read_bytes().splitlines()) for path in files)
    return Outcome(workers, wall, steady, len(articles), refetched, written)


def all_joined(redis_url: str, workers: int, procs: list[subprocess.Popen[bytes]]) -> float:
    """The time (``time.time()``, the site's clock) when all ``workers`` had joined the crawl.

    Workers start a few seconds apart on a busy machine; the first would otherwise crawl
    alone for a while, and the rate would be a mix of 1 and N workers.
    """
    server = redis.Redis.from_url(redis_url)
    while workers and any(proc.poll() is None for proc in procs):
        crawl = server.get("newscrawl:menafn:crawl")
        if isinstance(crawl, bytes):  # the client returns bytes: no decode_responses
            crawl = crawl.decode()
        if crawl and server.hlen(f"newscrawl:menafn:{crawl}:workers") >= workers:
            break
        time.sleep(0.02)
    return time.time()


def with_commands(
    base_url: str, stories: int, workdir: Path, redis_url: str
) -> tuple[Outcome, float]:
    """The 2-worker crawl, and the commands its workers sent Redis per story page (MONITOR:
    those run inside scripts, and the benchmark's own GET/HLEN/FLUSHDB/PING, left out)."""
    server = redis.Redis.from_url(redis_url, socket_timeout=3600)  # quiet while workers start
    sent: Counter[str] = Counter()
    ready, stop = threading.Event(), threading.Event()

    def watch() -> None:
        with server.monitor() as monitor:  # type: ignore[no-untyped-call]  # redis: unannotated
            ready.set()
            for command in monitor.listen():
                if command.get("client_type") != "lua":
                    sent[command["command"].split(" ", 1)[0].upper()] += 1
                if stop.is_set():
                    return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    ready.wait(10)
    outcome = crawl(base_url, stories, workdir, 2, redis_url)
    stop.set()
    server.ping()  # one more command, so the watcher sees the stop
    thread.join(10)
    for ours in ("GET", "HLEN", "FLUSHDB", "PING"):  # workers send these only inside scripts
        sent.pop(ours, None)
    return outcome, sum(sent.values()) / max(outcome.pages, 1)


def run(size: Size, results: Results, workdir: Path) -> None:
    n = size.crawl_pages // 5
    full = size.name == "full"  # the smoke test's tiny size: 1 and 2 workers, one site
    workers = WORKERS if full else WORKERS[:2]
    sites = ((SLOW_SITE, "answers after 50 ms"), (0.0, "answers at once"))[: 2 if full else 1]
    table = Table(
        f"6. Distributed mode: N workers through Redis, N={n:,} stories",
        ["site", "crawler", "story pages/s (steady)", "x one worker", "x one process",
         "wall s", "refetched", "written"],
    )  # fmt: skip
    per_page = 0.0
    with redis_server() as redis_url:
        for delay, label in sites:
            with local_site(n, core=0, delay=delay) as base_url:
                folder = workdir / f"d{delay}"
                runs = [crawl(base_url, n, folder, w, redis_url) for w in (0, 1)]
                if delay:  # the 2-worker crawl of the slow site counts its Redis commands too
                    two, per_page = with_commands(base_url, n, folder, redis_url)
                    runs.append(two)
                runs += [crawl(base_url, n, folder, w, redis_url) for w in workers[len(runs) - 1 :]]
            add_rows(table, label, runs, n)
            if delay:
                scaling = runs[-1].steady / runs[1].steady
                results.values["distributed_scaling"] = scaling
                results.goal(
                    Goal(
                        f"{workers[-1]} Redis workers / 1 on the 50 ms site (story pages/s)",
                        f"{runs[-1].steady:.1f} pages/s", f"{runs[1].steady:.1f} pages/s",
                        scaling, at_least=0.875 * workers[-1],
                    )
                )  # fmt: skip
    results.values["redis_commands_per_page"] = per_page
    table.notes += [
        f"Redis commands per story page: {per_page:.1f} (the 2-worker crawl of the 50 ms "
        "site, under MONITOR; commands the workers sent: queue push and pop, duplicate filter, "
        "claim, skip-seen lookups, the shared politeness turn, heartbeats, idle checks, commit, "
        "the cluster index's band keys; a pipeline's commands count one each, so round trips "
        "are fewer)",
        "each worker: " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items()) + "; the site "
        "pinned to one core, the workers and Redis (tests/redis_server.py) free; one run each",
        "steady = story page requests/s at the site, first to last, once every worker has "
        "joined the crawl; wall = first start to last exit (Scrapy start-up included)",
    ]
    results.tables.append(table)


def add_rows(table: Table, label: str, runs: list[Outcome], n: int) -> None:
    single, one = runs[0], runs[1]
    for outcome in runs:
        name = f"{outcome.workers} worker(s)" if outcome.workers else "one ordinary process"
        table.add(
            label, name, outcome.steady, outcome.steady / one.steady,
            outcome.steady / single.steady, outcome.wall, outcome.refetched, outcome.written,
        )  # fmt: skip
        if outcome.written != n or outcome.refetched:
            table.notes.append(f"WARNING: {label}, {name}: wrote {outcome.written} of {n}")
