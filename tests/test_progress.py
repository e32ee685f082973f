"""Progress on long work (newscrawl/progress.py): a bar on a terminal that log lines do not
tear (a `scrapy crawl` in a pseudo-terminal), periodic log lines without one, nothing when
NEWSCRAWL_PROGRESS is off."""

from __future__ import annotations

import fcntl
import io
import logging
import os
import pty
import re
import struct
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.utils.log import TopLevelFormatter

from newscrawl.progress import logs_above_bar
from tests import launcher
from tests.conftest import FAST, FIXTURES, ROOT
from tests.in_process import FAST_SETTINGS, crawl_in_process
from tests.site import MenafnSite, synthetic_stories

LOG_LINE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[[\w.]+\] [A-Z]+: ")
PROGRESS_LINE = re.compile(
    r"^progress: (\d+) of (\d+) story pages \(\d+%\), (\d+) written, [\d.]+ pages/s"
    r"(, about [\dhmin s]+ left)?$"
)
BAR = re.compile(r"menafn: +(\d+)%\|")


def in_a_terminal(command: list[str], columns: int = 120) -> tuple[int, str]:
    """Run ``command`` with a pseudo-terminal as its stdin, stdout and stderr; its exit status
    and everything it wrote there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    child = launcher.popen(command, env=env, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    written = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        written += chunk
    os.close(leader)
    return child.wait(timeout=60), written.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_terminal_shows_a_bar_that_log_lines_do_not_tear(out: Path) -> None:
    with MenafnSite(synthetic_stories(40)) as site:
        site.response_delay = 0.05  # about two seconds of crawling: several redraws
        status, shown = in_a_terminal([
            sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={site.base_url}",
            *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", f"NEWSCRAWL_OUTPUT_DIR={out}",
            "-s", "LOG_LEVEL=DEBUG",  # a log line per page, between the bar's redraws
        ])  # fmt: skip
    assert status == 0, shown[-3000:]
    frames = [int(share) for share in BAR.findall(shown)]
    assert len(frames) >= 3
    assert frames[-1] == 100
    assert "40 written" in shown
    starts = [match.start() for match in LOG_LINE.finditer(shown)]
    assert len(starts) > 40
    torn = [shown[max(0, i - 60) : i + 40] for i in starts if i and shown[i - 1] not in "\r\n"]
    assert torn == []  # every log line begins a line of its own, never after the bar's text
    assert "menafn: wrote 40 new articles" in shown  # the summary, after the bar


def test_without_a_terminal_progress_is_a_log_line_at_each_interval(
    out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newscrawl.progress")
    with MenafnSite(synthetic_stories(30)) as site:
        site.response_delay = 0.03
        settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                    "NEWSCRAWL_PROGRESS_INTERVAL": 0.2}  # fmt: skip
        run = crawl_in_process(out, base_url=site.base_url, settings=settings)
    assert run.status == 0, run.summary
    lines = [r.getMessage() for r in caplog.records if r.name == "newscrawl.progress"]
    # Before the first listing is read no story is known: a line without "of N" (a loaded
    # machine can tick first); from then on every line has the count found so far.
    while lines and lines[0].startswith("progress: 0 story pages, 0 written"):
        lines.pop(0)
    assert len(lines) >= 2
    counts = [PROGRESS_LINE.match(line) for line in lines]
    assert all(counts), lines
    done = [int(match[1]) for match in counts if match]
    assert done == sorted(done)  # it moves forward
    assert all(int(m[1]) <= int(m[2]) <= 30 and int(m[3]) <= int(m[1]) for m in counts if m)
    assert any(m[4] for m in counts if m)  # the time left, once the rate is known


def test_progress_can_be_switched_off(out: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="newscrawl.progress")
    with MenafnSite(synthetic_stories(10)) as site:
        site.response_delay = 0.03
        settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                    "NEWSCRAWL_PROGRESS_INTERVAL": 0.1, "NEWSCRAWL_PROGRESS": False}  # fmt: skip
        run = crawl_in_process(out, base_url=site.base_url, settings=settings)
    assert run.status == 0, run.summary
    assert [r for r in caplog.records if r.name == "newscrawl.progress"] == []


def test_a_re_extraction_shows_pages_done_and_written(
    out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Offline the total is not known in advance (an archive's records are counted as read):
    the lines say what is done, what was written and how fast."""
    caplog.set_level(logging.INFO, logger="newscrawl.progress")
    settings = {"NEWSCRAWL_PROGRESS_INTERVAL": 0.05, "NEWSCRAWL_OFFLINE_PROCESSES": 1}
    run = crawl_in_process(out, source=str(FIXTURES), settings=settings)
    assert run.status == 0, run.summary
    lines = [r.getMessage() for r in caplog.records if r.name == "newscrawl.progress"]
    assert lines
    assert all(
        re.fullmatch(r"progress: \d+ story pages, \d+ written, [\d.]+ pages/s", x) for x in lines
    )


@pytest.fixture
def console() -> Iterator[tuple[io.StringIO, logging.Handler]]:
    """The root logger with one console handler, as ``scrapy crawl -L WARNING`` leaves it
    (level, Scrapy's formatter and its top-level filter), writing into a buffer that the test
    makes ``sys.stderr`` (pytest's capture sets its own between set-up and the test)."""
    terminal = io.StringIO()
    handler = logging.StreamHandler(terminal)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("[%(name)s] %(levelname)s: %(message)s"))
    handler.addFilter(TopLevelFormatter(["scrapy"]))
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    root.handlers, root.level = [handler], logging.DEBUG
    yield terminal, handler
    root.handlers, root.level = kept, level


def on_the_terminal(terminal: io.StringIO) -> list[logging.Handler]:
    """The root logger's handlers writing to the terminal (pytest adds its own elsewhere)."""
    return [h for h in logging.getLogger().handlers if getattr(h, "stream", None) is terminal]


def test_the_bar_keeps_the_console_handlers_level(
    console: tuple[io.StringIO, logging.Handler], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal ``-L WARNING`` still hides DEBUG and INFO lines (the crawled pages,
    whole scraped items): FRESH-USER-1 F8."""
    terminal, handler = console
    monkeypatch.setattr(sys, "stderr", terminal)
    with logs_above_bar():
        [installed] = on_the_terminal(terminal)
        assert installed is not handler
        assert installed.level == logging.WARNING
        assert installed.formatter is handler.formatter
        assert installed.filters == handler.filters
        logging.getLogger("scrapy.core.scraper").debug("Scraped from <200 x> Article(...)")
        logging.getLogger("scrapy.core.engine").info("Crawled (200) <GET x>")
        logging.getLogger("scrapy.core.engine").warning("a warning")
    assert on_the_terminal(terminal) == [handler]
    assert terminal.getvalue() == "[scrapy] WARNING: a warning\n"


def test_with_a_log_file_the_bar_routes_nothing(
    console: tuple[io.StringIO, logging.Handler], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--logfile``: no console handler, so none is added (the terminal shows the bar alone)."""
    terminal, _ = console
    monkeypatch.setattr(sys, "stderr", terminal)
    to_file = logging.FileHandler(tmp_path / "log")
    logging.getLogger().handlers = [to_file]  # pytest's own come back at the test's call
    with logs_above_bar():
        assert on_the_terminal(terminal) == []
        logging.getLogger("scrapy.core.engine").debug("Crawled (200) <GET x>")
    to_file.close()
    assert terminal.getvalue() == ""
    assert "Crawled (200)" in (tmp_path / "log").read_text()


def test_a_retried_story_page_is_counted_once_in_the_progress() -> None:
    """A page asked again (cut short) is the same story: the bar's total does not grow."""
    from scrapy import Request

    from newscrawl.run.seen_filter import STORY_META
    from newscrawl.spiders.menafn import MenafnSpider

    spider = MenafnSpider()
    meta = {"ref": ["1109793603", "x"], STORY_META: "menafn:1109793603"}
    spider.request_scheduled(Request("https://menafn.com/1109793603/x", meta=meta))
    spider.unanswered.pop("1109793603")  # answered, cut short
    again = Request("https://menafn.com/1109793603/x", meta={**meta, "retry_times": 1})
    spider.request_scheduled(again)
    assert spider.progress() == (0, 1)
