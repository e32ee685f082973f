"""``<output>/newscrawl.duckdb``: DuckDB views over the table (``articles``, ``clusters``) and
over every ``<source>/runs.jsonl`` (``runs``), for the DuckDB CLI, Python, and anything that
speaks DuckDB.

Every column is typed here, never inferred from the files, so the views answer (with no rows)
on an output where nothing was written yet. A view reads the files at query time, so the
database file changes only when its definitions do: when the output gets its first table file
or ``runs.jsonl``, when the output folder moves (the paths in it are absolute), or with a new
version. It is then written anew under another name and renamed into place. It is written in
DuckDB's 1.0 storage format, which every DuckDB since 1.0 opens.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from newscrawl.run.files import fsync_dir, make_folder
from newscrawl.run.layout import MANIFEST
from newscrawl.table.columns import RUN, article_schema

if TYPE_CHECKING:
    import duckdb

DATABASE = "newscrawl.duckdb"
DEFINITIONS = "_views.sql"  # in table/: the definitions the database file holds
STORAGE_VERSION = "v1.0.0"
RUN_COLUMNS = (  # runs.jsonl's keys (README, Output); counts are integers, times UTC
    ("run", "VARCHAR"), ("started_at", "TIMESTAMPTZ"), ("finished_at", "TIMESTAMPTZ"),
    ("finish_reason", "VARCHAR"), ("exit_status", "INTEGER"), ("mode", "VARCHAR"),
    ("file", "VARCHAR"), ("sha256", "VARCHAR"), ("pages", "BIGINT"), ("written", "BIGINT"),
    ("duplicates", "BIGINT"), ("rejected", "BIGINT"), ("errors", "BIGINT"),
    ("skipped_seen", "BIGINT"), ("replaced", "MAP(VARCHAR, BIGINT)"),
    ("rejects_file", "VARCHAR"), ("archive", "VARCHAR"),
    ("archive_sha256", "VARCHAR"), ("failures", "VARCHAR[]"), ("health", "JSON"),
    ("alarms", "VARCHAR[]"), ("crawl", "VARCHAR"), ("discovery", "JSON"),
)  # fmt: skip
CLUSTERS = """CREATE VIEW clusters AS
SELECT
  coalesce(cluster_id, id) AS cluster_id,
  first(title ORDER BY id <> coalesce(cluster_id, id), published_at NULLS LAST, id) AS title,
  count(*) AS size,
  list(id ORDER BY published_at NULLS LAST, id) AS members,
  list_sort(list_distinct(list(source))) AS sources,
  list_sort(list_distinct(list(provider))) AS providers,
  min(published_at) AS first_published_at,
  max(published_at) AS last_published_at
FROM articles
GROUP BY ALL;
"""


def duckdb_type(kind: pa.DataType) -> str:
    """The DuckDB type of a table column.

    >>> duckdb_type(pa.timestamp("s", tz="UTC")), duckdb_type(pa.list_(pa.string()))
    ('TIMESTAMPTZ', 'VARCHAR[]')
    """
    if pa.types.is_timestamp(kind):
        return "TIMESTAMPTZ"
    if pa.types.is_list(kind):
        return f"{duckdb_type(kind.value_type)}[]"
    if pa.types.is_integer(kind):
        return "INTEGER" if kind.bit_width <= 32 else "BIGINT"
    return "VARCHAR"


def literal(text: str) -> str:
    """A SQL string literal.

    >>> literal("/data/o'brien/table")
    "'/data/o''brien/table'"
    """
    return "'" + text.replace("'", "''") + "'"


def typed(columns: list[tuple[str, str]], empty: bool) -> str:
    """The select list: each column cast to its type (or a typed null, for no rows)."""
    return ",\n  ".join(
        f"CAST({'NULL' if empty else quoted(name)} AS {kind}) AS {name}" for name, kind in columns
    )


def quoted(name: str) -> str:
    """A SQL identifier: ``"id"``."""
    return '"' + name.replace('"', '""') + '"'


def articles_sql(table: Path, empty: bool) -> str:
    columns = [(f.name, duckdb_type(f.type)) for f in article_schema()] + [(RUN, "VARCHAR")]
    if empty:
        return f"CREATE VIEW articles AS\nSELECT\n  {typed(columns, True)}\nWHERE false;\n"
    files = literal(f"{table}/source=*/month=*/*.parquet")
    return (
        f"CREATE VIEW articles AS\nSELECT\n  {typed(columns, False)}\n"
        f"FROM read_parquet({files}, hive_partitioning = true,\n"
        "  hive_types = {'source': VARCHAR, 'month': VARCHAR}, union_by_name = true);\n"
    )


def runs_sql(output_dir: Path, empty: bool) -> str:
    columns = [("source", "VARCHAR"), *RUN_COLUMNS]
    if empty:
        return f"CREATE VIEW runs AS\nSELECT\n  {typed(columns, True)}\nWHERE false;\n"
    keys = ", ".join(f"{literal(name)}: {literal(kind)}" for name, kind in RUN_COLUMNS)
    files = literal(f"{output_dir}/*/{MANIFEST}")
    source = r"regexp_extract(filename, '([^/\\]+)[/\\]runs[.]jsonl$', 1)"
    return (
        f"CREATE VIEW runs AS\nSELECT\n  {source} AS source,\n  {typed(list(RUN_COLUMNS), False)}"
        f"\nFROM read_json({files}, format = 'newline_delimited', filename = true,\n"
        f"  columns = {{{keys}}});\n"
    )


def definitions(output_dir: Path) -> str:
    """The views' SQL for this output folder, as it is now."""
    output_dir = output_dir.resolve()
    table = output_dir / "table"
    no_table = next(table.glob("source=*/month=*/*.parquet"), None) is None
    no_runs = next(output_dir.glob(f"*/{MANIFEST}"), None) is None
    return "\n".join([articles_sql(table, no_table), CLUSTERS, runs_sql(output_dir, no_runs)])


_attaching = threading.Lock()  # one view file attached at a time: the alias is ``views``


@cache
def _duckdb() -> duckdb.DuckDBPyConnection:
    """This process's in-memory DuckDB, imported and started on first use (only when a view
    file changes: a run's usual update needs none). Starting one takes ~13 ms of the ~28 ms a
    new output's views cost, paid once per process that writes several (measured here)."""
    import duckdb

    return duckdb.connect()


def write_views(output_dir: Path) -> bool:
    """Write ``<output_dir>/newscrawl.duckdb`` if its views are missing or out of date; True
    if it was written."""
    sql = definitions(output_dir)
    database = output_dir / DATABASE
    noted = output_dir / "table" / DEFINITIONS
    if database.exists() and noted.exists() and noted.read_text(encoding="utf-8") == sql:
        return False
    make_folder(noted.parent)
    scratch = output_dir / f".{DATABASE}.{os.getpid()}"
    for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with _attaching, _duckdb().cursor() as db:
        db.execute(f"ATTACH {literal(str(scratch))} AS views (STORAGE_VERSION '{STORAGE_VERSION}')")
        db.execute("USE views")
        db.execute(sql)
        db.execute("USE memory")
        db.execute("DETACH views")
    with scratch.open("rb+") as written:
        os.fsync(written.fileno())
    scratch.replace(database)
    noted_scratch = noted.with_name(f".{DEFINITIONS}.{os.getpid()}")
    noted_scratch.write_text(sql, encoding="utf-8")
    noted_scratch.replace(noted)
    fsync_dir(output_dir)
    return True
