"""The annual report as a Word document that reads as a Cabinet report appendix.

"Appendix 1: <partnership>'s Annual Report <year>": the foreword, the partnership and its
structure, then per theme group its narrative, achievements, a table of year-end figures
(status as word and symbol in a shaded cell), actions completed and what comes next; the
Local Area Agreement; and targets met by year, with its chart as an image.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analytics.reports.annual.charts import targets_met_png
from analytics.reports.annual.data import AnnualReport
from analytics.reports.text import clean

HEADER_SHADE = "1F3864"
# status cell fills with black or white text at 4.5:1 or more
STATUS_FILL = {
    "green": ("00703C", "FFFFFF"),
    "amber": ("FFDD00", "0B0C0C"),
    "red": ("AA2A16", "FFFFFF"),
    "missing": ("E5E6E7", "0B0C0C"),
    "no_target": ("D2E2F1", "0B0C0C"),
    "no_new_data": ("E5E6E7", "0B0C0C"),
}


def _shade(cell, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    props.append(shd)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _cell(cell, text: str, size: float = 9, bold: bool = False, colour: str | None = None):
    cell.text = ""
    run = cell.paragraphs[0].add_run(clean(text))
    run.font.size = Pt(size)
    run.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _table(doc, headers: list[tuple[str, float]], rows: list[list], status_col: int | None = None):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for k, (title, width) in enumerate(headers):
        cell = table.rows[0].cells[k]
        cell.width = Mm(width)
        _cell(cell, title, bold=True, colour="FFFFFF")
        _shade(cell, HEADER_SHADE)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for k, value in enumerate(values):
            cells[k].width = Mm(headers[k][1])
            if k == status_col:
                status = value
                fill, ink = STATUS_FILL.get(status["code"], ("FFFFFF", "0B0C0C"))
                _cell(cells[k], f"{status['symbol']} {status['words']}", bold=True, colour=ink)
                _shade(cells[k], fill)
            else:
                _cell(cells[k], "–" if value in (None, "") else str(value))
    doc.add_paragraph()
    return table


def _paragraphs(doc, text: str | None) -> None:
    for part in (text or "").split("\n\n"):
        if part.strip():
            doc.add_paragraph(clean(part.strip()))


def to_docx(report: AnnualReport) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    name = report.partnership["name"]
    section.header.paragraphs[0].text = f"Appendix 1: {name}'s Annual Report {report.year}"
    doc.add_heading(f"Appendix 1: {name}'s Annual Report {report.year}", level=0)
    doc.add_heading("Foreword", level=1)
    _paragraphs(doc, report.foreword or "No foreword has been written for this year.")
    doc.add_heading("The partnership", level=1)
    if report.profile.get("vision"):
        doc.add_paragraph(clean(report.profile["vision"]), style="Intense Quote")
    chair = report.profile.get("board_chair")
    doc.add_paragraph(
        f"{name} works through {len(report.themes)} theme groups"
        + (f", under a Board chaired by {chair}" if chair else "")
        + "."
        + (
            f" It is part of {report.partnership['parent_name']}, which agrees the Local Area "
            "Agreement for the county."
            if report.partnership.get("parent_name")
            else ""
        )
    )
    _table(
        doc,
        [("Theme group", 70), ("Chair", 50), ("Lead officer", 50)],
        [[t.name, t.chair, t.lead_officer] for t in report.themes],
    )
    if report.members:
        doc.add_paragraph(
            "Member organisations: " + ", ".join(clean(m["name"]) for m in report.members) + "."
        )
    doc.add_heading("The year at a glance", level=1)
    for c in report.counts:
        doc.add_paragraph(f"{c['symbol']} {c['words']}: {c['count']}", style="List Bullet")
    for theme in report.themes:
        doc.add_heading(theme.name, level=1)
        _paragraphs(doc, theme.narrative)
        if theme.achievements:
            doc.add_heading("What we achieved", level=2)
            for a in theme.achievements:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(clean(a["title"])).bold = True
                if a["description"]:
                    p.add_run(": " + clean(a["description"]))
        doc.add_heading("Year-end figures", level=2)
        if theme.outturns:
            _table(
                doc,
                [("Indicator", 58), (report.year, 20), ("Target", 20), ("Status", 28),
                 ("Year before", 20), ("Change on the year before", 24)],
                [[f"{o['code']} {o['title']}" + (f" ({o['laa']})" if o["laa"] else ""),
                  o["outturn"], o["target"], o["status"], o["last_year"],
                  f"{o['change']['symbol']} {o['change']['words']}" if o["change"] else "–"]
                 for o in theme.outturns],
                status_col=3,
            )  # fmt: skip
        else:
            doc.add_paragraph("No year-end figures.")
        if theme.completed:
            doc.add_heading("Actions completed", level=2)
            for c in theme.completed:
                doc.add_paragraph(
                    f"{clean(c['action'])}: {clean(c['milestone'])} (completed "
                    f"{c['completed_on'].day} {c['completed_on']:%B %Y})",
                    style="List Bullet",
                )
        doc.add_heading("What comes next", level=2)
        if theme.next_steps:
            for o in theme.next_steps:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(f"{o['code']} {clean(o['title'])}").bold = True
                p.add_run(f" ({o['status']['words'].lower()})")
                if o["remedial_action"]:
                    p.add_run(": " + clean(o["remedial_action"]))
        else:
            doc.add_paragraph("Every indicator with a target met it at the year end.")
    doc.add_heading("The Local Area Agreement", level=1)
    doc.add_heading("Designated targets", level=2)
    if report.laa_designated:
        _table(
            doc,
            [("Indicator", 80), ("Figure", 25), ("Target", 25), ("Status", 40)],
            [[f"{o['code']} {o['title']}", o["outturn"], o["target"], o["status"]]
             for o in report.laa_designated],
            status_col=3,
        )  # fmt: skip
    else:
        doc.add_paragraph("None.")
    doc.add_heading("Reward targets", level=2)
    if report.laa_reward:
        _table(
            doc,
            [("Indicator", 80), ("Figure", 25), ("Stretch target", 25), ("Achieved", 40)],
            [[f"{o['code']} {o['title']}", o["outturn"], o["target"], o["status"]]
             for o in report.laa_reward],
            status_col=3,
        )  # fmt: skip
    else:
        doc.add_paragraph("None.")
    doc.add_heading("Targets met over the strategy period", level=1)
    if report.by_year:
        doc.add_picture(io.BytesIO(targets_met_png(report)), width=Mm(160))
        doc.add_paragraph(
            "Figure 1: year-end status of every indicator with a target, by year.",
            style="Caption",
        )
        _table(
            doc,
            [("Year", 30), ("On target", 30), ("Just off target", 30), ("Off target", 30),
             ("Share on target", 30)],
            [[y["year"], y["met"], y["amber"], y["red"], y["share_met"]] for y in report.by_year],
        )  # fmt: skip
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
