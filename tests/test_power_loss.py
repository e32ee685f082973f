"""Durable against power loss, not only kill -9 (newscrawl/run/commit.py, seen_sqlite.py).

An OS crash or a power cut keeps what reached the disk: the files and folders fsynced, and of
the state's WAL whatever prefix of it the disk had; a kill -9 leaves the OS to write the rest.
Here the WAL frames of a finished run are lost, all of them or any tail of them, and the next
run must reconcile state, files and runs.jsonl: every story once, every file listed once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import struct
from collections import Counter
from pathlib import Path

import pytest

from newscrawl.run.seen_sqlite import SqliteSeenStore
from tests.conftest import FIXTURE_PAGES, page_copies, read_jsonl, story_id
from tests.in_process import crawl_in_process

PAGES = FIXTURE_PAGES[:7]
RUN = "menafn/20260101T000000Z"


def commit_points(wal: bytes) -> list[int]:
    """The byte offsets in a WAL file just after each commit frame: where a crash may cut it
    and leave a consistent database (SQLite ignores a transaction without its commit frame).
    Format: a 32-byte header (page size at offset 8), then frames of a 24-byte header (the
    database size after a commit at offset 4, 0 for other frames) and one page."""
    (page_size,) = struct.unpack(">I", wal[8:12])
    frame, points = 24 + page_size, []
    for offset in range(32, len(wal) - frame + 1, frame):
        (size_after_commit,) = struct.unpack(">I", wal[offset + 4 : offset + 8])
        if size_after_commit:
            points.append(offset + frame)
    return points


def crash_images(tmp_path: Path) -> tuple[Path, list[tuple[str, bytes | None]]]:
    """Two runs (three stories each); the second one's state changes still only in the WAL
    (a reader keeps the file open, so no checkpoint folds them in). The output folder, and
    the WAL tails a crash could leave: none of it, and every prefix ending at a commit."""
    out = tmp_path / "out"
    state = out / ".state" / "seen.sqlite3"
    assert (
        crawl_in_process(out, source=str(page_copies(tmp_path / "a" / "pages", PAGES[:3]))).status
        == 0
    )
    reader = sqlite3.connect(state)  # the second run's close is then not the last one
    try:
        reader.execute("SELECT count(*) FROM runs").fetchone()
        second = crawl_in_process(
            out, source=str(page_copies(tmp_path / "b" / "pages", PAGES[3:6]))
        )
        assert second.status == 0
        wal = Path(f"{state}-wal").read_bytes()
        shutil.copy(state, tmp_path / "db")  # the database file as a crash finds it
    finally:
        reader.close()
    points = commit_points(wal)
    assert len(points) >= 8, "the second run's transactions are in the WAL"
    tails: list[tuple[str, bytes | None]] = [("the whole WAL lost", None)]
    tails += [(f"the WAL cut after commit {n}", wal[:end]) for n, end in enumerate(points, 1)]
    return out, tails


def image(tmp_path: Path, out: Path, wal: bytes | None, number: int) -> Path:
    """A copy of the output folder whose state is the database file and ``wal``."""
    copy = tmp_path / f"image{number}"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("seen.sqlite3*"))
    shutil.copy(tmp_path / "db", copy / ".state" / "seen.sqlite3")
    if wal is not None:
        (copy / ".state" / "seen.sqlite3-wal").write_bytes(wal)
    return copy


def test_recovery_reconciles_state_files_and_runs_after_lost_wal_frames(tmp_path: Path) -> None:
    out, tails = crash_images(tmp_path)
    everything = str(page_copies(tmp_path / "c" / "pages", PAGES))  # the six stories and a new one
    expected = {story_id(page) for page in PAGES}
    for number, (what, wal) in enumerate(tails):
        copy = image(tmp_path, out, wal, number)
        rerun = crawl_in_process(copy, source=everything)
        assert rerun.status == 0, what
        folder = copy / "menafn"
        ids = Counter(a["id"] for f in folder.glob("articles/*.jsonl") for a in read_jsonl(f))
        assert ids == dict.fromkeys(expected, 1), f"{what}: every story once"
        lines = [json.loads(line) for line in (folder / "runs.jsonl").read_text().splitlines()]
        assert sorted(line["file"] for line in lines) == sorted(
            f"menafn/articles/{f.name}" for f in folder.glob("articles/*.jsonl")
        ), f"{what}: every file listed once"
        for line in lines:
            digest = hashlib.sha256((copy / line["file"]).read_bytes()).hexdigest()
            assert digest == line["sha256"], what
        assert lines[-1]["written"] == 1, f"{what}: the new story only"
        db = sqlite3.connect(copy / ".state" / "seen.sqlite3")
        try:
            stories = {row[0] for row in db.execute("SELECT id FROM stories")}
            unlisted = db.execute("SELECT run FROM runs WHERE state != 'listed'").fetchall()
            claims = db.execute("SELECT count(*) FROM claims").fetchone()
        finally:
            db.close()
        assert (stories, unlisted, claims) == (expected, [], (0,)), what


@pytest.fixture
def traced(tmp_path: Path) -> tuple[SqliteSeenStore, list[str]]:
    store = SqliteSeenStore(str(tmp_path / "seen.sqlite3"))
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    return store, statements


def synchronous_at_commit(statements: list[str]) -> list[str]:
    """The synchronous setting in force at each COMMIT of the trace, in order."""
    mode, found = "NORMAL", []
    for statement in statements:
        if statement.startswith("PRAGMA synchronous="):
            mode = statement.split("=", 1)[1]
        elif statement == "COMMIT":
            found.append(mode)
    return found


def test_a_runs_state_changes_reach_the_disk_and_its_claims_with_them(
    traced: tuple[SqliteSeenStore, list[str]],
) -> None:
    """synchronous=FULL fsyncs the WAL at a COMMIT, and the WAL is appended in order: the
    claims made before a state change are on disk with it."""
    store, statements = traced
    store.begin_run(RUN, "/out/menafn/articles/20260101T000000Z.jsonl")
    assert store.claim("menafn:1", "sha256:" + "1" * 64, RUN)
    store.release("menafn:1", "sha256:" + "1" * 64, RUN)
    assert store.claim("menafn:2", "sha256:" + "2" * 64, RUN)
    store.commit(RUN)
    for state in ("committed", "done", "listed"):
        store.set_run_state(RUN, state)
    assert synchronous_at_commit(statements) == [
        "FULL",  # begin_run
        "NORMAL", "NORMAL", "NORMAL",  # a claim, a release, a claim: 0.1 ms each, no fsync
        "FULL", "FULL", "FULL", "FULL",  # commit, committed, done, listed
    ]  # fmt: skip
