"""The benchmarks, run at a tiny size so their code cannot rot (numbers are not checked)."""

from __future__ import annotations

from bench.suite import run_all


def test_every_benchmark_runs_at_a_tiny_size() -> None:
    results = run_all(size="tiny")
    assert results.tables
    assert results.targets
    assert results.values["rerun_over_floor"] == 0  # zero refetch holds at any size
