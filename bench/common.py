"""Shared by every benchmark: sizes, timing, child processes (wall, CPU, peak RSS), the site."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SCRAPY = str(VENV_BIN / "scrapy")
PYTHON = sys.executable
FIXTURES = ROOT / "tests" / "fixtures" / "menafn"
SAMPLE = ROOT / "newscrawl" / "samples" / "menafn"
LAUNCHER = Path(__file__).with_name("launch.py")


@dataclass(frozen=True)
class Size:
    """How much each benchmark does; ``tiny`` is for the smoke test, ``full`` for the report."""

    name: str
    generated_pages: int  # synthetic article pages for the extraction benchmark
    repeats: int  # repeats per measurement; the median is reported
    crawl_pages: int  # N of the end-to-end crawl (bench 2 and 3)
    memory_pages: int  # N of the large crawl (bench 5)
    offline_pages: int  # saved pages for `scrapy crawl -a source=DIR` vs a trafilatura script
    store_ids: tuple[int, ...]  # seen-store sizes (bench 4)
    lookups: int  # has_id lookups per store size
    scrapy_bench_seconds: int
    backfill_per_month: int  # stories a month of each local site (bench 7)
    backfill_polite_per_month: int  # …of the site backfilled at the default politeness


SIZES = {
    "tiny": Size("tiny", 10, 2, 200, 400, 30, (10_000,), 5_000, 2, 20, 3),
    "full": Size(
        "full", 100, 5, 5_000, 20_000, 1_500, (1_000_000, 10_000_000), 200_000, 10, 400, 30
    ),
}


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """The median CPU time of ``repeats`` calls (after one warm-up call): this process's
    own, which other work on a shared machine slows far less than it does wall time."""
    run()
    times = []
    for _ in range(repeats):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def cores() -> list[int]:
    """The cores this process may use."""
    return sorted(os.sched_getaffinity(0))


def pinned(command: Sequence[str], core: int | None) -> list[str]:
    """``command`` under ``taskset -c core`` where taskset exists and the machine has 2+ cores."""
    if core is None or shutil.which("taskset") is None or len(cores()) < 2:
        return list(command)
    return ["taskset", "-c", str(cores()[core % len(cores())]), *command]


@dataclass(frozen=True)
class ChildRun:
    """One finished child process: exit status, wall seconds, CPU seconds, peak RSS, output."""

    status: int
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_child(
    command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> ChildRun:
    """Run a command to the end, measured by ``bench/launch.py`` (its wait4 rusage).

    ``taskset`` execs the command, so the numbers are the measured program's own.
    """
    with tempfile.TemporaryDirectory(prefix="bench-child-") as tmp:
        folder = Path(tmp)
        measure = [PYTHON, "-S", "-I", str(LAUNCHER), str(folder / "rusage.json"), "--"]
        with (folder / "out").open("w+") as out, (folder / "err").open("w+") as err:
            subprocess.run([*measure, *command], cwd=cwd, env=env, stdout=out, stderr=err)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        usage = json.loads((folder / "rusage.json").read_text())
    return ChildRun(
        usage["status"], usage["wall"], usage["cpu"], usage["peak_rss_mb"], stdout, stderr
    )


def checked(run: ChildRun, what: str) -> ChildRun:
    if run.status != 0:
        tail = "\n".join([*run.stdout.splitlines()[-5:], *run.stderr.splitlines()[-15:]])
        raise RuntimeError(f"{what} exited {run.status}:\n{tail}")
    return run


def clean_env() -> dict[str, str]:
    """The environment without Scrapy project settings (for runspider and scrapy bench)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}


@contextlib.contextmanager
def local_site(stories: int, core: int | None = 0, delay: float = 0.0) -> Iterator[str]:
    """The MENAFN-like site with ``stories`` pre-rendered stories, in its own process
    (answering each request after ``delay`` seconds)."""
    command = [PYTHON, "-m", "bench.site", "--stories", str(stories), "--delay", str(delay)]
    command = pinned(command, core)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        if not base_url.startswith("http://"):
            raise RuntimeError(f"the local site did not start (said {base_url!r})")
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_LOOPBACK = ("127.", "::1", "localhost")


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """In this process, refuse any connection or name look-up that is not loopback.

    A peer that reaches for the network (newspaper4k fetches images by default) fails at once
    instead of waiting on a time-out, and the benchmark stays offline.
    """
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        if self.family == socket.AF_UNIX or host.startswith(_LOOPBACK):
            real_connect(self, address)
            return
        raise OSError(f"bench: no network ({host})")

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is None or str(host).startswith(_LOOPBACK):
            return real_lookup(host, *args, **kwargs)
        raise socket.gaierror(f"bench: no network ({host})")

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = lookup
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = real_lookup
