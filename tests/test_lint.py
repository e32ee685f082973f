"""The code stays ruff- and mypy --strict-clean: CI runs the tests, so it checks these too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

TOOLS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "newscrawl", "tests", "bench"],
    "ruff format": [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "newscrawl",
        "tests",
        "bench",
    ],
    "mypy --strict": [sys.executable, "-m", "mypy", "--strict", "newscrawl", "tests", "bench"],
}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_clean(tool: str) -> None:
    done = subprocess.run(TOOLS[tool], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
