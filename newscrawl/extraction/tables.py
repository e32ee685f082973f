"""Tables as their authors laid them out: one Markdown table, one line per row, cells in order.

A results release's table read cell by cell ("Revenue", "412.6", "371.9", "+11%" as four
paragraphs) loses what each figure is. Schema v3 writes a data table as one body paragraph:
a header row, a ``---`` row, then one line per row (CONTRACT, "Version 3"). Tables used for
layout (one column, one row, or cells holding whole paragraphs) are not data: their text is
read as ordinary paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_ROWS: Any = etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
_CELLS: Any = etree.XPath("./td | ./th")
_NESTED: Any = etree.XPath(".//table")
_STRING: Any = etree.XPath("string()")
_MAX_CELL_WORDS = 40  # a cell holding more is a paragraph laid out in a table
_MAX_SPAN = 50  # colspan="1000" is a typo, not a thousand columns
_LINE = re.compile(r"^\|.*\|$")
# A figure's sign printed in a cell of its own: "$" "412.6", "(12.3" ")", "11" "%".
_LEADING_SIGN = re.compile(r"^(?:[A-Z]{0,3}[$\u20ac\u00a3\u00a5]|\u20ac|\(|[A-Z]{0,3}\$\()$")
_TRAILING_SIGN = re.compile(r"^(?:\)|%|\)%|%\)|pts?|bp)$")
_FIGURE = re.compile(r"^[(+\-\u2212]?[$\u20ac\u00a3\u00a5]?\d")


def cell_text(cell: Any) -> str:
    r"""A cell's text on one line, a ``|`` in it escaped so it stays inside its cell.

    >>> from lxml import html
    >>> cell_text(html.fromstring("<td> EUR <br>million | net </td>"))
    'EUR million \\| net'
    """
    return " ".join(str(_STRING(cell)).split()).replace("|", "\\|")


def table_rows(table: Any) -> list[list[str]]:
    """The text of a table's own rows (not of a table nested in it), a cell spanning columns
    (``colspan``) followed by empty cells, every row as wide as the widest.

    >>> from lxml import html
    >>> t = html.fromstring("<table><tr><th colspan=2>Q3</th></tr><tr><td>$</td><td>4</td>"
    ...                     "</tr><tr><td>x</td></tr></table>")
    >>> table_rows(t)
    [['Q3', ''], ['$', '4'], ['x', '']]
    """
    rows: list[list[str]] = []
    for row in _ROWS(table):
        cells: list[str] = []
        for cell in _CELLS(row):
            span = cell.get("colspan", "1").strip()
            width = min(int(span), _MAX_SPAN) if span.isdigit() and int(span) > 0 else 1
            cells += [cell_text(cell), *[""] * (width - 1)]
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def join_signs(cells: list[str]) -> list[str]:
    """A sign printed in a cell of its own joined to its figure, its own cell left empty.

    >>> join_signs(["Revenue", "$", "412.6", "(12.3", ")", "11", "%", "$", ""])
    ['Revenue', '', '$412.6', '(12.3)', '', '11%', '', '$', '']
    """
    cells = list(cells)
    for index, cell in enumerate(cells):
        following = cells[index + 1] if index + 1 < len(cells) else ""
        if _LEADING_SIGN.match(cell) and _FIGURE.match(following):
            cells[index], cells[index + 1] = "", cell + following
        elif _TRAILING_SIGN.match(cell) and index and _FIGURE.match(cells[index - 1]):
            cells[index - 1], cells[index] = cells[index - 1] + cell, ""
    return cells


def merge_split_columns(rows: list[list[str]]) -> list[list[str]]:
    """One column where the page split one into several: two neighbouring columns that never
    both hold text in one row (a currency sign's own cell, a spacer, a heading spanning its
    figure and the sign before it) become one, from the right, as ``colspan`` puts a heading in
    the first of its columns; a column empty in every row goes. Rows empty throughout go.

    >>> merge_split_columns([["", "Q3", "", "Q2"], ["Sales", "$", "", "4"], ["", "", "", ""]])
    [['', 'Q3', 'Q2'], ['Sales', '$', '4']]
    >>> merge_split_columns([["Item", "Q3 2025"], ["Revenue", "412.6"]])
    [['Item', 'Q3 2025'], ['Revenue', '412.6']]
    """
    rows = [r for r in rows if any(r)]
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else []
    merged: list[list[str]] = []  # right to left: a spanning cell's text is in its first column
    for column in reversed(columns):
        following = merged[0] if merged else None
        if following is not None and not any(
            a and b for a, b in zip(column, following, strict=True)
        ):
            merged[0] = [a or b for a, b in zip(column, following, strict=True)]
        else:
            merged.insert(0, column)
    return [list(r) for r in zip(*merged, strict=True)] if merged else []


def _line(cells: list[str]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a Markdown table: the first row its header, a ``---`` row, one line per row;
    an empty cell is one space (the schema allows no double spaces).

    >>> print(markdown_table([["EUR million", "Q3 2025"], ["Revenue", "412.6"], ["EPS", ""]]))
    | EUR million | Q3 2025 |
    | --- | --- |
    | Revenue | 412.6 |
    | EPS | |
    """
    header, *body = rows
    rule = _line(["---"] * len(header))
    return "\n".join([_line(header), rule, *map(_line, body)])


def is_layout(table: Any, rows: list[list[str]]) -> bool:
    """Whether a table only lays text out: fewer than two rows or columns once split columns
    are merged, a table inside its cells, or a cell holding a paragraph's worth of words (a
    figure in a ``<p>`` of its own, as PR Newswire writes cells, is still a cell)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return True
    cells = (cell for row in _ROWS(table) for cell in _CELLS(row))
    if any(_NESTED(cell) for cell in cells):
        return True
    return any(len(cell.split()) > _MAX_CELL_WORDS for row in rows for cell in row)


def table_markdown(table: Any) -> str | None:
    """A ``<table>`` element as one Markdown table paragraph; None for a layout table, whose
    text the caller reads as usual.

    >>> from lxml import html
    >>> print(table_markdown(html.fromstring(
    ...     "<table><tr><td><b>EUR million</b></td><td>Q3 2025</td><td>Change</td></tr>"
    ...     "<tr><td>Revenue</td><td>412.6</td><td>+11%</td></tr></table>")))
    | EUR million | Q3 2025 | Change |
    | --- | --- | --- |
    | Revenue | 412.6 | +11% |
    >>> table_markdown(html.fromstring("<table><tr><td><p>A whole story</p></td></tr></table>"))
    >>> table_markdown(html.fromstring("<table><tr><td><p>Sales</p></td><td><p>4.1</p></td></tr>"
    ...                                "<tr><td><p>Net</p></td><td><p>0.9</p></td></tr></table>"))
    '| Sales | 4.1 |\\n| --- | --- |\\n| Net | 0.9 |'
    """
    rows = merge_split_columns([join_signs(row) for row in table_rows(table)])
    if is_layout(table, rows):
        return None
    return markdown_table(rows)


def is_table_line(line: str) -> bool:
    """Whether a line of body text is a row of a Markdown table.

    >>> is_table_line("| Revenue | 412.6 |"), is_table_line("Revenue | 412.6")
    (True, False)
    """
    return bool(_LINE.match(line))


def is_table(paragraph: str) -> bool:
    """Whether a body paragraph is a Markdown table (every line a row, a ``---`` rule second).

    >>> is_table("| A | B |\\n| --- | --- |\\n| 1 | 2 |"), is_table("| A |")
    (True, False)
    """
    lines = paragraph.split("\n")
    return len(lines) >= 2 and all(map(is_table_line, lines)) and "---" in lines[1]


def keep_tables_whole(lines: list[str]) -> list[str]:
    """Lines of text with each run of table rows joined into one paragraph (by line breaks),
    so that paragraph rules which split at every line leave a table whole.

    >>> keep_tables_whole(["Intro.", "| A | B |", "| --- | --- |", "| 1 | 2 |", "After."])
    ['Intro.', '| A | B |\\n| --- | --- |\\n| 1 | 2 |', 'After.']
    """
    kept: list[str] = []
    for line in lines:
        if kept and is_table_line(line) and is_table_line(kept[-1].rsplit("\n", 1)[-1]):
            kept[-1] = f"{kept[-1]}\n{line}"
        else:
            kept.append(line)
    return kept
