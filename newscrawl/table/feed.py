"""ParquetItemExporter: Scrapy's ``-o FILE.parquet`` (format ``parquet``), with the table's
typed columns (``columns.article_schema()``: UTC timestamps, lists, integers).

Registered in ``FEED_EXPORTERS``; it takes the fields Scrapy gives it (``FEED_EXPORT_FIELDS``:
the article's), and writes a row group every ``ROW_GROUP`` items, so memory stays bounded.
A Parquet file cannot be appended to: ``-o`` onto an existing non-empty file is refused (use
``-O`` to overwrite it).
"""

from __future__ import annotations

from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from newscrawl.table.columns import article_schema, read_lines

ROW_GROUP = 10_000


class ParquetAppendError(ValueError):
    """``-o`` named a non-empty file: Parquet has no append."""


class ParquetItemExporter(BaseItemExporter):
    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.columns = export_columns(self.fields_to_export)  # (field, column name) pairs
        self.lines: list[bytes] = []
        self.writer: pq.ParquetWriter | None = None

    def start_exporting(self) -> None:
        if written_before(self.file):  # Scrapy's -o opens the file for appending
            raise ParquetAppendError(
                f"{getattr(self.file, 'name', 'the feed file')} is not empty and a Parquet "
                "file cannot be appended to: use -O to overwrite it"
            )
        self.writer = pq.ParquetWriter(self.file, self.schema(), compression="zstd")

    def schema(self) -> pa.Schema:
        """The article schema's types for the exported columns, in their order."""
        types = article_schema()
        return pa.schema([(name, types.field(field).type) for field, name in self.columns])

    def export_item(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.lines.append(orjson.dumps({f: adapter.get(f) for f, _ in self.columns}))
        if len(self.lines) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        """Write the buffered items as one row group (typed as the JSON lines are read)."""
        if not self.lines or self.writer is None:
            return
        rows = read_lines(b"\n".join(self.lines), "the feed's items")
        fields = [field for field, _ in self.columns]
        self.writer.write_table(rows.select(fields).rename_columns(self.writer.schema.names))
        self.lines = []

    def finish_exporting(self) -> None:
        if self.writer is None:
            return
        self.flush()
        self.writer.close()
        self.writer = None


def export_columns(fields: Any) -> list[tuple[str, str]]:
    """``(field, column name)`` pairs of ``FEED_EXPORT_FIELDS`` (a list, or a dict renaming
    fields; every article field when unset). ``ValueError`` for a field with no article type."""
    fields = fields or article_schema().names
    pairs = list(fields.items()) if isinstance(fields, dict) else [(f, f) for f in fields]
    unknown = [field for field, _ in pairs if field not in article_schema().names]
    if unknown:
        raise ValueError(f"the parquet feed has no type for {', '.join(unknown)}")
    return pairs


def written_before(file: IO[bytes]) -> bool:
    """True if ``file`` (opened for appending) already holds bytes; a pipe never does."""
    try:
        return file.tell() > 0
    except OSError:  # stdout, a pipe: nothing to append to
        return False
