"""The articles table in-process: one row per story from its latest run, typed, partitioned;
updates touch only their partitions, can be repeated, survive a kill, and rebuild the same."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import ARTICLE_FIELDS, load_schema
from newscrawl.table import partitions
from newscrawl.table.columns import TableError
from newscrawl.table.index import TableIndex
from newscrawl.table.update import TABLE_DIR, apply_run, catch_up, rebuild
from tests.conftest import ROOT

VALIDATOR = Draft202012Validator(load_schema())


def article(n: int, source: str = "menafn", **changes: Any) -> dict[str, Any]:
    """A schema-v3 article line (checked against the schema), story ``n`` of ``source``."""
    body = f"Story {n} of {source}: the council met on Tuesday.\n\nIt agreed on {n} points."
    record: dict[str, Any] = {
        "schema_version": 3, "id": f"{source}:{1109000000 + n}", "source": source,
        "url": f"https://menafn.com/{1109000000 + n}/story-{n}", "title": f"Story {n}",
        "published_at": f"2025-07-{n % 28 + 1:02d}T08:11:24+00:00",
        "published_text": None, "page_date": None, "dateline": "(MENAFN)",
        "provider": "MENAFN", "organization": None, "tickers": [], "body": body,
        "summary": None, "image_url": None, "tags": ["politics"], "category": None,
        "language": "en", "tracking_id": None, "word_count": len(body.split()),
        "content_hash": "sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        "cluster_id": f"{source}:{1109000000 + n}", "corrects": None,
        "crawled_at": "2026-11-28T03:12:02+00:00", "extracted_by": "newscrawl 0.3.0",
    }  # fmt: skip
    record.update(changes)
    if record["schema_version"] == 3:
        assert not list(VALIDATOR.iter_errors(record)), record
    return record


def write_run(out: Path, run: str, articles: list[dict[str, Any]], source: str = "menafn") -> Path:
    """A run's articles file and its ``runs.jsonl`` line, as a run lists them."""
    path = out / source / "articles" / f"{run}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    with (out / source / "runs.jsonl").open("a", encoding="utf-8") as manifest:
        manifest.write(json.dumps({"run": run, "file": f"{source}/articles/{run}.jsonl"}) + "\n")
    return path


def table_rows(out: Path) -> dict[str, dict[str, Any]]:
    """Every row of the table by id, read as a Hive-partitioned dataset (source, month)."""
    dataset = ds.dataset(out / TABLE_DIR, format="parquet", partitioning="hive")
    return {row["id"]: row for row in dataset.to_table().to_pylist()}


def as_line(row: dict[str, Any]) -> dict[str, Any]:
    """A table row back in its JSON line's form, for comparing with what a run wrote."""
    line = {name: row[name] for name in ARTICLE_FIELDS}
    for name in ("published_at", "page_date", "crawled_at"):
        line[name] = row[name].isoformat() if row[name] else None
    return line


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every partition file: a rewrite changes them."""
    files = (out / TABLE_DIR).glob("source=*/month=*/*.parquet")
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}


def test_a_run_becomes_one_typed_row_per_story_in_its_partition(tmp_path: Path) -> None:
    stories = [article(n) for n in range(1, 6)] + [article(6, published_at=None)]
    path = write_run(tmp_path, "20261128T031202Z", stories)
    assert apply_run(tmp_path, "menafn", "20261128T031202Z", path) == 6
    rows = table_rows(tmp_path)
    assert {i: as_line(row) for i, row in rows.items()} == {a["id"]: a for a in stories}
    assert {row["run"] for row in rows.values()} == {"20261128T031202Z"}
    assert {row["month"] for row in rows.values()} == {"2025-07", "undated"}  # never a guess
    schema = pq.read_schema(next((tmp_path / TABLE_DIR).glob("source=*/month=2025-07/*")))
    assert schema.field("published_at").type == pa.timestamp("ms", tz="UTC")  # Parquet's unit
    assert schema.field("tickers").type == pa.list_(pa.string())
    assert schema.field("word_count").type == pa.int32()
    assert "source" not in schema.names  # the partition says it


def test_a_later_run_replaces_the_rows_it_re_extracted_and_no_other_partition(
    tmp_path: Path,
) -> None:
    first = [article(n, published_at=f"2025-{m:02d}-10T08:00:00+00:00") for n, m in
             [(1, 5), (2, 6), (3, 6), (4, 7)]]  # fmt: skip
    write_run(tmp_path, "20261128T031202Z", first)
    catch_up(tmp_path)
    before = stamps(tmp_path)
    fixed = [
        {**first[1], "body": "Story 2, extracted right.", "word_count": 4},  # same month
        {**first[2], "published_at": "2025-07-01T02:00:00+00:00"},  # its date corrected
        {**first[3], "extracted_by": "newscrawl 0.3.1"},
    ]
    write_run(tmp_path, "20261201T000000Z", fixed)
    catch_up(tmp_path)
    rows = table_rows(tmp_path)
    assert {i: as_line(row) for i, row in rows.items()} == {
        a["id"]: a for a in [first[0], *fixed]
    }  # each story once: the re-extracted ones from the later run, the other as it was
    assert rows[first[2]["id"]]["month"] == "2025-07"  # moved out of June
    assert rows[first[3]["id"]]["run"] == "20261201T000000Z"
    after = stamps(tmp_path)
    may = "table/source=menafn/month=2025-05/articles.parquet"
    assert after[may] == before[may]  # a partition the run did not touch is not rewritten
    assert set(after) == set(before)


def test_applying_a_run_again_changes_nothing(tmp_path: Path) -> None:
    path = write_run(tmp_path, "20261128T031202Z", [article(n) for n in range(1, 40)])
    apply_run(tmp_path, "menafn", "20261128T031202Z", path)
    before = stamps(tmp_path)
    assert apply_run(tmp_path, "menafn", "20261128T031202Z", path) == 0
    assert catch_up(tmp_path) == 0
    assert stamps(tmp_path) == before
    contents = {p: (tmp_path / p).read_bytes() for p in before}
    forget_run(tmp_path, "20261128T031202Z")  # as if killed before the run was recorded
    assert apply_run(tmp_path, "menafn", "20261128T031202Z", path) == 39  # redone ...
    assert {p: (tmp_path / p).read_bytes() for p in before} == contents  # ... to the same bytes


def forget_run(out: Path, run: str) -> None:
    index = TableIndex(out / TABLE_DIR)
    with index.db:
        index.db.execute("DELETE FROM runs WHERE run = ?", (run,))
        index.db.execute("DELETE FROM marks")  # a mark never passes a run not recorded
    index.close()


def test_an_older_run_applied_late_does_not_replace_a_newer_row(tmp_path: Path) -> None:
    old = write_run(tmp_path, "20261128T031202Z_9", [article(1, title="old")])
    new = write_run(tmp_path, "20261128T031202Z_10", [article(1, title="new")])
    apply_run(tmp_path, "menafn", "20261128T031202Z_10", new)
    apply_run(tmp_path, "menafn", "20261128T031202Z_9", old)  # _10 comes after _9
    assert [row["title"] for row in table_rows(tmp_path).values()] == ["new"]


def test_a_runs_last_line_of_a_story_wins_and_copies_on_other_wires_keep_their_rows(
    tmp_path: Path,
) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(1, title="first"), article(1, title="last")])
    copy = article(1, source="prnewswire", cluster_id="menafn:1109000001", provider="PR Newswire")
    write_run(tmp_path, "20261128T040000Z", [copy], source="prnewswire")
    catch_up(tmp_path)
    rows = table_rows(tmp_path)
    assert {i: (r["source"], r["title"], r["cluster_id"]) for i, r in rows.items()} == {
        "menafn:1109000001": ("menafn", "last", "menafn:1109000001"),
        "prnewswire:1109000001": ("prnewswire", "Story 1", "menafn:1109000001"),
    }


def test_lines_of_every_schema_version_are_read_with_missing_keys_null(tmp_path: Path) -> None:
    v3 = article(1)
    v1 = {k: v for k, v in article(2, schema_version=1).items() if k not in V2_V3_KEYS}
    v2 = {k: v for k, v in article(3, schema_version=2).items() if k not in V3_KEYS}
    write_run(tmp_path, "20250101T000000Z", [v1, v2, v3])
    catch_up(tmp_path)
    rows = table_rows(tmp_path)
    assert (rows[v1["id"]]["cluster_id"], rows[v1["id"]]["tickers"]) == (None, None)
    assert (rows[v2["id"]]["cluster_id"], rows[v2["id"]]["extracted_by"]) == (v2["id"], None)
    assert as_line(rows[v3["id"]]) == v3


V3_KEYS = ("tickers", "corrects", "extracted_by")
V2_V3_KEYS = ("published_text", "organization", "cluster_id", *V3_KEYS)


def test_an_unreadable_run_is_named_and_does_not_hold_back_the_others(tmp_path: Path) -> None:
    bad = write_run(tmp_path, "20261128T031202Z", [article(1), article(2)])
    lines = bad.read_text().splitlines()
    broken = re.sub(r'"word_count": \d+', '"word_count": "many"', lines[1])
    bad.write_text(f"{lines[0]}\n{broken}\n")
    write_run(tmp_path, "20261129T031202Z", [article(3)])
    with pytest.raises(TableError, match=rf"{re.escape(str(bad))}: line 2: .*word_count"):
        catch_up(tmp_path)
    assert list(table_rows(tmp_path)) == ["menafn:1109000003"]
    bad.write_text(f"{lines[0]}\n{lines[1]}\n")  # mended: the next update takes it
    assert catch_up(tmp_path) == 2
    assert len(table_rows(tmp_path)) == 3


def test_a_listed_run_whose_file_is_gone_is_named(tmp_path: Path) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(1)]).unlink()
    with pytest.raises(TableError, match=r"cannot read .*20261128T031202Z\.jsonl"):
        catch_up(tmp_path)


def test_a_rebuild_gives_the_same_table_and_a_table_without_index_is_rebuilt(
    tmp_path: Path,
) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(n) for n in range(1, 30)])
    write_run(tmp_path, "20261129T031202Z", [article(n, title="again") for n in range(20, 35)])
    wire = [article(n, source="prnewswire") for n in range(1, 9)]
    write_run(tmp_path, "20261129T040000Z", wire, source="prnewswire")
    catch_up(tmp_path)
    built = table_rows(tmp_path)
    assert len(built) == 34 + 8
    assert rebuild(tmp_path) == 34 + 8
    assert table_rows(tmp_path) == built
    (tmp_path / TABLE_DIR / "_index.sqlite3").unlink()
    (tmp_path / TABLE_DIR / "source=menafn" / "month=2099-01").mkdir()  # a stray folder
    assert catch_up(tmp_path, ["prnewswire"]) == 34 + 8  # every source rebuilt, not doubled
    assert table_rows(tmp_path) == built


def test_a_failed_partition_write_leaves_old_or_new_files_and_a_redo_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [article(n, published_at=f"2025-{n:02d}-10T08:00:00+00:00") for n in range(1, 7)]
    write_run(tmp_path, "20261128T031202Z", first)
    catch_up(tmp_path)
    write_run(tmp_path, "20261129T031202Z", [{**a, "title": "fixed"} for a in first])
    real, calls = partitions.write_atomically, []

    def dies_on_the_third(path: Path, rows: pa.Table) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, rows)

    monkeypatch.setattr(partitions, "write_atomically", dies_on_the_third)
    with pytest.raises(OSError, match="No space"):
        catch_up(tmp_path)
    titles = sorted(r["title"] for r in table_rows(tmp_path).values())
    assert titles == ["Story 3", "Story 4", "Story 5", "Story 6", "fixed", "fixed"]
    monkeypatch.setattr(partitions, "write_atomically", real)
    assert catch_up(tmp_path) == 6
    assert {r["title"] for r in table_rows(tmp_path).values()} == {"fixed"}


def test_a_kill_at_any_moment_of_a_rebuild_leaves_readable_partitions(tmp_path: Path) -> None:
    """SIGKILL a rebuild midway: every partition file is whole, the next update completes."""
    for day in range(12):
        stories = [
            article(n, published_at=f"20{10 + n % 15}-{n % 12 + 1:02d}-01T00:00:00+00:00")
            for n in range(day * 200, day * 200 + 200)
        ]
        write_run(tmp_path, f"202611{day + 10:02d}T000000Z", stories)
    code = (
        "from pathlib import Path; from newscrawl.table.update import rebuild; "
        f"rebuild(Path({str(tmp_path)!r}))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    partitions_of = (tmp_path / TABLE_DIR).glob
    # 60 months' partitions: killed once it wrote its first one, then (a rebuild clears the
    # table first) once it wrote half of them; not after a fixed delay, which on a busy
    # machine can fall before the child has even imported the table's code.
    for written in (1, 30):
        child = subprocess.Popen([sys.executable, "-c", code], env=env)
        while len(list(partitions_of("source=*/month=*/*.parquet"))) < written:
            assert child.poll() is None, "the rebuild ended before it was killed"
            time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
        child.wait()
        for path in partitions_of("source=*/month=*/*.parquet"):
            pq.read_table(path)  # whole: a half-written file would not read
    catch_up(tmp_path)
    assert len(table_rows(tmp_path)) == 2400


def test_a_line_of_another_source_or_without_an_id_is_named(tmp_path: Path) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(1, source="prnewswire")])
    with pytest.raises(TableError, match="articles of prnewswire in a file of menafn"):
        catch_up(tmp_path)
    write_run(tmp_path / "b", "20261128T031202Z", [article(1), {**article(2), "id": None}])
    with pytest.raises(TableError, match="1 lines without an id"):
        catch_up(tmp_path / "b")


def test_apply_run_on_a_table_that_lost_its_index_brings_back_every_source(
    tmp_path: Path,
) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(1)])
    write_run(tmp_path, "20261128T040000Z", [article(1, source="prnewswire")], "prnewswire")
    catch_up(tmp_path)
    (tmp_path / TABLE_DIR / "_index.sqlite3").unlink()
    path = write_run(tmp_path, "20261129T000000Z", [article(2)])
    assert apply_run(tmp_path, "menafn", "20261129T000000Z", path) == 3
    assert sorted(table_rows(tmp_path)) == [
        "menafn:1109000001", "menafn:1109000002", "prnewswire:1109000001"]  # fmt: skip


def test_a_line_without_a_source_is_the_folders(tmp_path: Path) -> None:
    line = {k: v for k, v in article(1).items() if k != "source"}
    write_run(tmp_path, "20261128T031202Z", [line])
    catch_up(tmp_path)
    assert [row["source"] for row in table_rows(tmp_path).values()] == ["menafn"]


def test_updating_the_table_imports_no_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (0.3 s) wherever it is installed as soon as it is asked for an
    array of Python values; a run's update builds its arrays from buffers (``arrays.py``):
    a run into existing partitions, then a rebuild (a story in both runs)."""
    first = write_run(tmp_path, "20261128T031202Z", [article(1), article(2, published_at=None)])
    apply_run(tmp_path, "menafn", "20261128T031202Z", first)
    second = write_run(tmp_path, "20261129T000000Z", [article(1, title="Again"), article(3)])
    code = (
        "import sys; from pathlib import Path; from newscrawl.table.update import apply_run, "
        "rebuild; out = Path(sys.argv[1]); apply_run(out, 'menafn', sys.argv[2], "
        "Path(sys.argv[3])); rebuild(out); print('pandas' in sys.modules)"
    )
    command = [sys.executable, "-c", code, str(tmp_path), "20261129T000000Z", str(second)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["False"]
    assert table_rows(tmp_path)["menafn:1109000001"]["title"] == "Again"
