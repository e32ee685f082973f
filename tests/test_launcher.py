"""The launcher's children answer as new interpreters do: what the process tests rely on."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from subprocess import DEVNULL

from tests import launcher
from tests.conftest import ROOT, SAMPLE, crawl
from tests.site import MenafnSite, synthetic_stories


def test_a_launched_crawl_prints_and_exits_as_a_new_interpreter(tmp_path: Path) -> None:
    for args, status in [(("-a", "source=/no/such/folder"), 2), (("-a", f"source={SAMPLE}"), 0)]:
        runs = [crawl(tmp_path / f"out{n}", *args, interpreter=n == 1) for n in range(2)]
        assert [run.status for run in runs] == [status, status]
        printed = [
            run.stdout.replace(str(tmp_path / f"out{n}"), "OUT") for n, run in enumerate(runs)
        ]
        printed = [re.sub(r"\d{8}T\d{6}Z", "RUN", text) for text in printed]
        assert printed[0] == printed[1]
        assert printed[0].count("\n") == (0 if status else 1)  # the summary line, once
        if status:
            assert (
                runs[0].stderr == runs[1].stderr == "newscrawl: source not found: /no/such/folder\n"
            )


def test_a_launched_child_reports_a_signal_as_popen_does(tmp_path: Path) -> None:
    with MenafnSite(synthetic_stories(30)) as site:
        site.response_delay = 0.05
        command = [
            sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={site.base_url}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={tmp_path}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = launcher.popen(command, env=env, stdout=DEVNULL, stderr=DEVNULL)
        assert isinstance(child, launcher.Child)
        assert child.poll() is None
        deadline = time.monotonic() + 60
        while not site.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        assert child.poll() is None
        assert os.getpgid(child.pid) == os.getpgid(0)  # in this process group, as Popen's
        child.kill()
        assert child.wait(timeout=10) == -signal.SIGKILL
        assert child.poll() == -signal.SIGKILL
