"""Arrow arrays of Python values, made from buffers: a crawl's table update imports no pandas.

``pa.array`` and ``pa.scalar`` first ask whether a value is a pandas object, and to ask, import
pandas wherever it is installed (pyarrow's lazy pandas shim): 0.3 s of every run that updates
the table, for arrays that hold a few strings or flags. The arrays here are the same Arrow
arrays, laid out as the Arrow columnar format says (validity bitmap, offsets, data).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pyarrow as pa


def bitmap(flags: Sequence[bool]) -> pa.Buffer:
    """One bit per flag, least significant bit first (Arrow's bitmaps)."""
    return pa.py_buffer(np.packbits(np.array(flags, dtype=bool), bitorder="little").tobytes())


def booleans(flags: Sequence[bool]) -> pa.BooleanArray:
    """``pa.array(flags, pa.bool_())``, without pandas.

    >>> booleans([True, False, True]).to_pylist()
    [True, False, True]
    """
    return cast(
        pa.BooleanArray, pa.Array.from_buffers(pa.bool_(), len(flags), [None, bitmap(flags)])
    )


def strings(values: Sequence[str | None]) -> pa.StringArray:
    """``pa.array(values, pa.string())``, without pandas (None is null).

    >>> strings(["2025-07", None, "é"]).to_pylist()
    ['2025-07', None, 'é']
    >>> strings([]).to_pylist()
    []
    """
    data = [b"" if value is None else value.encode() for value in values]
    offsets = np.zeros(len(data) + 1, dtype="<i4")
    np.cumsum([len(value) for value in data], out=offsets[1:])
    valid = None if None not in values else bitmap([value is not None for value in values])
    buffers = [valid, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data))]
    return cast(pa.StringArray, pa.Array.from_buffers(pa.string(), len(data), buffers))


def positions(indices: Sequence[int]) -> pa.Int64Array:
    """``pa.array(indices, pa.int64())``, without pandas.

    >>> positions([2, 0]).to_pylist()
    [2, 0]
    """
    data = pa.py_buffer(np.array(indices, dtype="<i8").tobytes())
    return cast(pa.Int64Array, pa.Array.from_buffers(pa.int64(), len(indices), [None, data]))
