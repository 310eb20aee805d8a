"""A document as a Word file (python-docx): a committee-report appendix, landscape A4 by
default. Tables repeat their header row on each page and keep rows whole; status cells are
shaded with the status colour and carry word and symbol; column widths come from what the
columns hold, so no heading or number breaks inside a word; charts are PNG images rendered
from their Vega-Lite spec (with their text alternative as the image description).
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analytics import charts
from analytics.reports.document import (
    Bullets,
    Chart,
    ChartGrid,
    Document,
    Facts,
    Heading,
    Lines,
    Paragraph,
    Status,
    Table,
)
from analytics.reports.text import clean
from analytics.reports.writers.common import (
    HEADER_SHADE,
    cell_lines,
    content_widths,
    status_fill,
)

FONT_PT = 8
# Arial at 8 pt: about 1.55 mm a character on average (capitals and digits are wider), and
# Word's default cell margins take 1.9 mm each side.
CHAR_MM = 1.55
CELL_PAD_MM = 4.0
MARGIN_MM = 15


def _shade(cell, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#"))
    props.append(shd)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _write(cell, lines, size: float = FONT_PT, bold_first: bool = False, colour=None):
    """Fill a cell with one paragraph per line (text is cleaned; python-docx escapes XML)."""
    cell.text = ""
    lines = [clean(line) for line in lines if clean(line)] or [""]
    for k, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(line)
        run.font.size = Pt(size if k == 0 or not bold_first else size - 0.5)
        run.bold = bold_first and k == 0
        if colour:
            run.font.color.rgb = _rgb(colour)


def text_width_mm(doc_width_mm: float) -> float:
    return doc_width_mm - 2 * MARGIN_MM


def column_widths_mm(table: Table, total_mm: float) -> list[float]:
    """Widths in mm from the content (see :func:`common.content_widths`)."""
    headers = [c.header for c in table.columns]
    n = len(headers)
    chars_total = (total_mm - n * CELL_PAD_MM) / CHAR_MM
    chars = content_widths(headers, table.rows, chars_total, minimum=3, header_scale=1.12)
    return [c * CHAR_MM + CELL_PAD_MM for c in chars]


def _table(doc, table: Table, total_mm: float) -> None:
    widths = column_widths_mm(table, total_mm)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    header = grid.rows[0]
    _repeat_header(header)
    for cell, col in zip(header.cells, table.columns, strict=True):
        if col.status:
            fill, text = status_fill(Status(col.status))
            _write(cell, cell_lines(Status(col.status)), bold_first=True, colour=text)
            _shade(cell, fill or HEADER_SHADE)
        else:
            _write(cell, [col.header], bold_first=True, colour="#FFFFFF")
            _shade(cell, HEADER_SHADE)
    for i, values in enumerate(table.rows):
        cells = grid.add_row().cells
        total = table.total_last and i == len(table.rows) - 1
        for cell, col, value in zip(cells, table.columns, values, strict=False):
            if isinstance(value, Status):
                fill, text = status_fill(value)
                _write(cell, cell_lines(value), bold_first=True, colour=text)
                if fill:
                    _shade(cell, fill)
            else:
                bold = total or (isinstance(value, Lines) and value.bold_first)
                _write(cell, cell_lines(value), bold_first=bold)
            if col.align != "left":
                align = WD_ALIGN_PARAGRAPH.RIGHT
                if col.align == "center":
                    align = WD_ALIGN_PARAGRAPH.CENTER
                for paragraph in cell.paragraphs:
                    paragraph.alignment = align
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    for row in grid.rows[1:]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    if not table.rows:
        doc.add_paragraph(table.empty_text)


def _picture(doc, chart: Chart, width_mm: float, run=None) -> None:
    png = charts.to_png(chart.resolved(), width=chart.width_px)
    target = run or doc.add_paragraph().add_run()
    shape = target.add_picture(io.BytesIO(png), width=Mm(width_mm))
    props = shape._inline.docPr
    props.set("descr", clean(f"{chart.title}. {chart.description}"))
    props.set("title", clean(chart.title))


def _chart_grid(doc, grid: ChartGrid, total_mm: float) -> None:
    n = max(grid.columns, 1)
    width = total_mm / n
    layout = doc.add_table(rows=0, cols=n)
    layout.autofit = False
    for start in range(0, len(grid.charts), n):
        cells = layout.add_row().cells
        for cell, chart in zip(cells, grid.charts[start : start + n], strict=False):
            title = cell.paragraphs[0]
            run = title.add_run(chart.title)
            run.bold, run.font.size = True, Pt(FONT_PT)
            _picture(doc, chart, width - 6, run=cell.add_paragraph().add_run())
        for cell in cells:
            cell.width = Mm(width)


def write_docx(document: Document) -> bytes:
    doc = new_document()
    page_w, page_h = (297, 210) if document.landscape else (210, 297)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if document.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page_w), Mm(page_h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    if document.footer:
        footer = section.footer.paragraphs[0]
        footer.text = document.footer
        footer.runs[0].font.size = Pt(8)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.author
    total = text_width_mm(page_w)
    doc.add_heading(document.title, level=1)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for part in document.parts:
        if part.media == "sheet":
            continue
        if part.title:
            doc.add_heading(part.title, level=2)
        for block in part.blocks:
            _block(doc, block, total)
    if document.key:
        doc.add_heading("Key", level=3)
        for line in document.key:
            doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _space_after_table(paragraph) -> None:
    """Text straight after a table gets a gap above it (Word's tables have none below)."""
    previous = paragraph._p.getprevious()
    if previous is not None and previous.tag.endswith("}tbl"):
        paragraph.paragraph_format.space_before = Pt(8)


def _block(doc, block, total: float) -> None:
    if isinstance(block, Heading):
        doc.add_heading(block.text, level=min(max(block.level, 1), 4))
    elif isinstance(block, Paragraph):
        paragraph = doc.add_paragraph()
        _space_after_table(paragraph)
        run = paragraph.add_run(clean(block.text))
        run.bold = block.bold
        if block.style == "note":
            run.font.size = Pt(9)
    elif isinstance(block, Bullets):
        for lead, text in block.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            _space_after_table(paragraph)
            if lead:
                paragraph.add_run(clean(lead) + ": ").bold = True
            paragraph.add_run(clean(text))
    elif isinstance(block, Facts):
        for label, value in block.items:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run(clean(label) + ": ").bold = True
            paragraph.add_run(" ".join(cell_lines(value)) or "–")
    elif isinstance(block, Table):
        if block.caption:
            doc.add_paragraph().add_run(clean(block.caption)).bold = True
        _table(doc, block, total)
    elif isinstance(block, Chart):
        _picture(doc, block, min(total, 180))
    elif isinstance(block, ChartGrid):
        _chart_grid(doc, block, total)
