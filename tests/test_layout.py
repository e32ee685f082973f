"""The output layout of CONTRACT §2, the default state beside it, and the move from 0.1.

A 0.1 folder is made here by hand with the file names and ``runs.jsonl`` lines the 0.1 code
wrote: ``<source>/<run>.jsonl``, ``<source>/<run>.rejects.jsonl``, ``.part`` while written.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.run.extension import RunExtension
from newscrawl.run.files import append_manifest, encode_line
from newscrawl.run.layout import migrate
from newscrawl.run.seen_sqlite import SqliteSeenStore
from newscrawl.spiders.menafn import MenafnSpider
from tests.conftest import DEFAULT_STATE, SAMPLE, read_jsonl
from tests.in_process import crawl_here

A, B, C, D = (f"2026010{day}T000000Z" for day in range(1, 5))


def story(number: int) -> dict[str, Any]:
    return {"id": f"menafn:{number}", "title": f"Story {number}", "body": "Kim’s visit."}


def reject(number: int) -> dict[str, Any]:
    return {"url": f"file:///pages/{number}.txt", "reason": "empty file", "detail": "", "at": "x"}


def lines(records: list[dict[str, Any]]) -> bytes:
    return b"".join(encode_line(r) for r in records)


def v01_run(folder: Path, run: str, articles: list[int], rejects: list[int], listed: bool) -> None:
    """A run that 0.1 finished: its files and (if ``listed``) its ``runs.jsonl`` line."""
    folder.mkdir(parents=True, exist_ok=True)
    data = lines([story(n) for n in articles])
    (folder / f"{run}.jsonl").write_bytes(data)
    if rejects:
        (folder / f"{run}.rejects.jsonl").write_bytes(lines([reject(n) for n in rejects]))
    if not listed:
        return
    append_manifest(
        folder / "runs.jsonl",
        {"run": run, "started_at": "2026-01-01T00:00:00+00:00", "finished_at": None,
         "finish_reason": "finished", "exit_status": 0, "file": f"menafn/{run}.jsonl",
         "sha256": hashlib.sha256(data).hexdigest(), "pages": 1, "written": len(articles),
         "duplicates": 0, "rejected": len(rejects), "errors": 0, "skipped_seen": 0,
         "rejects_file": f"menafn/{run}.rejects.jsonl" if rejects else None, "failures": []},
    )  # fmt: skip


def v01_folder(folder: Path) -> None:
    """Two finished runs (A with rejects, B empty), a killed run C's leftovers, a half-written
    last line in ``runs.jsonl``, and things that are not ours: a note and an archive folder."""
    v01_run(folder, A, [1, 2], [3], listed=True)
    v01_run(folder, B, [], [], listed=True)
    (folder / f"{C}.jsonl.part").write_bytes(encode_line(story(4)) + b'{"id": "menaf')
    (folder / f"{C}.rejects.jsonl.part").write_bytes(encode_line(reject(5)))
    with (folder / "runs.jsonl").open("ab") as manifest:
        manifest.write(b'{"run": "2026')
    (folder / "notes.txt").write_text("the analysts' notes\n")
    (folder / "archive").mkdir()
    (folder / "archive" / f"{A}.warc.gz").write_bytes(b"WARC")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_01_folder_moves_into_the_new_layout_with_nothing_lost(tmp_path: Path) -> None:
    folder = tmp_path / "menafn"
    v01_folder(folder)
    before = tree(folder)
    assert migrate(folder) == 5
    after = tree(folder)
    moved = {
        f"{A}.jsonl": f"articles/{A}.jsonl",
        f"{A}.rejects.jsonl": f"rejects/{A}.jsonl",
        f"{B}.jsonl": f"articles/{B}.jsonl",
        f"{C}.jsonl.part": f"articles/{C}.jsonl.part",
        f"{C}.rejects.jsonl.part": f"rejects/{C}.jsonl.part",
    }
    for old, new in moved.items():
        assert after[new] == before[old], new
    untouched = set(before) - set(moved) - {"runs.jsonl"}
    assert set(after) == untouched | set(moved.values()) | {"runs.jsonl"}
    assert all(after[name] == before[name] for name in untouched)
    assert sorted(p.name for p in folder.glob("articles/*.jsonl")) == [f"{A}.jsonl", f"{B}.jsonl"]

    old_lines, new_lines = before["runs.jsonl"].split(b"\n"), after["runs.jsonl"].split(b"\n")
    assert new_lines[-1] == old_lines[-1] == b'{"run": "2026'  # a killed append, kept as it was
    listed = read_jsonl_lines(new_lines[:-1])
    assert [(r["file"], r["rejects_file"]) for r in listed] == [
        (f"menafn/articles/{A}.jsonl", f"menafn/rejects/{A}.jsonl"),
        (f"menafn/articles/{B}.jsonl", None),
    ]
    for old_line, line in zip(read_jsonl_lines(old_lines[:-1]), listed, strict=True):
        assert {**old_line, "file": line["file"], "rejects_file": line["rejects_file"]} == line
        assert (
            hashlib.sha256(after[line["file"].removeprefix("menafn/")]).hexdigest()
            == line["sha256"]
        )
    assert migrate(folder) == 0
    assert tree(folder) == after


def read_jsonl_lines(raw: list[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in raw]


class Crash(Exception):
    """Stands for a SIGKILL: everything done on disk so far stays, nothing after happens."""


def crashing(monkeypatch: pytest.MonkeyPatch, at: int) -> Callable[[], bool]:
    """Make the ``at``-th file system change of the migration crash; returns 'did it crash'."""
    count = itertools.count()
    crashed = [False]

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            if next(count) == at:
                crashed[0] = True
                raise Crash
            return real(*args, **kwargs)

        return step

    monkeypatch.setattr(os, "link", guard(os.link))
    for name in ("mkdir", "open", "replace", "unlink"):
        monkeypatch.setattr(Path, name, guard(getattr(Path, name)))
    return lambda: crashed[0]


def test_a_crash_at_any_step_of_the_migration_is_mended_by_running_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = tmp_path / "reference" / "menafn"
    v01_folder(reference)
    migrate(reference)
    expected = tree(reference)
    for at in itertools.count():
        folder = tmp_path / f"crash-{at}" / "menafn"
        v01_folder(folder)
        with monkeypatch.context() as patch:
            crashed = crashing(patch, at)
            with contextlib.suppress(Crash):
                migrate(folder)
        if not crashed():  # the migration got past every crash point
            assert tree(folder) == expected
            break
        temp = folder / "runs.jsonl.part"
        if temp.exists():  # killed while writing the new runs.jsonl: half of it on disk
            temp.write_bytes(temp.read_bytes()[: temp.stat().st_size // 2])
        migrate(folder)
        assert tree(folder) == expected, f"after a crash at step {at}"
        shutil.rmtree(folder.parent)
    assert at > 10  # every link, the rewrite and every removal were crash points


def state_runs(state: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(state)
    try:
        return db.execute("SELECT run, state FROM runs ORDER BY run").fetchall()
    finally:
        db.close()


@pytest.mark.slow
def test_the_first_run_moves_a_01_folder_and_settles_the_runs_0_1_left_unfinished(
    out: Path,
) -> None:
    folder = out / "menafn"
    state = out / ".state" / "seen.sqlite3"
    store = SqliteSeenStore(str(state))
    v01_run(folder, A, [1], [11], listed=True)  # finished and listed
    v01_run(folder, B, [2], [], listed=False)  # killed between its two renames:
    (folder / f"{B}.rejects.jsonl.part").write_bytes(lines([reject(12)]) + b'{"url": "fi')
    (folder / f"{C}.jsonl.part").write_bytes(b'{"id": "menafn:1109')  # killed while writing
    v01_run(folder, D, [4], [], listed=True)  # killed after its line, before 'listed'
    for name, ids, run_state in [(A, [1], "listed"), (B, [2], "started"),
                                 (C, [1109793603], "started"), (D, [4], "done")]:  # fmt: skip
        store.begin_run(f"menafn/{name}", str(folder.resolve() / f"{name}.jsonl"))  # as 0.1 did
        for number in ids:
            store.add(f"menafn:{number}", f"sha256:{number:064}", f"menafn/{name}")
        store.set_run_state(f"menafn/{name}", run_state)
    store.close()

    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 0, run.stderr[-3000:]
    assert "rolled forward run menafn/" + B in run.stderr
    assert "rolled back run menafn/" + C in run.stderr
    assert [a["id"] for a in run.articles()] == ["menafn:1109793603"]  # C's story, new again
    assert sorted(p.name for p in folder.iterdir()) == ["articles", "rejects", "runs.jsonl"]
    assert list(out.rglob("*.part")) == []
    listed = run.manifest()
    assert [(r["run"], r["finish_reason"]) for r in listed] == [
        (A, "finished"),
        (D, "finished"),
        (B, "interrupted"),
        (C, "interrupted"),  # rolled back: listed with no file
        (run.last()["run"], "finished"),
    ]
    assert listed[3]["file"] is None
    published = [line for line in listed if line["file"]]
    for line in published:
        assert line["file"] == f"menafn/articles/{line['run']}.jsonl"
        data = (out / line["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == line["sha256"]
    assert sorted(p.name for p in folder.glob("articles/*.jsonl")) == sorted(
        Path(line["file"]).name for line in published
    )
    assert read_jsonl(out / listed[0]["rejects_file"]) == [reject(11)]
    assert read_jsonl(out / listed[2]["rejects_file"]) == [reject(12)]  # its complete lines
    assert [a["id"] for a in read_jsonl(out / listed[2]["file"])] == ["menafn:2"]
    assert [s for _, s in state_runs(state)] == ["listed"] * 4  # A, B, D and the new run (C gone)


def test_a_run_0_1_left_unfinished_in_another_output_folder_is_settled_there(
    tmp_path: Path,
) -> None:
    state = tmp_path / "shared.sqlite3"
    elsewhere = tmp_path / "elsewhere" / "menafn"
    v01_run(elsewhere, A, [1], [], listed=False)
    store = SqliteSeenStore(str(state))
    store.begin_run(f"menafn/{A}", str(elsewhere / f"{A}.jsonl"))
    store.add("menafn:1", f"sha256:{1:064}", f"menafn/{A}")
    store.close()
    settings = {"NEWSCRAWL_OUTPUT_DIR": str(tmp_path / "here"), "NEWSCRAWL_STATE": str(state)}
    RunExtension.from_crawler(get_crawler(MenafnSpider, settings)).discard()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["articles", "runs.jsonl"]
    (line,) = read_jsonl(elsewhere / "runs.jsonl")
    assert (line["run"], line["file"]) == (A, f"menafn/articles/{A}.jsonl")
    assert state_runs(state)[0] == (f"menafn/{A}", "listed")


def test_the_state_follows_the_output_folder_unless_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for setting, lock in [
        ({}, out / ".state" / "newscrawl.sqlite3.menafn.lock"),
        ({"NEWSCRAWL_STATE": str(tmp_path / "s.sqlite3")}, tmp_path / "s.sqlite3.menafn.lock"),
        ({"NEWSCRAWL_STATE": ""}, None),  # in memory: no lock, no file
    ]:
        crawler = get_crawler(MenafnSpider, {"NEWSCRAWL_OUTPUT_DIR": str(out), **setting})
        extension = RunExtension.from_crawler(crawler)
        assert (extension.run.lock.path if extension.run.lock else None) == lock
        extension.discard()
    assert sorted(p.name for p in (out / ".state").iterdir()) == [
        "newscrawl.sqlite3",
        "newscrawl.sqlite3.menafn.lock",
    ]


@pytest.mark.slow
def test_runs_into_two_output_folders_without_a_state_setting_each_write_the_story(
    tmp_path: Path,
) -> None:
    for name in ("a", "b"):
        out = tmp_path / name
        run = crawl_here(out, "-a", f"source={SAMPLE}", state=DEFAULT_STATE)
        assert run.status == 0, run.stderr[-2000:]
        assert run.last()["written"] == 1
        assert (out / ".state" / "newscrawl.sqlite3").exists()
    again = crawl_here(tmp_path / "a", "-a", f"source={SAMPLE}", state=DEFAULT_STATE)
    assert (again.last()["written"], again.last()["duplicates"]) == (0, 1)  # its own state
