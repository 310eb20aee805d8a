"""A document as a Word file (python-docx): a committee-report appendix, landscape A4 by
default. Tables repeat their header row on each page and keep rows whole; status cells are
shaded with the status colour and carry word and symbol; column widths come from what the
columns hold, so no heading or number breaks inside a word; charts are PNG images rendered
from their Vega-Lite spec (with their text alternative as the image description).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

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


def text_width_mm(doc_width_mm: float) -> float:
    return doc_width_mm - 2 * MARGIN_MM


def column_widths_mm(table: Table, total_mm: float) -> list[float]:
    """Widths in mm from the content (see :func:`common.content_widths`)."""
    headers = [c.header for c in table.columns]
    n = len(headers)
    chars_total = (total_mm - n * CELL_PAD_MM) / CHAR_MM
    chars = content_widths(headers, table.rows, chars_total, minimum=3, header_scale=1.12)
    return [c * CHAR_MM + CELL_PAD_MM for c in chars]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_JC = {"right": "right", "center": "center"}


def _cell_xml(lines, width_tw: int, *, bold_first: bool, colour: str | None, fill: str | None,
              align: str) -> str:  # fmt: skip
    """One table cell as WordprocessingML: a paragraph per line, the first bold if asked."""
    lines = [clean(line) for line in lines if clean(line)] or [""]
    props = f'<w:tcW w:w="{width_tw}" w:type="dxa"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#").upper()}"/>'
    jc = f'<w:jc w:val="{_JC[align]}"/>' if align in _JC else ""
    colour_xml = f'<w:color w:val="{colour.lstrip("#").upper()}"/>' if colour else ""
    paragraphs = []
    for k, line in enumerate(lines):
        bold = "<w:b/>" if bold_first and k == 0 else ""
        size = int(2 * (FONT_PT if k == 0 or not bold_first else FONT_PT - 0.5))
        paragraphs.append(
            f'<w:p><w:pPr><w:spacing w:after="0"/>{jc}</w:pPr><w:r><w:rPr>{bold}{colour_xml}'
            f'<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{xml_escape(line)}</w:t>'
            "</w:r></w:p>"
        )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def _table(doc, table: Table, total_mm: float) -> None:
    """The table as one piece of WordprocessingML, parsed once: python-docx's cell objects
    took 30 s for the 9,000 cells of a national scrutiny pack."""
    widths = [round(Mm(w).twips) for w in column_widths_mm(table, total_mm)]
    header = []
    for col, width in zip(table.columns, widths, strict=True):
        if col.status:
            fill, text = status_fill(Status(col.status))
            lines = cell_lines(Status(col.status))
            header.append(_cell_xml(lines, width, bold_first=True, colour=text,
                                    fill=fill or HEADER_SHADE, align="left"))  # fmt: skip
        else:
            header.append(_cell_xml([col.header], width, bold_first=True, colour="#FFFFFF",
                                    fill=HEADER_SHADE, align="left"))  # fmt: skip
    rows = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{"".join(header)}</w:tr>']
    for i, values in enumerate(table.rows):
        total = table.total_last and i == len(table.rows) - 1
        cells = []
        for col, value, width in zip(table.columns, values, widths, strict=False):
            if isinstance(value, Status):
                fill, text = status_fill(value)
                cells.append(_cell_xml(cell_lines(value), width, bold_first=True, colour=text,
                                       fill=fill, align=col.align))  # fmt: skip
            else:
                bold = total or (isinstance(value, Lines) and value.bold_first)
                cells.append(_cell_xml(cell_lines(value), width, bold_first=bold, colour=None,
                                       fill=None, align=col.align))  # fmt: skip
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="{_table_style(doc)}"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}'
        f"</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    body = doc.element.body
    body._insert_tbl(parse_xml(xml))
    if not table.rows:
        doc.add_paragraph(table.empty_text)


def _table_style(doc) -> str:
    return doc.styles["Table Grid"].style_id


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
            caption = doc.add_paragraph()
            caption.paragraph_format.space_before = Pt(10)
            caption.paragraph_format.keep_with_next = True  # never alone at a page's foot
            caption.add_run(clean(block.caption)).bold = True
        _table(doc, block, total)
    elif isinstance(block, Chart):
        _picture(doc, block, min(total, 180))
    elif isinstance(block, ChartGrid):
        _chart_grid(doc, block, total)
