"""Crash safety: runs killed with SIGKILL at any moment, or stopped with SIGTERM/SIGINT.

The runs that are killed or signalled are `scrapy crawl` children; the runs before and after
them (which settle what a kill left) run in this process (tests/in_process.py), through the
same command.

Replay a failing SIGKILL test with the seed it printed: ``NEWSCRAWL_CRASH_SEED=<seed> pytest ...``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests import launcher
from tests.conftest import ROOT
from tests.in_process import InProcessRun, crawl_here
from tests.site import Fault, MenafnSite, Story, synthetic_stories

pytestmark = pytest.mark.slow

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1")  # fmt: skip
SLOW = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1")  # fmt: skip
STORIES = 150
STOPPED_STORIES = 100  # a run stopped by a signal: at one request at a time, it is mid-crawl
KILLED_RUNS = 8  # each: a SIGKILL at a random moment (or the run finishes first)
PUBLISHED_PER_RUN = 5  # stories published before each killed run, so completed files differ


def state_path(out: Path) -> Path:
    return out / ".state" / "seen.sqlite3"


def crawl_site(out: Path, base_url: str, *args: str) -> InProcessRun:
    """`scrapy crawl menafn` as ``start`` runs it, but here, to its end."""
    return crawl_here(out, "-a", f"base_url={base_url}", *args, state=str(state_path(out)))


def start(out: Path, base_url: str, log: Path, *args: str) -> launcher.Process:
    """`scrapy crawl menafn` as conftest.crawl runs it, but in the background."""
    command = [
        sys.executable, "-m", "scrapy", "crawl", "menafn",
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", f"NEWSCRAWL_STATE={state_path(out)}",
        "-s", "LOG_LEVEL=INFO", "-a", f"base_url={base_url}", *args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as sink:  # a file, not a pipe: nobody reads while the run goes on
        return launcher.popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)


@contextmanager
def reaped(run: launcher.Process) -> Iterator[launcher.Process]:
    """The run, killed on the way out if a failed assertion or timeout left it going."""
    try:
        yield run
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()


def article_files(folder: Path) -> list[Path]:
    """Final-named article files: what the contract's glob ``articles/*.jsonl`` reads."""
    return sorted(folder.glob("articles/*.jsonl"))


def manifest(folder: Path) -> list[dict[str, Any]]:
    path = folder / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def complete_lines(path: Path) -> list[dict[str, Any]]:
    """The records of a final-named file, failing if it is partial (bad line, no final newline)."""
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path.name} does not end with a newline"
    records = []
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{path.name} line {number} is not JSON: {line[:200]!r}")
    return records


def check_output(out: Path, expected_ids: set[str]) -> None:
    """The contract after a run that finished: every story once, nothing partial, books right."""
    folder = out / "menafn"
    parts = sorted(p.name for p in out.rglob("*.part"))
    assert parts == [], f"partial files left: {parts}"
    for path in folder.rglob("*.jsonl"):
        complete_lines(path)  # runs.jsonl and rejects files too
    files = article_files(folder)
    ids = Counter(a["id"] for path in files for a in complete_lines(path))
    twice = sorted(i for i, n in ids.items() if n > 1)
    assert twice == [], f"written more than once: {twice[:10]}"
    missing, extra = sorted(expected_ids - set(ids)), sorted(set(ids) - expected_ids)
    assert (missing, extra) == ([], []), f"missing {missing[:10]}, not on the site {extra[:10]}"
    runs = Counter(line["run"] for line in manifest(folder))
    assert [run for run, n in runs.items() if n > 1] == [], "a run listed twice"
    # a run that published no file here was killed before its file was complete
    unpublished = [line for line in manifest(folder) if line["file"] is None]
    assert {line["finish_reason"] for line in unpublished} <= {"interrupted"}
    listed = [line for line in manifest(folder) if line["file"] is not None]
    for line in listed:
        path = out / line["file"]
        assert path.exists(), f"runs.jsonl lists {line['file']}, which does not exist"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == line["sha256"], line["file"]
        if line["rejects_file"]:
            assert (out / line["rejects_file"]).exists(), line["rejects_file"]
    listed_files = sorted(line["file"] for line in listed)
    assert sorted(f"menafn/articles/{p.name}" for p in files) == listed_files
    check_archives(out, listed)
    db = sqlite3.connect(state_path(out))
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("SELECT count(*) FROM stories").fetchone() == (len(expected_ids),)
    finally:
        db.close()


def check_archives(out: Path, listed: list[dict[str, Any]]) -> None:
    """Every archive on disk is complete and listed with its sha256; every listed one exists."""
    archives = {line["archive"]: line["archive_sha256"] for line in listed if line["archive"]}
    found = sorted(p.relative_to(out).as_posix() for p in out.glob("menafn/archive/*"))
    assert found == sorted(archives), "archives on disk and in runs.jsonl differ"
    for name, digest in archives.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def names(folder: Path) -> set[str]:
    """The names in ``folder/articles``: where a run's article file appears."""
    articles = folder / "articles"
    return {p.name for p in articles.iterdir()} if articles.exists() else set()


def wait_for_new_final_file(folder: Path, before: set[str], run: launcher.Process) -> None:
    """Return as soon as the run renamed its article file to its final name (or it ended)."""
    while run.poll() is None:
        if any(n.endswith(".jsonl") for n in names(folder) - before):
            return
        time.sleep(0)  # the close takes milliseconds: poll as fast as we can


def stage(folder: Path, before: set[str]) -> str:
    """How far the killed run got with its article file (for the printed trace)."""
    new = sorted(names(folder) - before)
    finals = [n for n in new if n.endswith(".jsonl")]
    if not finals:
        return "writing" if any(n.endswith(".part") for n in new) else "no file"
    listed = {line["file"] for line in manifest(folder)}
    return "file listed" if f"menafn/articles/{finals[0]}" in listed else "file renamed, not listed"


def kill_schedule(rng: random.Random) -> list[tuple[str, float]]:
    """(when, delay) per run: 'start' kills the run `delay` s after it started; 'rename'
    kills it `delay` s after its file got its final name (the runs.jsonl and state steps).

    From the launcher's fork (tests/launcher.py) a run writes its first article after ~0.7 s
    and a whole crawl of the site takes ~1.6 s, rolled back when killed, so the first runs are
    killed during start-up (recovery, lock) or mid-crawl; the later ones, which have only the
    newly published stories to write (~1 s in all), near or at their close (some finish
    first)."""
    early = [("start", rng.uniform(0.05, 0.7)) for _ in range(2)]
    early += [("start", rng.uniform(0.7, 1.7)) for _ in range(2)]
    late = [("start", rng.uniform(0.6, 1.2))]
    late += [("rename", 0.0), ("rename", rng.uniform(0.0, 0.002)), ("rename", rng.uniform(0, 0.01))]
    rng.shuffle(early)
    rng.shuffle(late)
    return early + late


def test_sigkill_at_random_moments_loses_nothing_and_writes_nothing_twice(tmp_path: Path) -> None:
    seed = int(os.environ.get("NEWSCRAWL_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    plan = kill_schedule(rng)
    print(f"seed {seed}: " + ", ".join(f"{when}+{delay:.3f}s" for when, delay in plan))
    out = tmp_path / "output"
    folder = out / "menafn"
    stories = synthetic_stories(STORIES)
    first = STORIES - KILLED_RUNS * PUBLISHED_PER_RUN
    outcomes: list[str] = []
    with MenafnSite(stories[:first]) as site:
        for number, (when, delay) in enumerate(plan):
            published = first + number * PUBLISHED_PER_RUN
            site.add_stories(stories[published : published + PUBLISHED_PER_RUN])
            before = {n for n in names(folder) if not n.endswith(".part")}  # names get reused
            log = tmp_path / f"run{number:02}.log"
            with reaped(start(out, site.base_url, log, *FAST)) as run:
                if when == "rename":
                    wait_for_new_final_file(folder, before, run)
                try:
                    status = run.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    run.send_signal(signal.SIGKILL)
                    run.wait()
                    reached = stage(folder, before)
                    outcomes.append(f"{number}: {when}+{delay:.3f}s killed, {reached}")
                    continue
            outcomes.append(f"{number}: {when}+{delay:.3f}s exited {status}")
            assert status == 0, f"seed {seed}: run {number} exited {status}:\n{log.read_text()}"
        print("\n".join(outcomes))
        final = crawl_site(out, site.base_url, *FAST)
        assert final.status == 0, (
            f"seed {seed}: the final run exited {final.status}:\n{final.stderr}"
        )
    print("runs.jsonl:", [(r["file"], r["written"], r["finish_reason"]) for r in manifest(folder)])
    check_output(out, {f"menafn:{s.id}" for s in stories})


def test_sigterm_finishes_the_files(tmp_path: Path) -> None:
    stop_with(signal.SIGTERM, tmp_path)


def test_sigint_finishes_the_files(tmp_path: Path) -> None:
    stop_with(signal.SIGINT, tmp_path)  # one Ctrl-C


def wait_until_writing(folder: Path, run: launcher.Process) -> None:
    """Return once the run has written its first article (its ``.part`` file exists)."""
    deadline = time.monotonic() + 60
    while run.poll() is None and time.monotonic() < deadline:
        if any(n.endswith(".part") for n in names(folder)):
            return
        time.sleep(0.01)


def stop_with(signum: signal.Signals, tmp_path: Path) -> None:
    """A run stopped by `signum` while writing lists its finished file; the next writes the rest."""
    out = tmp_path / "output"
    folder = out / "menafn"
    stories = synthetic_stories(STOPPED_STORIES)
    expected = {f"menafn:{s.id}" for s in stories}
    with MenafnSite(stories) as site:
        log = tmp_path / "stopped.log"
        with reaped(start(out, site.base_url, log, *SLOW)) as run:
            wait_until_writing(folder, run)  # not a fixed delay: start-up is slow under load
            assert run.poll() is None, log.read_text()
            run.send_signal(signum)  # once: a graceful stop
            status = run.wait(timeout=30)
        text = log.read_text()
        assert status == 1, text  # the close reason `shutdown` is not `finished`
        assert "Traceback" not in text
        assert sorted(p.name for p in out.rglob("*.part")) == []
        (line,) = manifest(folder)
        assert (line["finish_reason"], line["exit_status"]) == ("shutdown", 1)
        stopped = complete_lines(out / line["file"])
        assert 0 < len(stopped) < len(stories)
        assert line["written"] == len(stopped)
        assert hashlib.sha256((out / line["file"]).read_bytes()).hexdigest() == line["sha256"]
        assert {a["id"] for a in stopped} <= expected

        following = crawl_site(out, site.base_url, *FAST)
        assert following.status == 0, following.stderr[-3000:]
    rest = complete_lines(out / manifest(folder)[-1]["file"])
    assert len(rest) == len(stories) - len(stopped)
    check_output(out, expected)


def test_sigterm_stops_an_offline_run_once_its_pages_are_through(tmp_path: Path) -> None:
    """An offline run stops reading at the first signal and closes as `shutdown` with its
    files listed (Scrapy alone never finishes closing while a page from the source is in the
    pipelines); the next run writes the rest, every story once."""
    from tests.site.pages import render_article

    source, out = tmp_path / "pages", tmp_path / "output"
    source.mkdir()
    stories = synthetic_stories(400)  # read at a few hundred a second: mid-run at the signal
    for story in stories:
        (source / f"{story.id}.html").write_text(render_article(story), "utf-8")
    command = [
        sys.executable, "-m", "scrapy", "crawl", "menafn", "-a", f"source={source}",
        "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", f"NEWSCRAWL_STATE={state_path(out)}",
        "-s", "NEWSCRAWL_OFFLINE_PROCESSES=1", "-s", "LOG_LEVEL=INFO",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "stopped.log"
    sink = log.open("wb")
    with (
        sink,
        reaped(subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=sink, env=env)) as run,
    ):
        wait_until_writing(out / "menafn", run)
        assert run.poll() is None, log.read_text()
        run.send_signal(signal.SIGTERM)  # once: a graceful stop
        status = run.wait(timeout=20)
    text = log.read_text()
    assert status == 1, text
    assert "newscrawl: error: stopped by a signal before the crawl was done" in text
    assert "Traceback" not in text
    assert sorted(p.name for p in out.rglob("*.part")) == []
    (line,) = manifest(out / "menafn")
    assert (line["finish_reason"], line["exit_status"]) == ("shutdown", 1)
    stopped = complete_lines(out / line["file"])
    assert 0 < len(stopped) < len(stories)
    again = crawl_here(out, "-a", f"source={source}", state=str(state_path(out)))
    assert again.status == 0, again.stderr[-2000:]
    check_output(out, {f"menafn:{s.id}" for s in stories})


# -- the close windows too short for a timed kill: the state a kill leaves, made by hand --------
def finished_run_with_a_reject(out: Path, site: MenafnSite) -> str:
    """One finished run over `site` (whose third story is an empty page): its run name."""
    first = crawl_site(out, site.base_url, *FAST)
    assert first.status == 0, first.stderr[-3000:]
    (line,) = manifest(out / "menafn")
    assert line["rejects_file"], line
    return str(line["run"])


def set_run_state(out: Path, run: str, state: str) -> None:
    db = sqlite3.connect(state_path(out))
    try:
        db.execute("UPDATE runs SET state = ? WHERE run = ?", (state, f"menafn/{run}"))
        db.commit()
    finally:
        db.close()


def broken_site(stories: list[Story]) -> MenafnSite:
    site = MenafnSite(stories)
    site.faults[stories[2].path] = Fault(body_override=b"<html><body><p>gone</p></body></html>")
    return site


def test_a_kill_between_the_two_renames_leaves_no_part_file(tmp_path: Path) -> None:
    out = tmp_path / "output"
    folder = out / "menafn"
    stories = synthetic_stories(6)
    with broken_site(stories) as site:
        run = finished_run_with_a_reject(out, site)
        # SIGKILL after `self.articles.finish()`, before `self.rejects.finish()` renamed:
        (folder / "rejects" / f"{run}.jsonl").rename(folder / "rejects" / f"{run}.jsonl.part")
        (folder / "runs.jsonl").write_bytes(b"")
        set_run_state(out, run, "started")
        following = crawl_site(out, site.base_url, *FAST)
        assert following.status == 0, following.stderr[-3000:]
    assert sorted(p.name for p in out.rglob("*.part")) == []
    assert manifest(folder)[0]["run"] == run
    assert complete_lines(folder / "rejects" / f"{run}.jsonl")  # the rejects are not lost
    check_output(out, {f"menafn:{s.id}" for i, s in enumerate(stories) if i != 2})


def test_a_kill_after_the_runs_line_is_settled_once(tmp_path: Path) -> None:
    out = tmp_path / "output"
    stories = synthetic_stories(6)
    with broken_site(stories) as site:
        run = finished_run_with_a_reject(out, site)
        set_run_state(out, run, "done")  # SIGKILL after append_manifest, before 'listed'
        for _ in range(2):
            following = crawl_site(out, site.base_url, *FAST)
            assert following.status == 0, following.stderr[-3000:]
    assert "rolled forward" not in following.stderr  # the second run has nothing to settle
    db = sqlite3.connect(state_path(out))
    try:
        assert db.execute("SELECT run, state FROM runs WHERE state != 'listed'").fetchall() == []
    finally:
        db.close()
    assert [line["run"] for line in manifest(out / "menafn")].count(run) == 1
