"""The shared writers: one document, three formats, status cells the same way in each;
Word column widths come from the content so no heading or figure breaks inside a word."""

from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document as read_docx

from analytics.labels import STATUS, STATUS_COLOUR
from analytics.reports.document import (
    Column,
    Document,
    Heading,
    Lines,
    Number,
    Paragraph,
    Part,
    Status,
    Table,
)
from analytics.reports.writers import render
from analytics.reports.writers.common import content_widths
from analytics.reports.writers.docx import CELL_PAD_MM, CHAR_MM, column_widths_mm

HEADERS = ["Indicator", "Baseline", "Data quality", "County / England", "Commentary"]


def sample() -> Document:
    table = Table(
        [Column("Indicator", "lines"), Column("Baseline"), Column("Status", "status")]
        + [Column("Value", "number"), Column("Commentary", "wrap")],
        [
            [Lines(("NI 191", "Residual household waste"), True), "640.0 (2007/08)",
             Status("red", "12% above target"), Number(651.26, 1, "kg"), "<b>late</b> =1+1"],
            [Lines(("NI 32",), True), "–", Status("green"), Number(None), ""],
        ],
        name="t",
        row_keys=["NI 191", "NI 32"],
    )  # fmt: skip
    return Document("Title", "Sub", [Part("Part one", [Heading("H", 3), Paragraph("p"), table])])


def test__xlsx__status_cell_has_word_and_colour_and_number_stays_a_number():
    wb = openpyxl.load_workbook(io.BytesIO(render(sample(), "xlsx")))
    ws = wb.worksheets[0]
    rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
    row = rows["NI 191\nResidual household waste"]
    assert row[2].value == STATUS["red"]
    assert row[2].fill.fgColor.rgb[-6:] == STATUS_COLOUR["red"].lstrip("#").upper()
    assert row[3].value == pytest.approx(651.26) and row[3].number_format == "#,##0.0"
    assert row[4].value == "<b>late</b> =1+1" and row[4].data_type == "s"


def test__docx__status_cell_word_then_note_and_figure_in_its_unit():
    doc = read_docx(io.BytesIO(render(sample(), "docx")))
    table = doc.tables[0]
    cells = table.rows[1].cells
    assert [p.text for p in cells[2].paragraphs] == [STATUS["red"], "12% above target"]
    assert cells[3].text == "651.3 kg"


def test__html__escapes_text_and_tags_status_and_rows():
    page = render(sample(), "html").decode()
    assert "<b>late</b>" not in page and "&lt;b&gt;late&lt;/b&gt;" in page
    assert 'data-code="NI 191"' in page and 'data-status="red"' in page


@pytest.mark.parametrize(
    ("headers", "rows", "total"),
    [
        (HEADERS, [["NI 191 Residual household waste", "640.0", "ok", "13.18", "x " * 200]], 160),
        (HEADERS, [], 160),
        (["Baseline", "Data quality"], [["12,345.67 (2007/08)", "Provisional"]], 40),
        (["A", "B"], [["a", "b"]], 100),
    ],
)
def test__content_widths__every_column_fits_its_longest_word_and_they_fill_the_width(
    headers, rows, total
):
    widths = content_widths(headers, rows, total)
    assert sum(widths) == pytest.approx(total)
    for j, header in enumerate(headers):
        words = header.split() + [w for r in rows for w in str(r[j]).split()]
        assert widths[j] >= max(len(w) for w in words), (header, widths)


def test__docx_widths__no_heading_of_the_exception_report_breaks_in_a_word():
    """The appendix's narrow columns: 'Baseline', 'Data quality', 'County / England' and the
    figures fit on whole words at 8 pt within a landscape page."""
    columns = [Column(h) for h in HEADERS]
    table = Table(columns, [["NI 191: residual waste", "640.0 (2007/08)", "Provisional",
                             "County 13.18", "A long commentary " * 20]])  # fmt: skip
    widths = column_widths_mm(table, 267)
    assert sum(widths) == pytest.approx(267)
    for width, header in zip(widths, HEADERS, strict=True):
        longest = max(len(w) for w in header.split())
        assert (width - CELL_PAD_MM) / CHAR_MM >= longest * 1.1, header
