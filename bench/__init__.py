"""Benchmarks of newscrawl against its peers (not part of the tests).

`make bench` or `python -m bench [--size tiny|full]`; from code, `bench.suite.run_all(size)`.
"""
