"""`python -m bench [--size tiny|full] [--out BENCHMARKS.md]`: run all, print, write the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import ROOT, SIZES
from bench.suite import run_all


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    results = run_all(args.size, report=args.out, verbose=True)
    print()
    print(results.text())
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
