"""Tables as Markdown tables, layout tables as text (extraction/tables.py)."""

from __future__ import annotations

from lxml import html

from newscrawl.extraction.tables import (
    is_table,
    keep_tables_whole,
    merge_split_columns,
    table_markdown,
)


def test_a_results_table_keeps_each_row_on_one_line_with_its_cells_in_order() -> None:
    table = html.fromstring(
        "<table><tr><td><strong>EUR million</strong></td><td>Q3 2025</td><td>Q3 2024</td>"
        "<td>Change</td></tr><tr><td>Revenue</td><td>412.6</td><td>371.9</td><td>+11%</td></tr>"
        "<tr><td>Earnings per share (EUR)</td><td>0.52</td><td>0.38</td><td>+37%</td></tr></table>"
    )
    assert table_markdown(table) == (
        "| EUR million | Q3 2025 | Q3 2024 | Change |\n| --- | --- | --- | --- |\n"
        "| Revenue | 412.6 | 371.9 | +11% |\n| Earnings per share (EUR) | 0.52 | 0.38 | +37% |"
    )


def test_signs_in_cells_of_their_own_and_spanning_headings_line_up() -> None:
    """A financial statement's layout: "$" and ")" in cells of their own, a heading spanning
    the sign and the figure, spacer rows and columns (written after the rule)."""
    table = html.fromstring(
        "<table><thead><tr><td></td><td colspan=2>2025</td><td colspan=2>2024</td></tr></thead>"
        "<tbody><tr><td>Net sales</td><td>$</td><td>231,512</td><td>$</td><td>217,588</td></tr>"
        "<tr><td>&#160;</td><td></td><td></td><td></td><td></td></tr>"
        "<tr><td>Operating income (loss)</td><td></td><td>(1,204</td><td>)</td><td>9,772</td>"
        "</tr></tbody></table>"
    )
    assert table_markdown(table) == (
        "| | 2025 | 2024 |\n| --- | --- | --- |\n| Net sales | $231,512 | $217,588 |\n"
        "| Operating income (loss) | (1,204) | 9,772 |"
    )


def test_layout_tables_are_not_data() -> None:
    one_cell = html.fromstring(
        "<table><tr><td><p>About Acme</p><p>Acme makes.</p></td></tr></table>"
    )
    one_column = html.fromstring("<table><tr><td>Photo</td></tr><tr><td>Caption</td></tr></table>")
    long_cell = html.fromstring(
        "<table><tr><td>Logo</td><td>" + "word " * 60 + "</td></tr><tr><td>a</td><td>b</td></tr>"
        "</table>"
    )
    nested = html.fromstring(
        "<table><tr><td><table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr>"
        "</table></td><td>x</td></tr><tr><td>y</td><td>z</td></tr></table>"
    )
    assert [table_markdown(t) for t in (one_cell, one_column, long_cell, nested)] == [None] * 4
    inner = nested.find(".//table")
    assert table_markdown(inner) == "| A | 1 |\n| --- | --- |\n| B | 2 |"


def test_a_pipe_in_a_cell_stays_in_its_cell_and_empty_cells_are_one_space() -> None:
    table = html.fromstring(
        "<table><tr><th>Name</th><th>Note</th><th>Value</th></tr>"
        "<tr><td>A | B</td><td></td><td>1</td></tr></table>"
    )
    assert (
        table_markdown(table) == "| Name | Note | Value |\n| --- | --- | --- |\n| A \\| B | | 1 |"
    )


def test_table_lines_stay_one_paragraph() -> None:
    lines = ["Lead.", "| A | B |", "| --- | --- |", "| 1 | 2 |", "| C |", "Next."]
    kept = keep_tables_whole(lines)
    assert kept == ["Lead.", "| A | B |\n| --- | --- |\n| 1 | 2 |\n| C |", "Next."]
    assert is_table(kept[1])
    assert merge_split_columns([]) == []


def test_cells_written_as_paragraphs_are_still_cells() -> None:
    """PR Newswire writes each cell's text in a ``<p>`` of its own (written after the rule)."""
    table = html.fromstring(
        '<table class="prntblns"><tr><td><p class="prnews_p">(US$ millions)</p></td>'
        '<td><p class="prnews_p"><b>Q2 2025</b></p></td><td><p class="prnews_p"><b>Q2 2024</b>'
        '</p></td></tr><tr><td><p class="prnews_p">Revenue</p></td><td><p class="prnews_p">'
        '1,204.5</p></td><td><p class="prnews_p">1,118.0</p></td></tr></table>'
    )
    assert table_markdown(table) == (
        "| (US$ millions) | Q2 2025 | Q2 2024 |\n| --- | --- | --- |\n"
        "| Revenue | 1,204.5 | 1,118.0 |"
    )
