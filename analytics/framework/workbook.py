"""Write the framework workbook: an Instructions sheet, then one sheet per spec.

Used for the blank template (`lsp framework template`) and, with rows, for the demo
partnership and for exporting a partnership's framework to edit and re-import.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.framework import spec

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_ROWS = 2000  # rows covered by drop-down validation


def _instructions(book: Workbook) -> None:
    ws = book.active
    ws.title = "Instructions"
    lines = [
        ("lsp-performance: framework workbook", Font(bold=True, size=14)),
        (
            "Fill in the sheets, save, then load with `lsp framework import FILE` or the app's "
            "Framework page. Nothing is loaded unless the whole workbook is valid; every problem "
            "is reported with its sheet and cell.",
            None,
        ),
        (
            "Row 1 of each sheet holds the column names: do not rename them. Hover over a header "
            "for what it means. Drop-down cells only accept the listed values.",
            None,
        ),
        (
            "Loading again updates indicators and actions by code; targets are versioned, never "
            "overwritten: add a row with a later set_on date and a reason to refresh one.",
            None,
        ),
        ("", None),
    ]
    for text, font in lines:
        ws.append([text])
        if font:
            ws.cell(ws.max_row, 1).font = font
    ws.append(["Sheet", "Required", "What it holds"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet in spec.SHEETS:
        ws.append([sheet.name, "yes" if sheet.required_sheet else "no", sheet.purpose])
    ws.append([])
    ws.append(["Sheet", "Column", "Required", "Meaning"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet in spec.SHEETS:
        for column in sheet.columns:
            ws.append(
                [
                    sheet.name,
                    column.name,
                    "yes" if column.required else "",
                    column.help + (f" ({', '.join(column.choices)})" if column.choices else ""),
                ]
            )
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 90
    for row in ws.iter_rows(min_row=1, max_row=4):
        row[0].alignment = Alignment(wrap_text=False)


def _cell_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _sheet(book: Workbook, sheet: spec.SheetSpec, rows: pd.DataFrame | None) -> None:
    ws = book.create_sheet(sheet.name)
    names = [c.name for c in sheet.columns]
    ws.append(names)
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, i)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        text = column.help + (" (required)" if column.required else "")
        cell.comment = Comment(text, "lsp-performance", width=260, height=80)
        ws.column_dimensions[get_column_letter(i)].width = max(column.width, len(column.name) + 2)
    ws.freeze_panes = "A2"
    if rows is not None:
        for record in rows.reindex(columns=names).itertuples(index=False):
            ws.append([_cell_value(v) for v in record])
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        area = f"{letter}2:{letter}{MAX_ROWS}"
        if column.kind in {"choice", "bool"}:
            choices = column.choices if column.kind == "choice" else ("yes", "no")
            dv = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            dv.error = f"{column.name} must be one of: {', '.join(choices)}"
            dv.errorTitle = "Not an allowed value"
            dv.add(area)
            ws.add_data_validation(dv)
        elif column.kind == "date":
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = "dd/mm/yyyy"
            dv = DataValidation(
                type="date", operator="greaterThan", formula1="36526", allow_blank=True
            )
            dv.error = "Type a date, e.g. 30/06/2009"
            dv.add(area)
            ws.add_data_validation(dv)
        elif column.kind in {"number", "int"}:
            dv = DataValidation(
                type="decimal" if column.kind == "number" else "whole",
                operator="between",
                formula1="-1000000000",
                formula2="1000000000",
                allow_blank=True,
            )
            dv.error = f"{column.name} must be a number"
            dv.add(area)
            ws.add_data_validation(dv)
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{ws.max_row}"


def write_framework(path: str | Path, data: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the framework workbook to ``path``; ``data`` fills sheets by name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    _instructions(book)
    for sheet in spec.SHEETS:
        _sheet(book, sheet, (data or {}).get(sheet.name))
    book.properties.creator = "lsp-performance"
    book.properties.created = pd.Timestamp(date.today()).to_pydatetime()
    book.save(path)
    return path
