"""`python -m bench.smoke`: every benchmark at a tiny size, so their code cannot rot.

The numbers are not checked (these machines are noisy); that each step runs and that zero
refetch holds at any size is. `.ci/run` runs it as its own step, beside the tests.
"""

from __future__ import annotations

import sys
import time

from bench.suite import run_all


def main() -> int:
    started = time.perf_counter()
    results = run_all(size="tiny")
    problems = []
    if not results.tables or not results.targets:
        problems.append("a benchmark step produced no table or no target")
    if results.values.get("rerun_over_floor") != 0:
        problems.append(f"re-runs refetched pages: {results.values.get('rerun_over_floor')}")
    for problem in problems:
        print(f"bench smoke: {problem}", file=sys.stderr)
    print(f"bench smoke: {len(results.tables)} tables in {time.perf_counter() - started:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
