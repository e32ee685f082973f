"""Bringing the articles table up to date from runs' JSON lines: one run, the runs not yet in
it, or all of them (a rebuild).

The rule: one row per story ``id``, from the latest run that wrote the story (runs in run
order, ``index.run_key``; within one run, its last line). A re-extraction's row thus replaces
the first extraction's, and a story's copies on other wires are rows of their own (their ids
differ), linked by ``cluster_id``. Applying a run rewrites only the partitions its stories go
to or come from; applying it again changes nothing; a kill leaves each partition old or new,
and the run unrecorded, so applying it again after a crash finishes the job.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc

from newscrawl.run.files import make_folder
from newscrawl.run.layout import MANIFEST
from newscrawl.table import arrays
from newscrawl.table.columns import RUN, TableError, read_file
from newscrawl.table.index import INDEX_FILE, TableIndex, run_key
from newscrawl.table.marks import ManifestLine, Mark, applied_through, lines_after
from newscrawl.table.partitions import clear_scratch, months, partition_file, replace_rows
from newscrawl.table.views import write_views

logger = logging.getLogger(__name__)

TABLE_DIR = "table"
LOCK_FILE = ".lock"
BATCH_BYTES = 256 << 20  # JSON lines applied at once when catching up (memory, not speed)


@dataclass(frozen=True)
class RunFile:
    """One run's articles file, as ``runs.jsonl`` lists it."""

    source: str
    run: str
    path: Path


@contextlib.contextmanager
def locked_table(output_dir: Path, *, anew: bool = False) -> Iterator[tuple[TableIndex, bool]]:
    """The table's index, with the table locked against other updates (they wait), and
    whether every source's runs must be applied, not only the caller's: the table is new
    (its folder removed by hand, say) or cleared (``anew``, or found without its index)."""
    table = output_dir / TABLE_DIR
    make_folder(table)
    with (table / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        new = not (table / INDEX_FILE).exists()
        index = TableIndex(table)
        if new and not anew and any(table.glob("source=*")):
            logger.warning("the table in %s has no index: it is rebuilt", table)
            anew = True
        if anew:
            index.close()
            clear(table)
            index = TableIndex(table)
        try:
            yield index, anew or new
        finally:
            index.close()


def apply_run(output_dir: Path, source: str, run_name: str, articles_path: Path) -> int:
    """Bring ``<output_dir>/table/`` up to date with one run's articles file, after the runs of
    its source that ``runs.jsonl`` lists and the table does not hold yet (a crash or a failed
    update left them out); then the views. The run's commit calls it before listing the run.

    Safe to call again (after a crash, or twice): a run already applied changes nothing.
    Returns the number of rows written. Raises ``TableError`` (what and where) or ``OSError``.
    """
    return update(output_dir, [source], anew=False, also=RunFile(source, run_name, articles_path))


def catch_up(output_dir: Path, sources: list[str] | None = None) -> int:
    """Apply every run listed in ``runs.jsonl`` (of ``sources``, default all) that the table
    does not hold yet, oldest first; then write the views. Returns the rows written.

    A run that cannot be applied (its file gone or unreadable) does not hold back the others;
    ``TableError`` names it once the rest is done.
    """
    return update(output_dir, sources, anew=False)


def rebuild(output_dir: Path) -> int:
    """Build the table anew from every listed run's JSON lines (as ``catch_up``)."""
    return update(output_dir, None, anew=True)


def update(
    output_dir: Path, sources: list[str] | None, *, anew: bool, also: RunFile | None = None
) -> int:
    """The listed runs of ``sources`` (all: None) the table does not hold, and then ``also``,
    a run not listed yet (its commit is under way), unless the table holds it; the views.
    The index failing (a full disk, a read-only file) is a ``TableError`` naming it, as a
    partition that cannot be written is an ``OSError``: never a traceback."""
    try:
        with locked_table(output_dir, anew=anew) as (index, every_source):
            every = None if every_source else sources
            written, problems = apply_pending(output_dir, index, every)
            if also is not None and not index.is_applied(also.source, also.run):
                done, left_out = apply_runs(index, [also])
                written, problems = written + done, problems + left_out
    except sqlite3.Error as exc:
        raise TableError(f"{output_dir / TABLE_DIR / INDEX_FILE}: {exc}") from None
    write_views(output_dir)
    if problems:
        raise TableError(summary(problems))
    return written


def summary(problems: list[str]) -> str:
    """The first problem, and how many more there were."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


def apply_pending(
    output_dir: Path, index: TableIndex, sources: list[str] | None
) -> tuple[int, list[str]]:
    """Apply the listed runs not applied yet: (rows written, what could not be applied)."""
    written, problems = 0, []
    for source in sources if sources is not None else listed_sources(output_dir):
        lines = lines_after(output_dir / source / MANIFEST, index.mark(source))
        pending = pending_runs(output_dir, source, lines, partial(index.is_applied, source))
        for batch in batches(pending):
            done, left_out = apply_runs(index, batch)
            written += done
            problems += left_out
        # Only the pending runs can still be missing: each listed run is looked up once.
        missing = {run.run for run in pending if not index.is_applied(source, run.run)}
        if (reached := applied_through(lines, missing)) and reached.digest:
            index.set_mark(source, Mark(reached.end, reached.digest))
    return written, problems


def clear(table: Path) -> None:
    """Remove the table's partitions and index (not its lock)."""
    for source in table.glob("source=*"):
        shutil.rmtree(source)
    for name in (INDEX_FILE, f"{INDEX_FILE}-wal", f"{INDEX_FILE}-shm"):
        (table / name).unlink(missing_ok=True)


def listed_sources(output_dir: Path) -> list[str]:
    """The sources with a ``runs.jsonl`` in the output folder."""
    return sorted(path.parent.name for path in output_dir.glob(f"*/{MANIFEST}"))


def pending_runs(
    output_dir: Path, source: str, lines: list[ManifestLine], applied: Callable[[str], bool]
) -> list[RunFile]:
    """The runs of ``lines`` with a file, not ``applied`` yet, in run order (a run listed
    twice: its last line)."""
    listed = {item.run: output_dir / item.file for item in lines if item.run and item.file}
    runs = sorted((run for run in listed if not applied(run)), key=run_key)
    return [RunFile(source, run, listed[run]) for run in runs]


def batches(runs: list[RunFile]) -> Iterator[list[RunFile]]:
    """Consecutive runs, up to ``BATCH_BYTES`` of JSON lines each (at least one run)."""
    batch: list[RunFile] = []
    size = 0
    for run in runs:
        length = run.path.stat().st_size if run.path.exists() else 0
        if batch and size + length > BATCH_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(run)
        size += length
    if batch:
        yield batch


def apply_runs(index: TableIndex, runs: list[RunFile]) -> tuple[int, list[str]]:
    """Merge runs of one source (in run order) into the table and record them in the index:
    (rows written, why each run that could not be read was left out)."""
    parts, applied, problems = [], [], []
    for run in runs:
        try:
            if run.path.stat().st_size:  # a run with nothing new has nothing to read
                parts.append(with_run(read_file(run.path), run))
        except OSError as exc:
            problems.append(f"cannot read {run.path}: {exc.strerror or exc}")
            continue
        except TableError as exc:
            problems.append(str(exc))
            continue
        applied.append(run.run)
    if not parts:
        index.record(runs[0].source, applied, [])
        return 0, problems
    table, source = index.path.parent, runs[0].source
    clear_scratch(table, source)
    entries = merge(table, index, source, latest_rows(pa.concat_tables(parts)))
    index.record(source, applied, entries)
    logger.info("table: %d rows of %s from %d runs", len(entries), source, len(applied))
    return len(entries), problems


def with_run(articles: pa.Table, run: RunFile) -> pa.Table:
    """The articles of ``run`` with its name; ``TableError`` if a line has no id or names
    another source (a line without ``source`` is the folder's)."""
    if articles.column("id").null_count:
        raise TableError(f"{run.path}: {articles.column('id').null_count} lines without an id")
    sources = set(articles.column("source").drop_null().unique().to_pylist())
    if sources - {run.source}:
        others = ", ".join(sorted(map(str, sources - {run.source})))
        raise TableError(f"{run.path}: articles of {others} in a file of {run.source}")
    return articles.append_column(RUN, arrays.strings([run.run] * articles.num_rows))


def latest_rows(rows: pa.Table) -> pa.Table:
    """One row per ``id``: its last (rows come in run order, then line order)."""
    if pc.count_distinct(rows.column("id")).as_py() == rows.num_rows:
        return rows
    last = {story: at for at, story in enumerate(strings(rows, "id"))}
    return rows.take(arrays.positions(sorted(last.values())))


def merge(
    table: Path, index: TableIndex, source: str, rows: pa.Table
) -> list[tuple[str, str | None, str]]:
    """Put ``rows`` (one per id) in the table where they are newer than the row it holds;
    the ``(id, month, run)`` of the rows written, for the index."""
    old = index.lookup(strings(rows, "id"))
    newer = [
        i not in old or run_key(run) >= run_key(old[i][1])
        for i, run in zip(strings(rows, "id"), strings(rows, RUN), strict=True)
    ]
    rows = rows.filter(arrays.booleans(newer))
    ids, runs, new_months = strings(rows, "id"), strings(rows, RUN), months(rows)
    drop = arrays.strings(ids)
    touched = {*new_months, *(old[i][0] for i in ids if i in old)}
    for month in sorted(touched, key=lambda m: m or ""):
        here = arrays.booleans([row_month == month for row_month in new_months])
        replace_rows(partition_file(table, source, month), drop, rows.filter(here))
    return list(zip(ids, new_months, runs, strict=True))


def strings(rows: pa.Table, column: str) -> list[str]:
    """A column that is never null (``id``, ``run``), as Python strings."""
    return cast(list[str], rows.column(column).to_pylist())
