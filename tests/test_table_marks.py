"""The table's mark in ``runs.jsonl``: a catch-up parses the lines after it, never skips a run
the table does not hold (a file rewritten or reordered, a run left out), and reads the whole
file when the bytes before the mark changed (a breaker's report: lines of one length swapped
behind the mark once hid a run from the table)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from newscrawl.run.files import append_manifest
from newscrawl.table.columns import TableError
from newscrawl.table.index import TableIndex
from newscrawl.table.marks import Mark, lines_after
from newscrawl.table.update import TABLE_DIR, apply_run, catch_up
from tests.test_table import article, table_rows, write_run

RUNS = ["20261128T031202Z", "20261128T034702Z", "20261128T041202Z"]


def mark(out: Path) -> Mark | None:
    index = TableIndex(out / TABLE_DIR)
    try:
        return index.mark("menafn")
    finally:
        index.close()


def whole(manifest: Path) -> Mark:
    """The mark at the end of ``manifest``."""
    data = manifest.read_bytes()
    return Mark(len(data), hashlib.sha256(data).hexdigest())


def test_the_mark_follows_the_applied_lines_and_the_next_read_starts_there(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    for n, run in enumerate(RUNS[:2]):
        write_run(tmp_path, run, [article(n)])
    assert catch_up(tmp_path) == 2
    assert mark(tmp_path) == whole(manifest)
    write_run(tmp_path, RUNS[2], [article(2)])
    after = lines_after(manifest, mark(tmp_path))
    assert [line.run for line in after] == [RUNS[2]]  # not the two applied before
    assert catch_up(tmp_path) == 1
    assert len(table_rows(tmp_path)) == 3
    assert mark(tmp_path) == whole(manifest)


def test_a_run_left_out_holds_the_mark_back_until_it_is_applied(tmp_path: Path) -> None:
    gone = write_run(tmp_path, RUNS[0], [article(0)])
    kept = gone.read_bytes()
    gone.unlink()  # a file restored from a backup later, say
    write_run(tmp_path, RUNS[1], [article(1)])
    with pytest.raises(TableError, match="cannot read"):
        catch_up(tmp_path)
    assert mark(tmp_path) is None  # the first line's run is not in the table
    gone.write_bytes(kept)
    write_run(tmp_path, RUNS[2], [article(2)])
    assert catch_up(tmp_path) == 2  # the run left out, and the new one
    assert len(table_rows(tmp_path)) == 3
    assert mark(tmp_path) == whole(tmp_path / "menafn" / "runs.jsonl")


def test_lines_reordered_behind_the_mark_are_read_again(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    write_run(tmp_path, RUNS[1], [article(1)])
    catch_up(tmp_path)
    write_run(tmp_path, RUNS[2], [article(2)])  # listed; its table update failed
    first, second, third = manifest.read_bytes().splitlines(True)
    assert len(first) == len(third)  # the line before the mark ends where it did
    manifest.write_bytes(third + second + first)
    assert catch_up(tmp_path) == 1
    assert len(table_rows(tmp_path)) == 3


def test_a_last_line_without_its_newline_is_listed_and_kept(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    write_run(tmp_path, RUNS[1], [article(1)])
    manifest.write_bytes(manifest.read_bytes().rstrip(b"\n"))  # as an editor may save it
    listed = lines_after(manifest, None)
    assert [(item.run, item.digest is None) for item in listed] == [
        (RUNS[0], False),
        (RUNS[1], True),
    ]
    assert catch_up(tmp_path) == 2
    first_line = manifest.read_bytes().splitlines(True)[0]
    assert mark(tmp_path) == (len(first_line), hashlib.sha256(first_line).hexdigest())
    append_manifest(manifest, {"run": RUNS[2], "file": None})  # the next run's line
    assert [json.loads(line)["run"] for line in manifest.read_text().splitlines()] == RUNS


def test_a_byte_order_mark_crlf_and_a_line_that_is_not_json(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An editor's save: a byte order mark, CRLF line ends, and a stray line."""
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    write_run(tmp_path, RUNS[1], [article(1)])
    lines = manifest.read_bytes().replace(b"\n", b"\r\n")
    manifest.write_bytes(b"\xef\xbb\xbf" + lines + b"not json\r\n")
    assert catch_up(tmp_path) == 2
    assert mark(tmp_path) == whole(manifest)  # the mark passes the line that is not a run
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert (
        warning
        == f"{manifest}: the line ending at byte {len(manifest.read_bytes())} is not a JSON object"
    )


def test_a_mark_that_does_not_hold_reads_from_the_start(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    for wrong in [Mark(5, "0" * 64), Mark(10**9, "0" * 64)]:
        assert [line.run for line in lines_after(manifest, wrong)] == [RUNS[0]]


def test_a_table_folder_removed_by_hand_gets_every_source_back(tmp_path: Path) -> None:
    write_run(tmp_path, RUNS[0], [article(0, "globenewswire")], source="globenewswire")
    path = write_run(tmp_path, RUNS[0], [article(0)])
    catch_up(tmp_path)
    shutil.rmtree(tmp_path / TABLE_DIR)
    apply_run(tmp_path, "menafn", RUNS[0], path)  # a menafn run's commit
    assert sorted(table_rows(tmp_path)) == ["globenewswire:1109000000", "menafn:1109000000"]
