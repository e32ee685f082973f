"""The table's mark in ``runs.jsonl``: a catch-up reads the lines after it, never skips a run
the table does not hold (a rewritten file, a run left out), and reads the whole file when the
mark no longer holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.table.columns import TableError
from newscrawl.table.index import TableIndex
from newscrawl.table.listings import listings_after
from newscrawl.table.update import TABLE_DIR, catch_up
from tests.test_table import article, table_rows, write_run

RUNS = ["20261128T031202Z", "20261128T034702Z", "20261128T041202Z"]


def mark(out: Path) -> tuple[int, bytes] | None:
    index = TableIndex(out / TABLE_DIR)
    try:
        return index.mark("menafn")
    finally:
        index.close()


def test_the_mark_follows_the_applied_lines_and_the_next_read_starts_there(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    for n, run in enumerate(RUNS[:2]):
        write_run(tmp_path, run, [article(n)])
    assert catch_up(tmp_path) == 2
    assert mark(tmp_path) == (manifest.stat().st_size, manifest.read_bytes().splitlines(True)[-1])
    write_run(tmp_path, RUNS[2], [article(2)])
    after = listings_after(manifest, mark(tmp_path))
    assert [listing.run for listing in after] == [RUNS[2]]  # not the two applied before
    assert catch_up(tmp_path) == 1
    assert len(table_rows(tmp_path)) == 3


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
    assert mark(tmp_path) == (
        (tmp_path / "menafn" / "runs.jsonl").stat().st_size,
        b"".join(
            [
                json.dumps({"run": RUNS[2], "file": f"menafn/articles/{RUNS[2]}.jsonl"}).encode(),
                b"\n",
            ]
        ),
    )


def test_a_rewritten_runs_file_is_read_whole(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    write_run(tmp_path, RUNS[1], [article(1)])
    catch_up(tmp_path)
    # Rewritten (as a layout upgrade renames files in it): a run the table does not hold
    # now stands before the old mark, and the line there is another one.
    first, second = manifest.read_bytes().splitlines(True)
    write_run(tmp_path, RUNS[2], [article(2)])
    third = manifest.read_bytes().splitlines(True)[-1]
    manifest.write_bytes(first + third + second.replace(b'"file"', b'"file" '))
    assert catch_up(tmp_path) == 1
    assert len(table_rows(tmp_path)) == 3


def test_a_line_being_written_is_not_listed_yet(tmp_path: Path) -> None:
    manifest = tmp_path / "menafn" / "runs.jsonl"
    write_run(tmp_path, RUNS[0], [article(0)])
    line = json.dumps({"run": RUNS[1], "file": f"menafn/articles/{RUNS[1]}.jsonl"})
    with manifest.open("a") as out:
        out.write(line)  # no newline yet
    assert [listing.run for listing in listings_after(manifest, None)] == [RUNS[0]]
    assert [listing.run for listing in listings_after(manifest, (5, b"no such line\n"))] == [
        RUNS[0]
    ]  # a mark that does not hold: read from the start
