"""The Board pack as an Excel workbook (openpyxl).

Sheets: Summary (counts per theme, LAA apart, missing returns, changes since the last
Board), one per theme (every indicator, exceptions first, with the exception-report
columns), Actions (milestones behind schedule) and Positive activities. Status cells are
filled with the status colour and carry the word and symbol; numbers stay numbers, with the
indicator's decimals as the number format. Text that a spreadsheet would take for a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or CR) is written as a literal string.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.labels import STATUS, STATUS_COLOUR, STATUS_ORDER, STATUS_TEXT_COLOUR
from analytics.reports import board_pack as bp
from analytics.reports.text import clean, is_blank, looks_like_formula

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "d mmm yyyy"
MAX_CELL_TEXT = 32_767  # Excel's limit
ACTION_COLOURS = {"red": STATUS_COLOUR["red"], "amber": STATUS_COLOUR["amber"]}


def put(ws: Worksheet, row: int, col: int, value: object, number_format: str | None = None):
    """Write one cell. Text is cleaned and never becomes a formula."""
    cell = ws.cell(row=row, column=col)
    if is_blank(value):
        return cell
    if isinstance(value, str):
        text = clean(value)[:MAX_CELL_TEXT]
        cell.value = text
        if looks_like_formula(text):
            cell.data_type = "s"  # a literal string, as if typed with a leading apostrophe
            cell.quotePrefix = True
        return cell
    if isinstance(value, bool):
        cell.value = value
        return cell
    if isinstance(value, (int, float)):
        cell.value = float(value) if isinstance(value, float) else int(value)
    else:
        cell.value = pd.Timestamp(value).to_pydatetime()
        number_format = number_format or DATE_FORMAT
    if number_format:
        cell.number_format = number_format
    return cell


def number_format(decimals: object, unit: object) -> str:
    """'#,##0.0' for one decimal; '%' and '£' units shown in the format."""
    places = 1 if is_blank(decimals) else max(0, int(decimals))
    base = "#,##0" + ("." + "0" * places if places else "")
    unit = clean(unit).strip()
    if unit == "%":
        return base + '"%"'
    if unit == "£":
        return '"£"' + base
    return base


def fill_status(cell, status: str, colours: dict[str, str] = STATUS_COLOUR) -> None:
    colour = colours.get(status)
    if colour:
        cell.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
        text = STATUS_TEXT_COLOUR.get(status, "#000000")
        cell.font = Font(bold=True, color=text.lstrip("#"))


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    value: Callable[[pd.Series], object]
    kind: str = "text"  # text, wrap, number, int, date, status, action_status


def _num(column: str) -> Callable[[pd.Series], object]:
    return lambda r: None if is_blank(r.get(column)) else float(r[column])


INDICATOR_COLUMNS = [
    Col("Theme", 18, lambda r: r["theme_short"]),
    Col("Code", 10, lambda r: r["code"]),
    Col("LAA / reward", 14, bp.laa_flag),
    Col("Indicator", 40, lambda r: r["title"], "wrap"),
    Col("Lead", 22, bp.lead, "wrap"),
    Col("Baseline", 11, _num("baseline_value"), "number"),
    Col("Baseline period", 10, lambda r: r.get("baseline_period")),
    Col("Period", 11, lambda r: r["period"]),
    Col("Unit", 14, lambda r: r.get("unit"), "wrap"),
    Col("Period target", 11, _num("target_value"), "number"),
    Col("Actual (period)", 11, _num("period_value"), "number"),
    Col("Actual (year to date)", 11, _num("ytd_value"), "number"),
    Col("Annual target", 11, _num("annual_target_value"), "number"),
    Col("Status", 14, lambda r: r["rag_status"], "status"),
    Col("Status reason", 36, lambda r: r.get("rag_reason"), "wrap"),
    Col("Direction vs previous", 14, lambda r: bp.direction_word(r.get("dot_previous"))),
    Col("Direction vs last year", 14, lambda r: bp.direction_word(r.get("dot_last_year"))),
    Col("Periods off target", 9, lambda r: int(r.get("persistence_periods") or 0), "int"),
    Col("County", 11, _num("county_value"), "number"),
    Col("England", 11, _num("england_value"), "number"),
    Col("Commentary", 50, lambda r: r.get("commentary"), "wrap"),
    Col("Remedial action", 45, lambda r: r.get("remedial_action"), "wrap"),
    Col("Data quality", 12, lambda r: bp.dq_note(r.get("dq_flag"))),
]

ACTION_COLUMNS = [
    Col("Theme", 22, lambda r: r["theme"], "wrap"),
    Col("Action", 12, lambda r: r["action_code"]),
    Col("Action title", 40, lambda r: r["action_title"], "wrap"),
    Col("Indicator", 10, lambda r: r.get("indicator_code")),
    Col("Lead", 22, bp.lead, "wrap"),
    Col("Action status", 18, lambda r: r["action_status"], "action_status"),
    Col("Milestone", 10, lambda r: r["milestone_code"]),
    Col("Milestone title", 32, lambda r: r["milestone_title"], "wrap"),
    Col("Due date", 12, lambda r: r.get("due_date"), "date"),
    Col("Revised due date", 12, lambda r: r.get("revised_due_date"), "date"),
    Col("Days behind", 9, lambda r: r.get("days_behind"), "int"),
    Col("Milestone status", 18, lambda r: r["milestone_status"], "action_status"),
    Col("Reason", 40, lambda r: r.get("milestone_reason"), "wrap"),
    Col("Progress note", 40, lambda r: r.get("progress_note"), "wrap"),
]

ACTIVITY_COLUMNS = [
    Col("Theme", 30, lambda r: r["theme"], "wrap"),
    Col("Activity", 30, lambda r: r["title"], "wrap"),
    Col("Description", 90, lambda r: r.get("description"), "wrap"),
]


def write_table(ws: Worksheet, frame: pd.DataFrame, columns: list[Col], first_row: int = 1):
    """A header row and one row per record; auto-filter and frozen header when at the top."""
    for j, col in enumerate(columns, start=1):
        cell = put(ws, first_row, j, col.header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.row_dimensions[first_row].height = 32
    for i, (_, record) in enumerate(frame.iterrows(), start=first_row + 1):
        for j, col in enumerate(columns, start=1):
            _write_value(ws, i, j, col, record)
    last = first_row + max(len(frame), 1)
    if first_row == 1:
        ws.freeze_panes = "C2" if columns is INDICATOR_COLUMNS else "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"


def _write_value(ws: Worksheet, i: int, j: int, col: Col, record: pd.Series) -> None:
    value = col.value(record)
    if col.kind == "status":
        cell = put(ws, i, j, STATUS.get(clean(value), clean(value)))
        fill_status(cell, clean(value))
    elif col.kind == "action_status":
        cell = put(ws, i, j, bp.action_word(value))
        fill_status(cell, clean(value), ACTION_COLOURS)
    elif col.kind == "number":
        fmt = number_format(record.get("decimals"), record.get("unit"))
        cell = put(ws, i, j, value, fmt)
    elif col.kind == "int":
        cell = put(ws, i, j, None if is_blank(value) else int(value), "0")
    elif col.kind == "date":
        cell = put(ws, i, j, None if is_blank(value) else value, DATE_FORMAT)
    else:
        cell = put(ws, i, j, value)
    cell.border = BORDER
    if cell.alignment is None or not cell.alignment.wrap_text:
        cell.alignment = WRAP if col.kind in ("wrap", "status", "action_status") else TOP


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in clean(name)).strip("' ")[:31]
    safe = safe or "Theme"
    title, n = safe, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = safe[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_xlsx(pack: bp.BoardPack) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    taken = {"summary", "actions", "positive activities"}
    _write_summary(summary, pack)
    for theme in pack.themes:
        ws = wb.create_sheet(sheet_title(pack.theme_short(theme), taken))
        write_table(ws, pack.theme_statuses(theme), INDICATOR_COLUMNS)
    write_table(wb.create_sheet("Actions"), pack.action_exceptions, ACTION_COLUMNS)
    write_table(wb.create_sheet("Positive activities"), pack.activities, ACTIVITY_COLUMNS)
    wb.properties.title = f"{pack.partnership}: {pack.title}"
    wb.properties.creator = "lsp-performance"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_summary(ws: Worksheet, pack: bp.BoardPack) -> None:
    put(ws, 1, 1, f"{pack.partnership}: Board pack, {pack.period}").font = Font(bold=True, size=14)
    facts = [
        ("Partnership", pack.partnership),
        ("Period", pack.period),
        ("Board meeting", bp.date_text(pack.board_date)),
        (
            "Last Board",
            f"{bp.date_text(pack.last_board_date)} (saw {pack.last_board_period or '–'})",
        ),
        ("Indicators", int(len(pack.statuses))),
        ("Exceptions (red, amber, missing)", int(len(pack.exceptions))),
        ("Missing returns", ", ".join(pack.missing_returns) or "none"),
        ("Produced", pack.generated_at.strftime("%-d %b %Y %H:%M")),
    ]
    for i, (label, value) in enumerate(facts, start=3):
        put(ws, i, 1, label).font = BOLD
        put(ws, i, 2, value).alignment = Alignment(horizontal="left")
    row = 3 + len(facts) + 1
    row = _write_counts(ws, row, "Status by theme: all indicators", pack.counts)
    row = _write_counts(ws, row + 1, "Status by theme: LAA indicators", pack.laa_counts)
    title = f"Changes since the last Board ({bp.date_text(pack.last_board_date)})"
    put(ws, row + 1, 1, title).font = Font(bold=True, size=12)
    _write_changes(ws, row + 2, pack.changes)
    ws.column_dimensions["A"].width = 42
    for col in "BCDEFGHI":
        ws.column_dimensions[col].width = 14
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["I"].width = 50


def _write_counts(ws: Worksheet, row: int, title: str, counts: pd.DataFrame) -> int:
    put(ws, row, 1, title).font = Font(bold=True, size=12)
    headers = ["Theme", *(STATUS[s] for s in STATUS_ORDER), "Total"]
    for j, header in enumerate(headers, start=1):
        cell = put(ws, row + 1, j, header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        if 1 < j <= len(STATUS_ORDER) + 1:
            fill_status(cell, STATUS_ORDER[j - 2])
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    r = row + 2
    for theme, counts_row in counts.iterrows():
        put(ws, r, 1, str(theme)).border = BORDER
        values = [int(counts_row[s]) for s in STATUS_ORDER] + [int(counts_row["total"])]
        for j, value in enumerate(values, start=2):
            put(ws, r, j, value, "0").border = BORDER
        if theme == "Total":
            for j in range(1, len(headers) + 1):
                ws.cell(row=r, column=j).font = BOLD
        r += 1
    return r


def _write_changes(ws: Worksheet, row: int, changes: pd.DataFrame) -> None:
    headers = ["Theme", "Code", "Indicator", "Then", "Status then", "Now", "Status now"]
    headers += ["Change", "Reason now"]
    for j, header in enumerate(headers, start=1):
        cell = put(ws, row, j, header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
    if changes.empty:
        put(ws, row + 1, 1, "No indicator changed status since the last Board.")
        return
    for i, (_, c) in enumerate(changes.iterrows(), start=row + 1):
        values = [c["theme"], c["code"], c["title"], c["period_before"], None]
        values += [c["period_after"], None, bp.change_word(c["change"]), c["rag_reason"]]
        for j, value in enumerate(values, start=1):
            cell = put(ws, i, j, value)
            cell.border, cell.alignment = BORDER, WRAP
        for j, key in ((5, "rag_status_before"), (7, "rag_status_after")):
            status = clean(c[key])
            cell = put(ws, i, j, STATUS.get(status, "– Not reported"))
            fill_status(cell, status)
            cell.border, cell.alignment = BORDER, WRAP
