"""A document as an Excel workbook (openpyxl): each part a sheet.

Status cells are filled with the status colour and carry the word and symbol; numbers stay
numbers, formatted with their decimals and unit; dates are dates. Text that a spreadsheet
would take for a formula (starting ``=``, ``+``, ``-``, ``@``, tab or CR) is written as a
literal string; control characters are removed. A sheet that opens with a table gets its
header frozen and filters on. Column widths follow the content. Charts are left out (a
workbook is for the figures; every chart's data is in a table beside it).
"""

from __future__ import annotations

import io
from copy import copy
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.reports.document import (
    Bullets,
    Chart,
    ChartGrid,
    Document,
    Facts,
    Heading,
    Lines,
    Number,
    Paragraph,
    Status,
    Table,
)
from analytics.reports.text import clean, is_blank, looks_like_formula
from analytics.reports.writers.common import HEADER_SHADE, status_fill, status_word

HEADER_FILL = PatternFill("solid", fgColor=HEADER_SHADE.lstrip("#"))
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "d mmm yyyy"
MAX_CELL_TEXT = 32_767  # Excel's limit
MAX_WIDTH = 60
WRAP_KINDS = ("wrap", "status", "lines")


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


def fill_status(cell, status: Status) -> None:
    fill, text = status_fill(status)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
        cell.font = Font(bold=True, color=text.lstrip("#"))


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in clean(name)).strip("' ")[:31]
    safe = safe or "Sheet"
    title, n = safe, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = safe[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


class _Widths:
    """The widest text seen per column of a sheet, in characters."""

    def __init__(self) -> None:
        self.chars: dict[int, float] = {}

    def see(self, col: int, text: str, wrap: bool) -> None:
        longest = max((len(line) for line in text.split("\n")), default=0)
        if wrap:  # a wrapped cell needs room for its longest word, and reads well at ~40
            word = max((len(w) for w in text.split()), default=0)
            longest = max(word, min(longest, 40))
        self.chars[col] = max(self.chars.get(col, 0), longest)

    def apply(self, ws: Worksheet) -> None:
        for col, chars in self.chars.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(chars + 2, 8), MAX_WIDTH)


def write_xlsx(doc: Document) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    styles: dict[tuple, StyleArray] = {}  # a table cell's look -> its style (:func:`_look`)
    taken: set[str] = set()
    for part in doc.parts:
        if part.media == "page":
            continue
        ws = wb.create_sheet(sheet_title(part.sheet or part.title or "Sheet", taken))
        _write_part(ws, part, doc, styles)
    if not wb.sheetnames:
        wb.create_sheet("Summary")
    wb.properties.title = doc.title
    wb.properties.creator = doc.author
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_part(ws: Worksheet, part, doc: Document, styles: dict) -> None:
    widths = _Widths()
    row = 1
    blocks = list(part.blocks)
    table_first = bool(blocks) and isinstance(blocks[0], Table)
    for k, block in enumerate(blocks):
        if isinstance(block, Heading):
            size = {1: 14, 2: 13, 3: 12}.get(block.level, 11)
            put(ws, row, 1, block.text).font = Font(bold=True, size=size)
            row += 2 if block.level == 1 else 1
        elif isinstance(block, Paragraph):
            cell = put(ws, row, 1, block.text)
            if block.bold:
                cell.font = BOLD
            row += 1
        elif isinstance(block, Bullets):
            for lead, text in block.items:
                put(ws, row, 1, f"{lead}: {text}" if lead else text)
                row += 1
        elif isinstance(block, Facts):
            for label, value in block.items:
                put(ws, row, 1, label).font = BOLD
                widths.see(1, clean(label), False)
                cell = _put_value(ws, row, 2, value)
                cell.alignment = Alignment(horizontal="left")
                row += 1
        elif isinstance(block, Table):
            row = _write_table(
                ws, block, row, widths, at_top=table_first and k == 0, part=part, styles=styles
            )
        elif isinstance(block, (Chart, ChartGrid)):
            continue
        row += 1 if not isinstance(block, Heading) else 0
    widths.apply(ws)


def _put_value(ws: Worksheet, row: int, col: int, value: object, kind: str = "text"):
    if isinstance(value, Status):
        cell = put(ws, row, col, status_word(value))
        fill_status(cell, value)
        return cell
    if isinstance(value, Number):
        if value.value is None or is_blank(value.value):
            return ws.cell(row=row, column=col)
        return put(ws, row, col, float(value.value), number_format(value.decimals, value.unit))
    if isinstance(value, Lines):
        return put(ws, row, col, "\n".join(clean(x) for x in value.lines if clean(x)))
    if kind == "int" and not is_blank(value) and not isinstance(value, str):
        return put(ws, row, col, int(value), "0")
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return put(ws, row, col, value, DATE_FORMAT)
    return put(ws, row, col, value)


def _look(value: object, kind: str) -> tuple:
    """What decides a table cell's style (fill, font, number format, quote prefix): cells
    with the same look share one style, made once and copied (setting font, fill, border
    and alignment cell by cell took 4 s for the 9,000 cells of a national scrutiny pack)."""
    if isinstance(value, Status):
        return ("status", status_fill(value))
    if isinstance(value, Number):
        if value.value is None or is_blank(value.value):
            return ("blank",)
        return ("number", number_format(value.decimals, value.unit))
    if is_blank(value):
        return ("blank",)
    if kind == "int" and not isinstance(value, str):
        return ("int",)
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return ("date",)
    if isinstance(value, str) and looks_like_formula(clean(value)[:MAX_CELL_TEXT]):
        return ("literal",)
    return ("plain",)


def _set_value(cell, value: object, kind: str) -> None:
    """The value :func:`_put_value` would write, without its style (copied from a cell
    with the same :func:`_look`)."""
    if isinstance(value, Status):
        cell.value = status_word(value)
    elif isinstance(value, Number):
        if not (value.value is None or is_blank(value.value)):
            cell.value = float(value.value)
    elif isinstance(value, Lines):
        cell.value = "\n".join(clean(x) for x in value.lines if clean(x)) or None
    elif is_blank(value):
        return
    elif isinstance(value, str):
        cell.value = clean(value)[:MAX_CELL_TEXT]
        if looks_like_formula(cell.value):
            cell.data_type = "s"
    elif kind == "int" and not isinstance(value, bool):
        cell.value = int(value)
    elif isinstance(value, (date, datetime, pd.Timestamp)):
        cell.value = pd.Timestamp(value).to_pydatetime()
    else:
        cell.value = value


def _shown(value: object) -> str:
    if isinstance(value, Status):
        return status_word(value)
    if isinstance(value, Number):
        return "" if value.value is None or is_blank(value.value) else f"{value.value:,.2f}"
    if isinstance(value, Lines):
        return "\n".join(clean(x) for x in value.lines)
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return "30 Sep 2010"
    return clean(value) if not isinstance(value, (int, float)) else f"{value:,}"


def _write_table(
    ws: Worksheet, table: Table, row: int, widths: _Widths, at_top: bool, part, styles: dict
):
    if table.caption:
        put(ws, row, 1, table.caption).font = Font(bold=True, size=12)
        row += 1
    first = row
    for j, col in enumerate(table.columns, start=1):
        cell = put(ws, row, j, col.header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        if col.status:
            fill_status(cell, Status(col.status))
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        word = max((len(w) for w in col.header.split()), default=0)
        widths.see(j, " " * word, False)
    ws.row_dimensions[row].height = 32
    for i, values in enumerate(table.rows, start=row + 1):
        total = table.total_last and i == row + len(table.rows)
        for j, col in enumerate(table.columns, start=1):
            value = values[j - 1] if j - 1 < len(values) else None
            wrap = col.kind in WRAP_KINDS
            widths.see(j, _shown(value), wrap)
            key = (_look(value, col.kind), wrap, total)
            style = styles.get(key)
            if style is not None:  # the same look as a cell before: its style, copied
                cell = ws.cell(row=i, column=j)
                _set_value(cell, value, col.kind)
                cell._style = copy(style)
                continue
            cell = _put_value(ws, i, j, value, col.kind)
            cell.border = BORDER
            if cell.alignment is None or not cell.alignment.wrap_text:
                cell.alignment = WRAP if wrap else TOP
            if total:
                cell.font = Font(bold=True, color=cell.font.color) if cell.fill else BOLD
            styles[key] = copy(cell._style)
    if not table.rows:
        put(ws, row + 1, 1, table.empty_text)
    last = row + max(len(table.rows), 1)
    if at_top and first == 1:
        ws.freeze_panes = part.freeze or "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    return last + 1
