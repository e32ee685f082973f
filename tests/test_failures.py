"""Every failure is reported where a cron user looks (CONTRACT §1): one line on stderr naming
what and where, the exit status, a runs.jsonl line where the folder can take one, and never a
traceback. The command's own code decides the status and prints the lines, so most of these
run it in process (tests/in_process.py crawl_here); a crawl without the right to override file
modes (setpriv) and a signal need a `scrapy crawl` child."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.crawler import Crawler

from newscrawl.commands.crawl import UNFINISHED
from newscrawl.commands.shutdown import GracefulShutdown
from newscrawl.run.checks import check_settings
from tests import launcher
from tests.conftest import FAST, FIXTURE_PAGES, ROOT, SAMPLE, Run, crawl, page_copies
from tests.in_process import FAST_SETTINGS, crawl_here, crawl_in_process, scrapy_here
from tests.site import Fault, MenafnSite, synthetic_stories

pytestmark = pytest.mark.slow

PAGES = FIXTURE_PAGES[:4]
# root ignores file modes; without CAP_DAC_OVERRIDE it obeys them, as a cron user does
AS_A_USER = (
    "setpriv", "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search", "--",
)  # fmt: skip


def our_lines(run: Run) -> list[str]:
    """The lines newscrawl itself put on stderr; never with a traceback."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return [line for line in run.stderr.splitlines() if line.startswith("newscrawl:")]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return page_copies(tmp_path / "pages", PAGES)


def unwritable_articles(folder: Path, how: str) -> tuple[str, ...]:
    """Make ``folder/articles`` unwritable; the command prefix the crawl then needs."""
    articles = folder / "articles"
    if how == "a file":
        folder.mkdir(parents=True)
        articles.write_text("not a folder\n")
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run the crawl without CAP_DAC_OVERRIDE")
    articles.mkdir(parents=True)
    articles.chmod(0o555)
    return AS_A_USER


@pytest.mark.parametrize("how", ["a file", "chmod 555"])
def test_an_unwritable_articles_folder_fails_the_run_in_one_line(
    out: Path, pages: Path, tmp_path: Path, how: str
) -> None:
    folder, feed = out / "menafn", tmp_path / "feed.jsonl"
    prefix = unwritable_articles(folder, how)
    args = ("-a", f"source={pages}", "-O", f"{feed}:jsonlines")
    # a crawl that must not override file modes runs as a child under setpriv
    run = crawl(out, *args, prefix=prefix) if prefix else crawl_here(out, *args)
    assert run.status == 1
    (line,) = our_lines(run)
    assert line.startswith("newscrawl: error: output could not be written: [Errno")
    assert str(folder / "articles") in line
    # the stories the run would have written, whether or not a line got into a .part file
    assert line.endswith(": 4 articles left for the next run")
    last = run.last()
    assert (last["file"], last["written"], last["exit_status"]) == (None, 0, 1)
    assert last["failures"] == [line.removeprefix("newscrawl: error: ")]
    assert feed.read_text() == ""  # the feed gets nothing the run did not publish
    assert "published no article file" in run.stdout

    (folder / "articles").chmod(0o755)
    if how == "a file":
        (folder / "articles").unlink()
    again = crawl_here(out, "-a", f"source={pages}")
    assert (again.status, again.last()["written"]) == (0, 4), again.stderr[-2000:]


@pytest.mark.parametrize("how", ["a folder", "a link into a missing folder"])
def test_an_unwritable_runs_jsonl_stops_the_run_before_it_starts(
    out: Path, pages: Path, how: str
) -> None:
    folder = out / "menafn"
    folder.mkdir(parents=True)
    manifest = folder / "runs.jsonl"
    if how == "a folder":
        manifest.mkdir()
    else:
        manifest.symlink_to(folder / "missing" / "runs.jsonl")
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 1
    (line,) = our_lines(run)
    assert line.startswith("newscrawl: could not start, the output or the state cannot be written")
    assert line.endswith(f"'{manifest}'")
    assert not (folder / "articles").exists()

    if manifest.is_symlink():
        manifest.unlink()
    else:
        manifest.rmdir()
    mended = crawl_here(out, "-a", f"source={pages}")
    assert mended.status == 0, mended.stderr[-2000:]
    assert "rolled back" not in mended.stderr  # the run that could not start left nothing
    assert [line["written"] for line in mended.manifest()] == [4]


@pytest.mark.parametrize("kind", ["not a database", "a folder"])
def test_a_state_that_cannot_be_opened_stops_the_run_before_it_starts(out: Path, kind: str) -> None:
    state = out / ".state" / "seen.sqlite3"
    state.parent.mkdir(parents=True)
    if kind == "a folder":  # FRESH-USER-2 G1: the cluster-scheme check raised a traceback
        state.mkdir()
    else:
        state.write_text("a file that is not a database\n")
    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 1
    assert "Traceback" not in run.stderr
    (line,) = our_lines(run)
    assert line.startswith(f"newscrawl: the state {state} cannot be used: ")
    assert line.endswith("; not started")
    if kind == "not a database":
        assert "file is not a database" in line
    assert not (out / "menafn" / "articles").exists()


def test_a_source_that_holds_no_page_is_bad_usage(out: Path, tmp_path: Path) -> None:
    empty, notes, links, nothing = (tmp_path / n for n in ("empty", "notes", "links", "nothing"))
    for folder in (empty, notes, links, nothing):
        folder.mkdir()
    (nothing / "20261130.warc.gz").write_bytes(b"")  # a download that failed
    (nothing / "1109000001.txt").write_bytes(b"")
    (notes / "README.md").write_text("saved pages go here\n")
    (notes / "urls.json").write_text("[]\n")
    # the README's month recipe in a month with no archive yet: ln makes a link to the pattern
    (links / "202611*.warc.gz").symlink_to(tmp_path / "archive" / "202611*.warc.gz")
    (notes / "pages.tar.gz").write_bytes(b"")  # gzip, but of no page
    for source, message in [
        (empty, f"source holds no page: {empty}"),
        (notes, f"source holds no page: {notes}"),
        (links, f"source holds no page: {links}"),
        (links / "202611*.warc.gz", f"source not found: {links / '202611*.warc.gz'}"),
        # one file that is not a page, as a folder of it (a case's expected.json by mistake)
        (notes / "urls.json", f"source holds no page: {notes / 'urls.json'}"),
        (notes / "pages.tar.gz", f"source holds no page: {notes / 'pages.tar.gz'}"),
        # empty files named as pages: a folder of them, and each alone
        (nothing, f"source holds no page: {nothing}"),
        *((path, f"source holds no page: {path}") for path in sorted(nothing.iterdir())),
    ]:
        run = crawl_here(out, "-a", f"source={source}")
        assert run.status == 2, source
        (line,) = run.stderr.strip().splitlines()  # before Scrapy logs anything
        assert line.startswith(f"newscrawl: {message}"), line
        assert not out.exists()


BAD_SETTINGS = [
    ("DOWNLOAD_DELAY", "abc", "expected a number of at least 0"),
    ("DOWNLOAD_DELAY", "nan", "expected a number of at least 0"),  # no delay at all: G6
    ("DOWNLOAD_DELAY", "inf", "expected a number of at least 0"),  # a run that hangs: G6
    ("NEWSCRAWL_RETRY_BACKOFF", "nan", "expected a number of at least 0"),
    ("DOWNLOAD_TIMEOUT", "0", "expected a number more than 0"),
    ("RETRY_TIMES", "-1", "expected a whole number of at least 0"),
    ("CONCURRENT_REQUESTS_PER_DOMAIN", "0", "expected a whole number of at least 1"),
    ("NEWSCRAWL_ARCHIVE", "maybe", "expected 1 or 0 (true or false)"),
    ("NEWSCRAWL_OUTPUT_DIR", "", "give a folder"),
    ("LOG_LEVEL", "LOUD", "expected CRITICAL, ERROR, WARNING, INFO or DEBUG"),
    ("LOG_LEVEL", "info", "expected CRITICAL, ERROR, WARNING, INFO or DEBUG"),
    ("NEWSCRAWL_CONTACT", "a;b", "expected printable ASCII without ( ) ; or \\"),
    ("NEWSCRAWL_CONTACT", "me (at) example.org", "expected printable ASCII without ( ) ; or \\"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD_SETTINGS)
def test_each_bad_setting_is_refused_naming_it(name: str, value: str, expected: str) -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings")
    settings.set(name, value)
    with pytest.raises(ValueError, match=re.escape(f"invalid {name} '{value}': {expected}")):
        check_settings(settings)


def test_a_log_level_logging_does_not_know_is_one_line_before_scrapy_logs(out: Path) -> None:
    """`-L LOUD`: Scrapy would raise logging's ValueError as it sets up its log (a traceback);
    the command's checks see it first. A child: the log is set up by the real command line."""
    run = crawl(out, "-a", f"source={SAMPLE}", "-L", "LOUD")
    assert run.status == 2
    assert run.stderr == (
        "newscrawl: invalid LOG_LEVEL 'LOUD': expected CRITICAL, ERROR, WARNING, INFO or DEBUG\n"
    )
    assert not out.exists()


def test_bad_setting_values_are_bad_usage_and_no_later_run_rolls_anything_back(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = tmp_path / "working"
    working.mkdir()
    with monkeypatch.context() as here:
        here.chdir(working)
        for name, value, expected in BAD_SETTINGS:
            run = crawl_here(out, "-a", f"source={SAMPLE}", "-s", f"{name}={value}")
            assert run.status == 2, (name, run.stderr[-2000:])
            (line,) = run.stderr.strip().splitlines()
            assert line == f"newscrawl: invalid {name} {value!r}: {expected}"
    assert list(working.iterdir()) == []  # nothing written, not even in the working folder
    # a value Scrapy only refuses once the crawl is being built: the run begun is undone
    broken = crawl_here(out, "-a", f"source={SAMPLE}", "-s", "SCHEDULER=newscrawl.NoScheduler")
    assert broken.status == 1
    (line,) = our_lines(broken)
    assert line.startswith("newscrawl: could not start: ")
    good = crawl_here(out, "-a", f"source={SAMPLE}")
    assert good.status == 0, good.stderr[-2000:]
    assert "rolled back" not in good.stderr
    assert [line["written"] for line in good.manifest()] == [1]


def signalled(out: Path, signals: int) -> Run:
    """A live run of 60 stories, one request at a time, sent SIGTERM ``signals`` times once it
    has begun writing (0.1 s apart: two signals at once would be one to Python)."""
    with MenafnSite(synthetic_stories(60)) as site:
        site.response_delay = 0.05
        command = [
            sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={site.base_url}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        ]  # fmt: skip
        stdout, stderr = out.parent / "stdout", out.parent / "stderr"
        with stdout.open("wb") as printed, stderr.open("wb") as logged:
            proc = launcher.popen(command, stdout=printed, stderr=logged)
        try:
            deadline = time.monotonic() + 60
            while not list(out.glob("menafn/articles/*.part")) and time.monotonic() < deadline:
                time.sleep(0.02)
            for number in range(signals):
                time.sleep(0.1 if number else 0)
                proc.send_signal(signal.SIGTERM)
            status = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    return Run(status, stdout.read_text(), stderr.read_text(), out)


def test_a_first_sigterm_stops_a_live_run_in_one_line(out: Path) -> None:
    run = signalled(out, 1)
    assert run.status == 1
    (line,) = our_lines(run)
    assert line == "newscrawl: error: stopped by a signal before the crawl was done"
    last = run.last()
    assert (last["finish_reason"], last["exit_status"]) == ("shutdown", 1)
    assert last["failures"][0] == "stopped by a signal before the crawl was done"
    assert 0 < last["written"] < 60
    assert last["discovery"]["listing_pages"] >= 1


def test_a_second_sigterm_stops_the_run_at_once_in_one_line(out: Path) -> None:
    """FRESH-USER-2 G8: a second signal ended the process with exit 1 and nothing printed."""
    run = signalled(out, 2)
    assert run.status == 1
    assert our_lines(run) == [f"newscrawl: error: {UNFINISHED}"]


class StopWhenOpened:
    """An extension that receives the first SIGTERM (our handler's ``stop``) as a signal that
    arrives while the spider opens, before the engine runs."""

    def __init__(self, crawler: Crawler) -> None:
        self.shutdown = GracefulShutdown(crawler)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopWhenOpened:
        return cls(crawler)

    def opened(self) -> None:
        self.shutdown.stop(signal.SIGTERM)


def test_a_first_sigterm_while_the_run_starts_stops_it(out: Path) -> None:
    """FRESH-USER-3: a SIGTERM 2 s after a live run started (the engine not running yet)
    only marked Scrapy's crawler stopped; the engine ran the crawl, recorded it as
    ``finished``, exit 0, and the process never ended (only SIGKILL stopped it)."""
    with MenafnSite(synthetic_stories(20)) as site:
        run = crawl_in_process(out, base_url=site.base_url, timeout=30, settings={
            **FAST_SETTINGS, "EXTENSIONS": {f"{__name__}.StopWhenOpened": 0}})  # fmt: skip
    assert run.status == 1
    assert (run.last()["finish_reason"], run.last()["exit_status"]) == ("shutdown", 1)
    assert run.last()["failures"] == ["stopped by a signal before the crawl was done"]


def test_a_first_sigterm_does_not_wait_out_a_retry_after(out: Path) -> None:
    """FRESH-USER-2: a first SIGTERM waited behind a host's Retry-After (up to
    NEWSCRAWL_RETRY_AFTER_MAX, 300 s) before the run closed. The requests waiting for the host
    are given up at once; the next run fetches them, each story once."""
    stories = synthetic_stories(12)
    with MenafnSite(stories) as site:
        site.faults[stories[2].path] = Fault(statuses=[503], headers={"Retry-After": "240"})
        command = [
            sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"base_url={site.base_url}",
            "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        ]  # fmt: skip
        stderr = out.parent / "stderr"
        with stderr.open("wb") as logged:
            proc = launcher.popen(command, stdout=subprocess.DEVNULL, stderr=logged)
        try:
            deadline = time.monotonic() + 60
            while not site.faults[stories[2].path].hits and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.3)  # the pause has begun: the other pages wait for the host
            asked = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            status = proc.wait(timeout=60)
            took = time.monotonic() - asked
        finally:
            if proc.poll() is None:
                proc.kill()
        run = Run(status, "", stderr.read_text(), out)
        assert took < 10, f"{took:.1f} s to stop"
        assert run.status == 1
        assert our_lines(run) == ["newscrawl: error: stopped by a signal before the crawl was done"]
        assert run.last()["finish_reason"] == "shutdown"
        assert run.last()["errors"] == 0  # the pages given up are left for the next run
        assert "gave up on" not in run.stderr
        first = {a["id"] for a in run.articles()}
        site.faults.clear()
        again = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST)
    assert again.status == 0, again.stderr[-3000:]
    second = {a["id"] for a in again.articles()}
    assert first.isdisjoint(second)
    assert first | second == {f"menafn:{story.id}" for story in stories}


# -- an output or state this user cannot write (a read-only mount, another user's files) --------
UNWRITABLE = "newscrawl: could not start, the output or the state cannot be written: [Errno"


def lock_of(out: Path) -> Path:
    """The lock file of a menafn run whose state is ``crawl_here``'s."""
    return out / ".state" / "seen.sqlite3.menafn.lock"


def test_a_lock_file_that_cannot_be_opened_stops_the_run_in_one_line(out: Path) -> None:
    """A folder in the lock file's place (open() gives EISDIR, as a read-only mount gives
    EROFS): one line, exit 1, nothing written; the checks before Scrapy starts see it."""
    lock_of(out).mkdir(parents=True)
    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 1
    (line,) = run.stderr.strip().splitlines()  # before Scrapy logs anything
    assert line.startswith(UNWRITABLE)
    assert line.endswith(f"'{lock_of(out)}'")
    assert not (out / "menafn").exists()
    lock_of(out).rmdir()
    assert crawl_here(out, "-a", f"source={SAMPLE}").status == 0


def test_a_lock_file_of_another_user_stops_a_cron_run_in_one_line(out: Path) -> None:
    """The usual case: the first run was a person's (`make run` as root), cron runs as a
    service user, and the lock file the first run left is not the user's to write: EACCES."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run the crawl without CAP_DAC_OVERRIDE")
    assert crawl_here(out, "-a", f"source={SAMPLE}").status == 0
    lock_of(out).chmod(0o444)
    run = crawl(out, "-a", f"source={SAMPLE}", prefix=AS_A_USER)
    assert run.status == 1, run.stderr[-2000:]
    (line,) = our_lines(run)
    assert line.startswith(UNWRITABLE + " 13] Permission denied"), line
    assert len(run.manifest()) == 1  # no run began


def test_clusters_rebuild_and_table_say_an_io_error_in_one_line_and_exit_1(out: Path) -> None:
    """An I/O error is not bad usage: `scrapy clusters rebuild` and `scrapy table` exit 1."""
    assert crawl_here(out, "-a", f"source={SAMPLE}").status == 0
    state = lock_of(out).parent / "seen.sqlite3"
    settings = ("-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", f"NEWSCRAWL_STATE={state}")
    lock_of(out).unlink()
    lock_of(out).mkdir()
    rebuilt = scrapy_here("clusters", "rebuild", *settings)
    assert rebuilt.returncode == 1, rebuilt.stderr
    why = f"[Errno 21] Is a directory: '{lock_of(out)}'"
    assert rebuilt.stderr == f"newscrawl: {why}; not rebuilt\n"
    (out / "table" / ".lock").unlink()
    (out / "table" / ".lock").mkdir()
    table = scrapy_here("table", *settings)
    assert table.returncode == 1
    assert table.stderr.startswith("newscrawl: table not updated: [Errno 21] Is a directory")
    assert table.stderr.count("\n") == 1


def test_make_sql_opens_the_views_of_an_output_it_cannot_update(out: Path) -> None:
    """`make sql` on an output this user cannot write: the catch-up's one line, then the
    views, read-only, as the output has them."""
    if shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "duckdb").exists():
        pytest.skip("needs make and the project's .venv with duckdb-cli")
    assert crawl_here(out, "-a", f"source={SAMPLE}").status == 0
    (out / "table" / ".lock").unlink()
    (out / "table" / ".lock").mkdir()  # as a read-only mount: the table cannot be locked
    done = subprocess.run(
        ["make", "-s", "sql", f"OUTPUT={out}"], cwd=ROOT, capture_output=True, text=True,
        input="select count(*) as stories from articles;\n", check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("newscrawl: table not updated: [Errno 21] Is a directory")
    assert re.search(r"│\s+stories\s+│.*│\s+1\s+│", done.stdout, re.DOTALL), done.stdout


def test_a_spider_whose_start_raises_fails_the_run_naming_it(out: Path) -> None:
    """Scrapy gives the spider_error of ``start()`` no response: the failure is still named
    (the handler raised on it, and the run said only ``start_error``)."""
    run = crawl_in_process(out, "menafn_start_fails",
                           settings={"SPIDER_MODULES": ["tests.failing_spiders"]})  # fmt: skip
    assert run.status == 1
    assert "Error caught on signal handler" not in run.stderr
    assert run.last()["failures"] == [
        "the crawl ended early: start_error",
        "callback error on start(): start() broke",
    ]


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (("-o", "feed.xyz"), "newscrawl: Unrecognized output format 'xyz'"),
        (("-s", "ITEM_PIPELINES=garbage"), "newscrawl: Invalid -s value"),
    ],
)
def test_scrapys_own_usage_errors_are_one_line(
    out: Path, option: tuple[str, str], said: str
) -> None:
    """FRESH-USER-2 G8: Scrapy printed its usage banner before the error (as F5 was)."""
    run = crawl_here(out, "-a", f"source={SAMPLE}", *option)
    assert run.status == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(said), line
    assert not out.exists()
