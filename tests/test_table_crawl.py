"""End to end: real runs keep output/table/ and newscrawl.duckdb current; `scrapy table`
catches up and rebuilds; `-o x.parquet` is a typed feed; a failed update fails the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscrawl.table.views import DATABASE
from tests.conftest import DEFAULT_STATE, FAST, FIXTURES, read_jsonl
from tests.in_process import Done, crawl_here, scrapy_here
from tests.site import MenafnSite, synthetic_stories
from tests.test_clusters import menafn_copy
from tests.test_table import as_line, table_rows

pytestmark = pytest.mark.slow

RELEASE = FIXTURES.parent / "prnewswire" / "hackerrank-2016"


def latest_lines(out: Path) -> dict[str, dict[str, Any]]:
    """Each story's line from the last run that wrote it, read through every runs.jsonl."""
    latest: dict[str, dict[str, Any]] = {}
    for manifest in sorted(out.glob("*/runs.jsonl")):
        for run in read_jsonl(manifest):
            for line in read_jsonl(out / run["file"]) if run["file"] else []:
                latest[line["id"]] = line
    return latest


def assert_table_is_current(out: Path) -> None:
    assert {i: as_line(row) for i, row in table_rows(out).items()} == latest_lines(out)
    with duckdb.connect(str(out / DATABASE), read_only=True) as db:
        ids = db.execute("SELECT id FROM articles").fetchall()
        assert sorted(i for (i,) in ids) == sorted(latest_lines(out))  # each story once


def scrapy_table(out: Path, *args: str) -> Done:
    return scrapy_here("table", "-s", f"NEWSCRAWL_OUTPUT_DIR={out}", *args)


def test_live_offline_and_wire_runs_keep_the_table_current_and_a_rebuild_agrees(
    tmp_path: Path,
) -> None:
    out = tmp_path / "output"
    wire = crawl_here(out, "-a", f"source={RELEASE / 'page.html'}", spider="prnewswire",
                 state=DEFAULT_STATE)  # fmt: skip
    assert wire.status == 0, wire.stderr[-3000:]
    release = json.loads((RELEASE / "expected.json").read_text("utf-8"))
    stories = [menafn_copy(release, 1109600101), *synthetic_stories(12)]
    with MenafnSite(stories) as site:
        live = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, state=DEFAULT_STATE)
        assert live.status == 0, live.stderr[-3000:]
        assert_table_is_current(out)
        site.add_synthetic(4)
        again = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, state=DEFAULT_STATE)
    assert again.status == 0, again.stderr[-3000:]
    assert len(again.articles()) == 4
    offline = crawl_here(out, "-a", f"source={FIXTURES}", state=DEFAULT_STATE)
    assert offline.status == 0, offline.stderr[-3000:]
    assert_table_is_current(out)
    with duckdb.connect(str(out / DATABASE), read_only=True) as db:
        (copies,) = db.execute(
            "SELECT sources FROM clusters WHERE cluster_id = 'prnewswire:300256929'"
        ).fetchone() or (None,)
        assert copies == ["menafn", "prnewswire"]

    before = table_rows(out)
    rebuilt = scrapy_table(out, "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"rebuilt ({len(before)} rows written)" in rebuilt.stdout
    assert table_rows(out) == before


def test_a_re_extraction_listed_in_the_same_output_replaces_the_rows_it_re_read(
    tmp_path: Path,
) -> None:
    """How issue 19.2's mode will land: the re-extraction's file is a later run of the same
    source in the same output; the table then holds its rows for the stories it re-read."""
    out = tmp_path / "output"
    with MenafnSite(synthetic_stories(8)) as site:
        live = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST)
    assert live.status == 0, live.stderr[-3000:]
    archive = out / live.last()["archive"]
    again = crawl_here(tmp_path / "again", "-a", f"source={archive}", state="")
    assert again.status == 0, again.stderr[-3000:]
    lines = again.articles()[:5]  # the stories re-read (here: the first five)
    name = "29990101T000000Z"  # a later run name, as the re-extraction run gets
    (out / "menafn" / "articles" / f"{name}.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8"
    )
    with (out / "menafn" / "runs.jsonl").open("a") as manifest:
        manifest.write(json.dumps({"run": name, "file": f"menafn/articles/{name}.jsonl"}) + "\n")
    done = scrapy_table(out)
    assert done.returncode == 0, done.stderr
    rows = table_rows(out)
    assert len(rows) == 8
    assert sorted(i for i, r in rows.items() if r["run"] == name) == sorted(a["id"] for a in lines)
    assert_table_is_current(out)


def test_a_parquet_feed_holds_the_written_articles_typed(tmp_path: Path) -> None:
    feed = tmp_path / "articles.parquet"
    run = crawl_here(tmp_path / "output", "-a", f"source={FIXTURES}", "-o", str(feed))
    assert run.status == 0, run.stderr[-3000:]
    written = run.articles()
    table = pq.read_table(feed)
    assert table.schema.field("published_at").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert table.schema.field("word_count").type == pa.int32()
    assert [as_line(row) for row in table.to_pylist()] == written
    with duckdb.connect() as db:
        count = db.execute("SELECT count(DISTINCT id) FROM read_parquet(?)", [str(feed)])
        assert count.fetchone() == (len(written),)

    appended = crawl_here(tmp_path / "more", "-a", f"source={FIXTURES}", "-o", str(feed))
    assert (appended.status, appended.stderr.strip()) == (
        2, f"newscrawl: {feed} is not empty and a Parquet file cannot be appended to: "
        "use -O to overwrite it")  # fmt: skip
    assert pq.read_table(feed).num_rows == len(written)  # the file is as it was
    overwritten = crawl_here(tmp_path / "more2", "-a", f"source={FIXTURES}", "-O", str(feed))
    assert overwritten.status == 0
    assert pq.read_table(feed).num_rows == len(written)


def test_a_failed_table_update_fails_the_run_in_one_line_and_the_next_update_catches_up(
    tmp_path: Path,
) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "table").write_text("a file where the table folder goes\n")
    run = crawl_here(out, "-a", f"source={FIXTURES}")
    assert run.status == 1
    (line,) = [x for x in run.stderr.splitlines() if x.startswith("newscrawl: error: table not")]
    assert "Not a directory" in line
    assert run.stdout.strip().endswith("finished, exit status 1")
    assert "Traceback" not in run.stderr
    assert len(run.articles()) > 10  # the run's own files are whole and listed
    listed = run.last()  # its line says what happened: failed, and why
    assert listed["exit_status"] == 1
    assert [f for f in listed["failures"] if f.startswith("table not updated")]
    (out / "table").unlink()
    caught_up = scrapy_table(out)
    assert caught_up.returncode == 0, caught_up.stderr
    assert_table_is_current(out)
    shutil.rmtree(out / "table")
    assert scrapy_table(out).returncode == 0  # a table removed by hand is built again
    assert_table_is_current(out)


def test_scrapy_table_on_a_folder_that_does_not_exist_is_bad_usage(tmp_path: Path) -> None:
    """A mistyped output folder was made, said "up to date" and exited 0 (a breaker's report)."""
    done = scrapy_table(tmp_path / "outptu")
    assert (done.returncode, done.stderr.strip()) == (
        2,
        f"newscrawl: output folder not found: {tmp_path / 'outptu'}",
    )
    assert not (tmp_path / "outptu").exists()


def test_an_index_that_cannot_be_written_fails_the_run_in_one_line(tmp_path: Path) -> None:
    """SQLite's errors on the table's index (a full disk, here a folder in its place) were a
    traceback in the run's close and a false 'second signal' line; now the table's own line."""
    out = tmp_path / "output"
    (out / "table" / "_index.sqlite3").mkdir(parents=True)
    run = crawl_here(out, "-a", f"source={FIXTURES}")
    assert run.status == 1
    (line,) = [x for x in run.stderr.splitlines() if x.startswith("newscrawl: error:")]
    assert line.startswith(
        f"newscrawl: error: table not updated: {out / 'table' / '_index.sqlite3'}: "
    )
    assert "Traceback" not in run.stderr
    assert len(run.articles()) > 10  # the run's own files are whole and listed
    assert run.last()["exit_status"] == 1
