"""The table's files: one Parquet file per source and publication month, Hive-style, each
replaced whole and atomically.

``table/source=<source>/month=<YYYY-MM>/articles.parquet``; a story whose ``published_at`` is
null is in ``month=undated``: its month is unknown, never guessed (not its crawl month). Not
Hive's null (``__HIVE_DEFAULT_PARTITION__``): pandas cannot read a table holding one (pyarrow
26: "Cannot yet unify dictionaries with nulls"), while ``undated`` reads in every reader.
Months are UTC months, as ``published_at`` is UTC.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newscrawl.run.files import fsync_dir, make_folder
from newscrawl.table.columns import table_schema

NULL_MONTH = "undated"  # the partition of the stories whose published_at is null
DATA_FILE = "articles.parquet"
SCRATCH_PREFIX = ".articles.parquet."  # hidden from readers: a dot name, not *.parquet
ORDER: list[tuple[str, Literal["ascending", "descending"]]] = [
    ("published_at", "ascending"),
    ("id", "ascending"),
]  # stable bytes, tight statistics


def partition_file(table: Path, source: str, month: str | None) -> Path:
    """The file of one partition.

    >>> partition_file(Path("t"), "menafn", "2025-07").as_posix()
    't/source=menafn/month=2025-07/articles.parquet'
    >>> partition_file(Path("t"), "menafn", None).parent.name
    'month=undated'
    """
    return table / f"source={source}" / f"month={month or NULL_MONTH}" / DATA_FILE


def months(rows: pa.Table) -> list[str | None]:
    """Each row's publication month, ``YYYY-MM`` in UTC, or None."""
    month: list[str | None] = pc.strftime(rows.column("published_at"), format="%Y-%m").to_pylist()
    return month


def read_partition(path: Path) -> pa.Table:
    """A partition's rows (none if it has no file yet)."""
    schema = table_schema()
    if not path.exists():
        return pa.Table.from_batches([], schema)  # schema.empty_table() imports pandas
    with pq.ParquetFile(path) as rows:  # read_table() imports pandas (``arrays.py``)
        if rows.schema_arrow.names == schema.names:  # this version's columns (times in ms)
            return rows.read().cast(schema)
    return pq.read_table(path, schema=schema)  # another version's columns, read into these


def replace_rows(path: Path, drop_ids: pa.StringArray, add: pa.Table) -> None:
    """Rewrite one partition without the rows whose ``id`` is in ``drop_ids``, plus ``add``.

    The new file replaces the old one by a rename after an fsync, so a kill leaves one or the
    other, never half a file; a partition left with no row loses its file and folder.
    """
    old = read_partition(path)
    kept = old.filter(pc.invert(pc.is_in(old.column("id"), value_set=drop_ids)))
    rows = pa.concat_tables([kept, add.select(table_schema().names)])
    if rows.num_rows == 0:
        remove_partition(path)
        return
    write_atomically(path, rows.sort_by(ORDER))


def write_atomically(path: Path, rows: pa.Table) -> None:
    """Write ``rows`` to ``path`` through a hidden scratch file, fsynced, then renamed."""
    make_folder(path.parent)
    scratch = path.with_name(f"{SCRATCH_PREFIX}{os.getpid()}")
    try:
        with scratch.open("wb") as out:
            pq.write_table(rows, out, compression="zstd")
            out.flush()
            os.fsync(out.fileno())
        scratch.replace(path)
    finally:
        scratch.unlink(missing_ok=True)
    fsync_dir(path.parent)


def remove_partition(path: Path) -> None:
    """Delete a partition's file, then its folder and its source's folder if left empty."""
    path.unlink(missing_ok=True)
    for folder in (path.parent, path.parent.parent):
        with contextlib.suppress(OSError):  # not empty (or gone): it stays
            folder.rmdir()
    if path.parent.parent.parent.exists():
        fsync_dir(path.parent.parent.parent)


def clear_scratch(table: Path, source: str) -> None:
    """Remove the scratch files a killed update left in a source's partitions."""
    for scratch in (table / f"source={source}").glob(f"month=*/{SCRATCH_PREFIX}*"):
        scratch.unlink(missing_ok=True)
