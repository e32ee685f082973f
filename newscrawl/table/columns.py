"""The table's typed columns, taken from the article schema, and JSON lines read into them.

Types come from the article schema (``items.load_schema``; the field names and order from
``items.py``): a field whose values are UTC times is a timestamp with time zone (UTC, seconds),
an array is a list of strings, an integer is a 32-bit integer, everything else is a string.
Lines of every schema version read alike: a key a line lacks (``tickers`` in a version-1 line)
is null, a key the schema does not know is ignored.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.json as pa_json

from newscrawl.items import ARTICLE_FIELDS, load_schema

UTC_TIME = "#/$defs/utc_datetime"
RUN = "run"  # the column naming the run whose file gave the row (``runs.jsonl``'s ``run``)
BLOCK_BYTES = 16 << 20  # the JSON reader's block: larger than any one article line


class TableError(Exception):
    """The table could not be brought up to date; the message says what and where."""


def arrow_type(spec: dict[str, Any]) -> pa.DataType:
    """The Arrow type of one property of the article JSON schema.

    >>> arrow_type({"oneOf": [{"$ref": "#/$defs/utc_datetime"}, {"type": "null"}]})
    TimestampType(timestamp[s, tz=UTC])
    >>> arrow_type({"type": "array", "items": {"type": "string"}})
    ListType(list<item: string>)
    >>> arrow_type({"type": "integer", "minimum": 1}), arrow_type({"const": 3})
    (DataType(int32), DataType(int32))
    >>> arrow_type({"type": ["string", "null"]})
    DataType(string)
    """
    refs = {spec.get("$ref"), *(option.get("$ref") for option in spec.get("oneOf", []))}
    if UTC_TIME in refs:
        return pa.timestamp("s", tz="UTC")
    if spec.get("type") == "array":
        return pa.list_(pa.string())
    if spec.get("type") == "integer" or isinstance(spec.get("const"), int):
        return pa.int32()
    return pa.string()


@functools.cache
def article_schema() -> pa.Schema:
    """Every article field (``ARTICLE_FIELDS``, in schema order) with its Arrow type."""
    properties = load_schema()["properties"]
    return pa.schema([(name, arrow_type(properties[name])) for name in ARTICLE_FIELDS])


@functools.cache
def table_schema() -> pa.Schema:
    """The columns of the table's Parquet files: the article fields without ``source`` (the
    partition says it), then ``run``."""
    fields = [field for field in article_schema() if field.name != "source"]
    return pa.schema([*fields, pa.field(RUN, pa.string())])


def read_lines(data: bytes, where: str) -> pa.Table:
    """JSON lines (any schema version) as a table of ``article_schema()``.

    Raises ``TableError`` naming ``where`` and the first line that cannot be read.
    """
    schema = article_schema()
    if not data.strip():
        return schema.empty_table()
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    try:
        return pa_json.read_json(
            io.BytesIO(data), pa_json.ReadOptions(block_size=BLOCK_BYTES), options
        )
    except pa.ArrowException as exc:
        raise TableError(f"{where}: {bad_line(data, options) or exc}") from exc


def read_file(path: Path) -> pa.Table:
    """One run's articles file as a table of ``article_schema()`` (``TableError`` if unreadable)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return read_lines(data, str(path))


def bad_line(data: bytes, options: pa_json.ParseOptions) -> str | None:
    """``line N: <why>`` for the first line that does not read on its own (the slow path,
    taken only once the whole file failed)."""
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            return f"line {number}: not JSON ({exc})"
        if not isinstance(record, dict):
            return f"line {number}: not a JSON object"
        try:
            pa_json.read_json(io.BytesIO(line), parse_options=options)
        except pa.ArrowException as exc:
            return f"line {number}: {exc}"
    return None
