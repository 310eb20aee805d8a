"""The Board pack as a Word committee-report appendix (python-docx), landscape A4.

"Appendix 1: Partnership performance by exception, <period>": summary counts per theme (LAA
apart), changes since the last Board, then for each theme its exception table (the columns
of a real exception report, status as word and symbol in a shaded cell) and its positive
activities, and finally the action exceptions.
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analytics.labels import STATUS, STATUS_COLOUR, STATUS_ORDER, STATUS_TEXT_COLOUR
from analytics.reports import board_pack as bp
from analytics.reports.text import clean

HEADER_SHADE = "1F3864"
ACTION_COLOURS = {"red": STATUS_COLOUR["red"], "amber": STATUS_COLOUR["amber"]}

# (header, width in mm) of the exception table: 262 mm of a 267 mm text width.
EXCEPTION_COLUMNS = [
    ("Indicator", 44),
    ("Baseline", 17),
    ("Period target", 15),
    ("Actual: period / year to date", 18),
    ("Annual target", 15),
    ("Status", 31),
    ("Direction of travel", 20),
    ("County / England", 17),
    ("Commentary", 38),
    ("Remedial action", 34),
    ("Data quality", 13),
]
ACTION_COLUMNS = [
    ("Action", 60),
    ("Lead", 35),
    ("Action status", 27),
    ("Milestone behind schedule", 55),
    ("Due", 20),
    ("Milestone status", 27),
    ("Progress note", 40),
]


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


def _write(cell, lines, size: float = 8, bold_first: bool = False, colour: str | None = None):
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


def _table(doc, columns: list[tuple[str, float]]):
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for cell, (title, _width) in zip(header.cells, columns, strict=True):
        _write(cell, [title], size=8, bold_first=True, colour="#FFFFFF")
        _shade(cell, HEADER_SHADE)
    return table


def _widths(table, columns: list[tuple[str, float]]) -> None:
    """Column widths in the table grid (LibreOffice reads these) and in every cell (Word);
    rows are kept whole on a page."""
    for column, (_title, width) in zip(table.columns, columns, strict=True):
        column.width = Mm(width)
    for row in table.rows[1:]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for row in table.rows:
        for cell, (_title, width) in zip(row.cells, columns, strict=True):
            cell.width = Mm(width)


def _status_cell(cell, status: str, extra: str = "", colours=STATUS_COLOUR, words=STATUS):
    word = words.get(status, status) if status else "– Not reported"
    text = STATUS_TEXT_COLOUR.get(status, "#000000")
    _write(cell, [word, extra], size=8, bold_first=True, colour=text)
    if status in colours:
        _shade(cell, colours[status])


def write_docx(pack: bp.BoardPack) -> bytes:
    doc = Document()
    _page_setup(doc)
    doc.add_heading(pack.title, level=1)
    intro = (
        f"{pack.partnership}. Performance as at {pack.period}, for the Board meeting of "
        f"{bp.date_text(pack.board_date)}. By exception: indicators that are red (significantly "
        "under-performing), amber (marginally under-performing) or missing (no value "
        "returned), with commentary and remedial action from the theme groups, beside their "
        "positive activities."
    )
    doc.add_paragraph(intro)
    _summary(doc, pack)
    for theme in pack.themes:
        doc.add_heading(theme, level=2)
        rows = pack.exceptions[pack.exceptions["theme"] == theme]
        if rows.empty:
            doc.add_paragraph("No exceptions: every indicator is on target or has no target.")
        else:
            _exception_table(doc, rows, pack.period)
        _activities(doc, pack.activities[pack.activities["theme"] == theme])
    doc.add_heading("Action exceptions", level=2)
    _actions(doc, pack.action_exceptions)
    _key(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin = section.bottom_margin = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.text = "Partnership performance by exception"
    footer.runs[0].font.size = Pt(8)


def _summary(doc, pack: bp.BoardPack) -> None:
    doc.add_heading("Summary of status by theme", level=2)
    for title, counts in (("All indicators", pack.counts), ("LAA indicators", pack.laa_counts)):
        doc.add_paragraph(title).runs[0].bold = True
        columns = [("Theme", 80)] + [(STATUS[s], 22) for s in STATUS_ORDER] + [("Total", 18)]
        table = _table(doc, columns)
        for cell, status in zip(table.rows[0].cells[1:], STATUS_ORDER, strict=False):
            _status_cell(cell, status)
        for theme, row in counts.iterrows():
            cells = table.add_row().cells
            bold = theme == "Total"
            _write(cells[0], [str(theme)], bold_first=bold)
            for cell, key in zip(cells[1:], [*STATUS_ORDER, "total"], strict=True):
                _write(cell, [str(int(row[key]))], bold_first=bold)
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _widths(table, columns)
    if pack.missing_returns:
        doc.add_paragraph(
            "Returns not received for " + pack.period + ": " + "; ".join(pack.missing_returns)
        )
    when = bp.date_text(pack.last_board_date)
    doc.add_heading(f"Changes since the last Board ({when}, which saw {pack.last_board_period})", 3)
    if pack.changes.empty:
        doc.add_paragraph("No indicator changed status since the last Board.")
        return
    columns = [("Indicator", 95), ("Then", 35), ("Now", 35), ("Change", 25), ("Why", 75)]
    table = _table(doc, columns)
    for _, c in pack.changes.iterrows():
        cells = table.add_row().cells
        _write(cells[0], [c["code"], c["title"]], bold_first=True)
        _status_cell(cells[1], clean(c["rag_status_before"]), clean(c["period_before"]))
        _status_cell(cells[2], clean(c["rag_status_after"]), clean(c["period_after"]))
        _write(cells[3], [bp.change_word(c["change"])])
        _write(cells[4], [c["rag_reason"]])
    _widths(table, columns)


def _exception_table(doc, rows: pd.DataFrame, period: str) -> None:
    table = _table(doc, EXCEPTION_COLUMNS)
    for _, r in rows.iterrows():
        cells = table.add_row().cells
        flag = bp.laa_flag(r)
        code = clean(r["code"]) + (f" ({flag})" if flag else "")
        lead = bp.lead(r)
        lines = [code, r["title"], bp.unit_note(r), f"Lead: {lead}" if lead else ""]
        _write(cells[0], lines, bold_first=True)
        _write(cells[1], [bp.baseline(r)])
        _write(cells[2], [bp.table_number(r["target_value"], r)])
        actual = [bp.table_number(r["period_value"], r)]
        if not pd.isna(r.get("ytd_value")):
            actual.append(f"YTD {bp.table_number(r['ytd_value'], r)}")
        if clean(r["period"]) != period:
            actual.append(f"({clean(r['period'])})")
        _write(cells[3], actual)
        _write(cells[4], [bp.table_number(r["annual_target_value"], r)])
        _status_cell(cells[5], clean(r["rag_status"]), clean(r.get("rag_reason")))
        persistence = int(r.get("persistence_periods") or 0)
        _write(
            cells[6],
            [
                f"{bp.direction_word(r.get('dot_previous'))} on previous",
                f"{bp.direction_word(r.get('dot_last_year'))} on last year",
                f"Off target {persistence} periods running" if persistence > 1 else "",
            ],
        )
        _write(cells[7], bp.comparators(r) or ["–"])
        _write(cells[8], [r.get("commentary")])
        _write(cells[9], [r.get("remedial_action")])
        _write(cells[10], [bp.dq_note(r.get("dq_flag"))])
    _widths(table, EXCEPTION_COLUMNS)


def _activities(doc, activities: pd.DataFrame) -> None:
    if activities.empty:
        return
    doc.add_paragraph("Positive activities").runs[0].bold = True
    for _, a in activities.iterrows():
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(clean(a["title"]) + ": ").bold = True
        paragraph.add_run(clean(a.get("description")))


def _actions(doc, late: pd.DataFrame) -> None:
    if late.empty:
        doc.add_paragraph("No milestone is behind schedule.")
        return
    table = _table(doc, ACTION_COLUMNS)
    words = {s: bp.action_word(s) for s in ("red", "amber", "completed", "reprogrammed", "green")}
    for _, m in late.iterrows():
        cells = table.add_row().cells
        _write(cells[0], [m["action_code"], m["action_title"], m["theme"]], bold_first=True)
        _write(cells[1], [bp.lead(m)])
        _status_cell(cells[2], clean(m["action_status"]), "", ACTION_COLOURS, words)
        _write(cells[3], [f"{clean(m['milestone_code'])}: {clean(m['milestone_title'])}"])
        _write(cells[4], [bp.date_text(m.get("due_date"))])
        _status_cell(
            cells[5], clean(m["milestone_status"]), m.get("milestone_reason"), ACTION_COLOURS, words
        )
        _write(cells[6], [m.get("progress_note")])
    _widths(table, ACTION_COLUMNS)


def _key(doc) -> None:
    doc.add_heading("Key", level=3)
    doc.add_paragraph(
        "✖ Red: target missed beyond tolerance. ◆ Amber: target missed within tolerance. "
        "? Missing: no value returned for the period. ✔ Green: target met or beaten. "
        "– No target: data only, or no target set. … No new data: survey indicator between "
        "surveys. Direction of travel compares with the previous period and the same period "
        "last year, after polarity. Actions: ✖ more than a month behind, ◆ up to a month "
        "behind, against the original due date."
    )
