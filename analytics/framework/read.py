"""Read a framework workbook into typed frames, or say exactly what is wrong.

Nothing here touches the warehouse: :func:`read_framework` returns a :class:`Framework`
(one DataFrame per sheet) or raises :class:`~analytics.messages.FileRejected` with every
problem found, each naming sheet, cell, the value found and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analytics import periods
from analytics.framework import spec
from analytics.framework.county_checks import county_messages
from analytics.ingest.errors import FileTooLarge, IngestError, UnsafeToRead
from analytics.ingest.read import read_sheets
from analytics.ingest.spelling import normalise_code
from analytics.ingest.values import parse_value
from analytics.messages import FileRejected, Message, cell_ref

_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def parse_number(raw: object) -> float | None:
    """A number as typed in a framework cell (``45%``, ``1,234``, ``£2,000``, ``(12)``), read
    by the same parser as returns; None when blank. Raises ValueError for anything else."""
    if isinstance(raw, bool):
        raise ValueError("not a number")
    parsed = parse_value(raw)
    if parsed.kind == "missing":
        return None
    if parsed.kind != "number":
        raise ValueError("not a number")
    return parsed.number


def parse_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date")


def _convert(column: spec.Column, raw: object) -> tuple[object, str | None, str | None]:
    """(value, problem, fix). Blank cells give (None, None, None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None, None
    kind = column.kind
    try:
        if kind == "text":
            return str(raw).strip(), None, None
        if kind == "code":
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return normalise_code(raw), None, None
        if kind == "number":
            return parse_number(raw), None, None
        if kind == "int":
            value = parse_number(raw)
            if value is None or not float(value).is_integer():
                raise ValueError
            return int(value), None, None
        if kind == "bool":
            text = str(raw).strip().lower()
            if isinstance(raw, bool):
                return raw, None, None
            if text in _TRUE:
                return True, None, None
            if text in _FALSE:
                return False, None, None
            return None, f"{column.name} must be yes or no", "Write yes or no."
        if kind == "choice":
            text = str(raw).strip().lower().replace(" ", "_")
            if text in column.choices:
                return text, None, None
            allowed = ", ".join(column.choices)
            return None, f"{column.name} is not one of {allowed}", f"Use one of: {allowed}."
        if kind == "year":
            text = str(raw).strip()
            periods.fy_start_year(text)
            return text, None, None
        if kind == "period":
            text = str(raw).strip()
            periods.parse_code(text)
            return text, None, None
        if kind == "date":
            return parse_date(raw), None, None
    except (ValueError, periods.PeriodError):
        pass
    fixes = {
        "number": "Type a number such as 45, 45% or 1,234.",
        "int": "Type a whole number such as 1.",
        "year": "Write the financial year as 2009/10.",
        "period": "Write a year as 2009/10 or a quarter as 2009/10 Q2.",
        "date": "Type a date, e.g. 30/06/2009.",
    }
    return None, f"{column.name} is not a valid {kind}", fixes.get(kind, "Correct the cell.")


@dataclass
class Framework:
    """A framework workbook, read and typed: one frame per sheet (missing sheets are None)."""

    file_name: str
    sheets: dict[str, pd.DataFrame | None]
    messages: list[Message] = field(default_factory=list)

    def get(self, name: str) -> pd.DataFrame | None:
        return self.sheets.get(name)


def workbook_sheets(
    path: str | Path, names: tuple[str, ...], file_name: str
) -> dict[str, list[list[object]]]:
    """The rows of the sheets named that the workbook has (hidden or not), read in a reader
    process (:mod:`analytics.ingest.sandbox`); raises :class:`FileRejected` if it cannot be
    read, or not safely."""
    try:
        read = read_sheets(path, display_name=file_name, visible=False, named=names,
                           workbooks_only=True)  # fmt: skip
    except IngestError as exc:
        if isinstance(exc, FileTooLarge | UnsafeToRead):
            text, fix = exc.message, exc.fix
        else:
            text = f"this is not a workbook we can read ({exc.message})"
            fix = "Save it as .xlsx from Excel or LibreOffice and try again."
        raise FileRejected(
            [Message("error", file_name, exc.sheet, exc.cell, None, text, fix)]
        ) from exc
    return read.named


def _read_sheet(
    sheets: dict[str, list[list[object]]], sheet: spec.SheetSpec, file_name: str
) -> tuple[pd.DataFrame | None, list[Message]]:
    messages: list[Message] = []
    if sheet.name not in sheets:
        if sheet.required_sheet:
            messages.append(
                Message(
                    "error",
                    file_name,
                    sheet.name,
                    None,
                    None,
                    f"the workbook has no '{sheet.name}' sheet",
                    "Start from `lsp framework template`, which has every sheet.",
                )
            )
        return None, messages
    grid = sheets[sheet.name]
    if not grid:
        return pd.DataFrame(columns=[c.name for c in sheet.columns]), messages
    headers = [str(h).strip().lower().replace(" ", "_") for h in grid[0]]
    known = {c.name for c in sheet.columns}
    positions = {name: i for i, name in enumerate(headers) if name in known}
    for column in sheet.columns:
        if column.required and column.name not in positions:
            messages.append(
                Message(
                    "error",
                    file_name,
                    sheet.name,
                    "row 1",
                    None,
                    f"the required column '{column.name}' is missing",
                    f"Add a column headed '{column.name}' in row 1.",
                )
            )
    for i, name in enumerate(headers):
        if name and name not in known:
            messages.append(
                Message(
                    "warning",
                    file_name,
                    sheet.name,
                    cell_ref(0, i),
                    grid[0][i],
                    "this column is not part of the framework and was ignored",
                    f"Known columns: {', '.join(c.name for c in sheet.columns)}.",
                )
            )
    if any(m.severity == "error" for m in messages):
        return None, messages

    records: list[dict[str, object]] = []
    seen: dict[tuple, int] = {}
    for r, row in enumerate(grid[1:], start=1):
        cells = {name: row[pos] if pos < len(row) else None for name, pos in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        record: dict[str, object] = {"_row": r + 1}
        for column in sheet.columns:
            if column.name not in positions:
                record[column.name] = None
                continue
            raw = cells[column.name]
            value, problem, fix = _convert(column, raw)
            ref = cell_ref(r, positions[column.name])
            if problem:
                messages.append(Message("error", file_name, sheet.name, ref, raw, problem, fix))
            elif value is None and column.required:
                messages.append(
                    Message(
                        "error",
                        file_name,
                        sheet.name,
                        ref,
                        None,
                        f"{column.name} is required",
                        f"Fill in {column.name}.",
                    )
                )
            record[column.name] = value
        key = tuple(record.get(k) for k in sheet.key)
        if sheet.key and all(k is not None for k in key):
            if key in seen:
                messages.append(
                    Message(
                        "error",
                        file_name,
                        sheet.name,
                        f"row {r + 1}",
                        " / ".join(map(str, key)),
                        f"this row repeats row {seen[key]} (same {', '.join(sheet.key)})",
                        "Delete one of the two rows, or correct the key.",
                    )
                )
            else:
                seen[key] = r + 1
        records.append(record)
    # object dtype keeps blanks as None (pandas would otherwise turn them into NaN)
    frame = pd.DataFrame(records, columns=["_row", *[c.name for c in sheet.columns]], dtype=object)
    return frame, messages


def _cross_check(fw: Framework, messages: list[Message]) -> None:
    """References between sheets: themes named, indicators known, actions present."""
    themes = fw.get("Themes")
    theme_names = set() if themes is None else set(themes["theme"].dropna())
    indicators = fw.get("Indicators")
    codes = set() if indicators is None else set(indicators["code"].dropna())
    file_name = fw.file_name

    def check(sheet: str, column: str, allowed: set, what: str, fix: str) -> None:
        frame = fw.get(sheet)
        if frame is None or frame.empty:
            return
        col_index = [c.name for c in spec.SHEETS_BY_NAME[sheet].columns].index(column)
        for row, value in zip(frame["_row"], frame[column], strict=True):
            if value is None:
                continue
            if value not in allowed:
                messages.append(
                    Message(
                        "error",
                        file_name,
                        sheet,
                        cell_ref(int(row) - 1, col_index),
                        value,
                        f"{what} is not in the workbook",
                        fix,
                    )
                )

    check(
        "Indicators",
        "theme",
        theme_names,
        "this theme",
        "Add the theme to the Themes sheet, or correct the spelling.",
    )
    check(
        "Actions",
        "theme",
        theme_names,
        "this theme",
        "Add the theme to the Themes sheet, or correct the spelling.",
    )
    check(
        "Targets",
        "code",
        codes,
        "this indicator code",
        "Add the indicator to the Indicators sheet, or correct the code.",
    )
    check(
        "Comparators",
        "code",
        codes,
        "this indicator code",
        "Add the indicator to the Indicators sheet, or correct the code.",
    )
    actions = fw.get("Actions")
    action_codes = set() if actions is None else set(actions["action_code"].dropna())
    check(
        "Milestones",
        "action_code",
        action_codes,
        "this action",
        "Add the action to the Actions sheet, or correct the code.",
    )
    _check_green_bands(fw, messages)
    messages.extend(county_messages(fw.sheets, file_name))
    partnership = fw.get("Partnership")
    if partnership is not None and len(partnership) > 1:
        messages.append(
            Message(
                "error",
                file_name,
                "Partnership",
                "row 3",
                None,
                "the Partnership sheet must have exactly one row",
                "Keep one row describing this partnership.",
            )
        )


def _check_green_bands(fw: Framework, messages: list[Message]) -> None:
    """A green band is 0 to 100% of the target; one as wide as the amber tolerance leaves the
    percentage rule no amber (a warning: it may be meant)."""
    indicators = fw.get("Indicators")
    if indicators is None or indicators.empty or "green_tolerance_pct" not in indicators:
        return
    names = [c.name for c in spec.INDICATORS.columns]
    col = names.index("green_tolerance_pct")
    for rec in indicators.to_dict("records"):
        band = rec["green_tolerance_pct"]
        if band is None:
            continue
        cell = cell_ref(int(rec["_row"]) - 1, col)
        if not 0 <= band < 100:
            messages.append(
                Message(
                    "error",
                    fw.file_name,
                    "Indicators",
                    cell,
                    band,
                    "the green band is a percentage of the target, from 0 up to 100",
                    "Type the band as a percentage (10 for within 10% of target), or leave it "
                    "blank if the target itself must be met.",
                )
            )
            continue
        amber = rec.get("amber_tolerance_pct")
        amber = spec.INDICATOR_DEFAULTS["amber_tolerance_pct"] if amber is None else amber
        if (rec.get("status_rule") or "pct_tolerance") == "pct_tolerance" and band >= amber:
            messages.append(
                Message(
                    "warning",
                    fw.file_name,
                    "Indicators",
                    cell,
                    band,
                    f"{rec['code']}: the green band ({band:g}%) is as wide as the amber "
                    f"tolerance ({amber:g}%), so it is never amber: green or red",
                    "Widen amber_tolerance_pct beyond the green band if amber is wanted.",
                )
            )


def read_framework(path: str | Path, display_name: str | None = None) -> Framework:
    """Read every sheet; raise FileRejected listing every error (warnings ride along)."""
    path = Path(path)
    file_name = display_name or path.name
    book = workbook_sheets(path, tuple(sheet.name for sheet in spec.SHEETS), file_name)
    messages: list[Message] = []
    sheets: dict[str, pd.DataFrame | None] = {}
    for sheet in spec.SHEETS:
        frame, found = _read_sheet(book, sheet, file_name)
        sheets[sheet.name] = frame
        messages.extend(found)
    fw = Framework(file_name, sheets, messages)
    if not any(m.severity == "error" for m in messages):
        _cross_check(fw, messages)
    if any(m.severity == "error" for m in messages):
        raise FileRejected(messages)
    return fw
