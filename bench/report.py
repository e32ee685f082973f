"""Results: tables and targets, printed as text and written as BENCHMARKS.md."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.common import ROOT, cores

PACKAGES = (
    "scrapy", "lxml", "parsel", "twisted", "trafilatura", "newspaper4k", "redis",
)  # fmt: skip


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([fmt(c) for c in cells])

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |"]
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        lines += ["", *(f"- {note}" for note in self.notes)] if self.notes else []
        return "\n".join(lines)

    def text(self) -> str:
        widths = [
            max(len(c), *(len(r[i]) for r in self.rows)) if self.rows else len(c)
            for i, c in enumerate(self.columns)
        ]

        def line(cells: list[str]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

        out = [f"== {self.title}", line(self.columns), *(line(r) for r in self.rows)]
        return "\n".join(out + [f"   * {note}" for note in self.notes])


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    wanted: str
    met: bool


@dataclass(frozen=True)
class Goal:
    """One measure as a ratio to its floor, both from the same run (issue 20)."""

    measure: str  # "<ours> / <floor>"
    ours: str  # the measured values, with units
    floor: str
    ratio: float
    at_most: float | None = None  # the goal: ratio <= at_most, or ratio >= at_least
    at_least: float | None = None

    @property
    def wanted(self) -> str:
        return f"≤ {self.at_most:g}x" if self.at_most is not None else f"≥ {self.at_least:g}x"

    @property
    def met(self) -> bool:
        if self.at_most is not None:
            return self.ratio <= self.at_most
        return self.at_least is not None and self.ratio >= self.at_least


GOAL_COLUMNS = ["measure", "ours", "floor", "ratio", "goal", ""]


@dataclass
class Results:
    size: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # raw numbers, for tests

    def target(self, name: str, measured: str, wanted: str, met: bool) -> None:
        self.targets.append(Target(name, measured, wanted, met))

    def goal(self, goal: Goal) -> None:
        self.goals.append(goal)

    def goal_table(self) -> Table:
        table = Table("Goals: each measure against its floor, from this run", GOAL_COLUMNS)
        for g in self.goals:
            table.add(g.measure, g.ours, g.floor, f"{g.ratio:.2f}x", g.wanted,
                      "met" if g.met else "**missed**")  # fmt: skip
        return table

    def text(self) -> str:
        targets = [
            f"{'MET ' if t.met else 'MISS'}  {t.name}: {t.measured} (target {t.wanted})"
            for t in self.targets
        ]
        tables = "\n\n".join(t.text() for t in [*self.tables, self.goal_table()])
        return f"{tables}\n\n== Targets\n" + "\n".join(targets)


def fmt(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def git_revision() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    diff = git("diff", "HEAD", "--", "newscrawl")
    digest = hashlib.sha256(diff.encode()).hexdigest()[:12]
    dirty = f" + uncommitted changes to newscrawl/ (diff sha256 {digest})" if diff else ""
    return (git("rev-parse", "--short", "HEAD") or "unknown") + dirty


def machine() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; newscrawl at {git_revision()}",
        f"- machine: {cpu}, {len(cores())} cores{memory}; {platform.platform()}",
        f"- Python {platform.python_version()}; " + ", ".join(versions),
        f"- load average when the report was written: {load()} (other work on the machine "
        "slows the crawls; latency-bound rows suffer most)",
    ]


def load() -> str:
    """The 1, 5 and 15 minute load averages, e.g. ``0.42 0.30 0.21``."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def write_markdown(results: Results, path: Path, seconds: float) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand. Everything runs",
        "offline: the peers and newscrawl read the same pages from disk or from the local",
        "MENAFN-like site on loopback. Times are medians of repeats; ratios come from the",
        "same run.",
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench                         # installs the bench extra, then the full run",
        ".venv/bin/python -m bench --size tiny   # a seconds-long run (what the smoke test runs)",
        "```",
        "",
        "## Run",
        "",
        *machine(),
        f"- size: `{results.size}`; the whole run took {seconds / 60:.1f} min",
        "",
        "## Goals",
        "",
        "Each measure as a ratio to its floor, both measured in this run (issue 20), so the",
        "goal holds on any machine; `bench/FINDINGS.md` (below) says what stops a row that",
        "misses.",
        "",
        *results.goal_table().markdown().splitlines()[2:],
        "",
        "## Other targets",
        "",
        "| target | measured | wanted | |",
        "| --- | --- | --- | --- |",
        *(
            f"| {t.name} | {t.measured} | {t.wanted} | {'met' if t.met else '**missed**'} |"
            for t in results.targets
        ),
        "",
        "## Results",
        "",
    ]
    for table in results.tables:
        lines += [table.markdown(), ""]
    findings = Path(__file__).with_name("FINDINGS.md")  # written by hand, kept with the code
    if findings.exists():
        lines += [findings.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
