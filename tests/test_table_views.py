"""newscrawl.duckdb: typed views over the table and runs.jsonl, empty or not, for any DuckDB."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newscrawl.table.update import catch_up
from newscrawl.table.views import DATABASE, write_views
from tests.in_process import scrapy_here
from tests.test_table import article, write_run

CLI = Path(sys.executable).with_name("duckdb")  # the duckdb-cli package's binary
ARTICLE_TYPES = {
    "id": "VARCHAR", "source": "VARCHAR", "published_at": "TIMESTAMP WITH TIME ZONE",
    "tickers": "VARCHAR[]", "tags": "VARCHAR[]", "word_count": "INTEGER",
    "crawled_at": "TIMESTAMP WITH TIME ZONE", "extracted_by": "VARCHAR", "run": "VARCHAR",
}  # fmt: skip


def types(db: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    return {name: kind for name, kind, *_ in db.execute(f"DESCRIBE {view}").fetchall()}


def test_the_views_are_typed_and_empty_on_an_output_with_nothing_written(tmp_path: Path) -> None:
    assert write_views(tmp_path)
    with duckdb.connect(str(tmp_path / DATABASE), read_only=True) as db:
        for view in ("articles", "clusters", "runs"):
            assert db.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
        assert ARTICLE_TYPES.items() <= types(db, "articles").items()
        assert types(db, "clusters")["members"] == "VARCHAR[]"
        assert types(db, "runs")["started_at"] == "TIMESTAMP WITH TIME ZONE"
        assert types(db, "runs")["written"] == "BIGINT"


def test_the_views_see_every_source_and_new_files_without_being_rewritten(
    tmp_path: Path,
) -> None:
    write_run(tmp_path, "20261128T031202Z", [article(1), article(2)])
    catch_up(tmp_path)
    database = tmp_path / DATABASE
    written = database.stat().st_mtime_ns
    copy = article(1, source="prnewswire", provider="PR Newswire", cluster_id="menafn:1109000001")
    write_run(tmp_path, "20261128T040000Z", [copy], source="prnewswire")
    catch_up(tmp_path)
    assert database.stat().st_mtime_ns == written  # the same definitions: the file stays
    with duckdb.connect(str(database), read_only=True) as db:
        counts = db.execute("SELECT source, count(*) FROM articles GROUP BY 1 ORDER BY 1")
        assert counts.fetchall() == [("menafn", 2), ("prnewswire", 1)]
        assert db.execute(
            "SELECT cluster_id, size, members, sources, providers FROM clusters ORDER BY 1"
        ).fetchall() == [
            ("menafn:1109000001", 2, ["menafn:1109000001", "prnewswire:1109000001"],
             ["menafn", "prnewswire"], ["MENAFN", "PR Newswire"]),
            ("menafn:1109000002", 1, ["menafn:1109000002"], ["menafn"], ["MENAFN"]),
        ]  # fmt: skip
        assert db.execute("SELECT source, run FROM runs ORDER BY 1").fetchall() == [
            ("menafn", "20261128T031202Z"), ("prnewswire", "20261128T040000Z")]  # fmt: skip


def test_a_moved_output_folder_gets_its_views_rewritten(tmp_path: Path) -> None:
    write_run(tmp_path / "a", "20261128T031202Z", [article(1)])
    catch_up(tmp_path / "a")
    (tmp_path / "a").rename(tmp_path / "b")
    assert write_views(tmp_path / "b")  # its paths named the old place
    assert not write_views(tmp_path / "b")
    with duckdb.connect(str(tmp_path / "b" / DATABASE), read_only=True) as db:
        assert db.execute("SELECT id FROM articles").fetchall() == [("menafn:1109000001",)]


def test_a_copied_output_folder_reads_its_own_files_after_scrapy_table(tmp_path: Path) -> None:
    """A copy (cp -r, rsync) of an output folder whose original stays: its newscrawl.duckdb
    still names the original's files (DuckDB resolves a view's relative path against the
    working folder, never the database file, so the paths are absolute) until ``scrapy table``
    (``make sql`` runs it) or a run in the copy rewrites the views (FRESH-USER-1 F16)."""
    original, copy = tmp_path / "original", tmp_path / "copy"
    write_run(original, "20261128T031202Z", [article(1)])
    catch_up(original)
    shutil.copytree(original, copy)
    write_run(original, "20261129T031202Z", [article(2)])  # the original goes on
    catch_up(original)
    with duckdb.connect(str(copy / DATABASE), read_only=True) as db:  # opened as copied
        assert len(db.execute("SELECT id FROM articles").fetchall()) == 2  # the original's
    done = scrapy_here("table", "-s", f"NEWSCRAWL_OUTPUT_DIR={copy}")
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(copy / DATABASE), read_only=True) as db:
        assert db.execute("SELECT id FROM articles").fetchall() == [("menafn:1109000001",)]
        assert db.execute("SELECT run FROM runs").fetchall() == [("20261128T031202Z",)]
        views = " ".join(sql for (sql,) in db.execute("SELECT sql FROM duckdb_views()").fetchall())
    assert str(copy.resolve()) in views
    assert str(original.resolve()) not in views


def test_the_duckdb_command_line_opens_the_views(tmp_path: Path) -> None:
    """Written in DuckDB's 1.0 storage format: the CLI on PyPI (1.x) opens it, read-only."""
    if not CLI.exists():
        pytest.skip("the duckdb-cli package is not installed")
    write_run(tmp_path, "20261128T031202Z", [article(1), article(2, published_at=None)])
    catch_up(tmp_path)
    query = (
        "SET TimeZone = 'UTC'; "
        "SELECT id, typeof(published_at) AS kind, published_at FROM articles ORDER BY id"
    )
    done = subprocess.run(
        [str(CLI), "-readonly", "-json", str(tmp_path / DATABASE), "-c", query],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"id": "menafn:1109000001", "kind": "TIMESTAMP WITH TIME ZONE",
         "published_at": "2025-07-02 08:11:24+00"},
        {"id": "menafn:1109000002", "kind": "TIMESTAMP WITH TIME ZONE", "published_at": None},
    ]  # fmt: skip
