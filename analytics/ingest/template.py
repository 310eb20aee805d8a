"""Our own quarterly return template: written with openpyxl, read back exactly.

Layout of the ``Return`` sheet (row numbers are Excel's):

- rows 1-2: title and instructions; row 4: headers (``RETURN_COLUMNS``); data from row 5.
- Pre-filled and locked: code, title, unit, polarity (better), period, the period's target and
  the last four values. Input (unlocked, shaded): value, data-quality flag (drop-down),
  commentary, remedial action.
- ``Positive activities``: free rows of title and description (unlocked).
- ``_meta`` (very hidden): template version, partnership code, theme, period. Its presence is
  how a file is recognised as our template and read exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analytics import vocabulary
from analytics.ingest.errors import IngestError
from analytics.ingest.read import read_sheets
from analytics.messages import Message

TEMPLATE_VERSION = "1"
RETURN_SHEET = "Return"
ACTIVITY_SHEET = "Positive activities"
META_SHEET = "_meta"
HEADER_ROW = 4  # Excel row of the headers
DQ_FLAGS = vocabulary.DQ_FLAGS

# (header, width, is_input)
RETURN_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("code", 10, False),
    ("title", 52, False),
    ("unit", 12, False),
    ("better", 8, False),
    ("period", 11, False),
    ("target", 10, False),
    ("previous 4", 10, False),
    ("previous 3", 10, False),
    ("previous 2", 10, False),
    ("previous 1", 10, False),
    ("value", 11, True),
    ("dq_flag", 11, True),
    ("commentary", 48, True),
    ("remedial_action", 48, True),
    ("numerator", 12, True),  # only where the indicator takes a ratio (see RATIO_COLUMNS)
    ("denominator", 12, True),
)
# Input only for a percentage or a rate (``takes_ratio``); grey and locked on other rows.
RATIO_COLUMNS = ("numerator", "denominator")
COL = {name: i for i, (name, _, _) in enumerate(RETURN_COLUMNS)}

LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


@dataclass(frozen=True)
class ReturnMeta:
    partnership_code: str
    partnership_name: str
    theme: str
    period: str
    due_by: str = ""


def _fmt(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def write_return_template(
    path: str | Path,
    meta: ReturnMeta,
    rows: pd.DataFrame,
    history_periods: list[str],
    activities: pd.DataFrame | None = None,
) -> Path:
    """Write a return for one theme and period.

    ``rows``: code, title, unit, polarity, period, target_value, hist_1..hist_4 (oldest first,
    for ``history_periods``), and optionally actual_value, dq_flag, commentary and
    remedial_action to pre-fill (the demo partnership's returns are written this way).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    ws = book.active
    ws.title = RETURN_SHEET
    ws["A1"] = f"{meta.partnership_name}: quarterly performance return"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"Theme group: {meta.theme}    Period: {meta.period}"
        + (f"    Please return by {meta.due_by}" if meta.due_by else "")
        + "    Fill in the yellow cells only; see the Instructions sheet."
    )
    headers = [name for name, _, _ in RETURN_COLUMNS]
    for i, period in enumerate(history_periods[-4:]):
        headers[COL["previous 4"] + (4 - len(history_periods[-4:])) + i] = period
    for c, name in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, c, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = RETURN_COLUMNS[c - 1][1]
    prefill = {
        "code": "code", "title": "title", "unit": "unit", "better": "polarity",
        "period": "period", "target": "target_value", "previous 4": "hist_1",
        "previous 3": "hist_2", "previous 2": "hist_3", "previous 1": "hist_4",
        "value": "actual_value", "dq_flag": "dq_flag", "commentary": "commentary",
        "remedial_action": "remedial_action", "numerator": "numerator_value",
        "denominator": "denominator_value",
    }  # fmt: skip
    first = HEADER_ROW + 1
    for r, rec in enumerate(rows.to_dict("records"), start=first):
        for c, (name, _, is_input) in enumerate(RETURN_COLUMNS, start=1):
            if name in RATIO_COLUMNS and not rec.get("takes_ratio"):
                is_input = False  # a count or an index: no numerator, no denominator
            cell = ws.cell(r, c, _fmt(rec.get(prefill[name])))
            cell.fill = INPUT_FILL if is_input else LOCKED_FILL
            cell.protection = Protection(locked=not is_input)
            if name in {"commentary", "remedial_action", "title"}:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = max(first, first + len(rows) - 1)
    dv = DataValidation(type="list", formula1=f'"{",".join(DQ_FLAGS)}"', allow_blank=True)
    dv.error = "Choose ok, provisional, estimate or concern"
    dq_letter = get_column_letter(COL["dq_flag"] + 1)
    dv.add(f"{dq_letter}{first}:{dq_letter}{last}")
    ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(first, COL["title"] + 2)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    acts = book.create_sheet(ACTIVITY_SHEET)
    acts.append(["title", "description"])
    for c in (1, 2):
        acts.cell(1, c).font = Font(bold=True, color="FFFFFF")
        acts.cell(1, c).fill = HEADER_FILL
    acts.column_dimensions["A"].width = 50
    acts.column_dimensions["B"].width = 90
    if activities is not None:
        for rec in activities.to_dict("records"):
            acts.append([rec.get("title"), rec.get("description")])

    info = book.create_sheet("Instructions")
    for line in (
        f"Quarterly return for {meta.theme}, {meta.period}.",
        "Return sheet: type each indicator's value for the period in the 'value' column.",
        "Percentages may be typed as 45 or 45%. Leave a value blank if it is not available and "
        "say why in the commentary: a blank is reported as missing, never as zero.",
        "Cumulative indicators: give the year-to-date figure.",
        "numerator and denominator (yellow only for percentages and rates, such as a survey "
        "result): the number counted and the number it is out of (people asked, the "
        "population), if you have them. With both, the dashboard shows how sure the figure "
        "is (a confidence interval). Leave them blank if you do not have them.",
        "dq_flag: ok, provisional, estimate, or concern (a data-quality concern).",
        "commentary: why the figure is what it is. remedial_action: for anything off target, "
        "what will be done, by whom and by when.",
        "Positive activities sheet: achievements this quarter, for the Board report.",
        "Do not add, remove or rename columns; the grey cells are locked.",
    ):
        info.append([line])
    info.column_dimensions["A"].width = 120

    hidden = book.create_sheet(META_SHEET)
    for key, value in (
        ("template_version", TEMPLATE_VERSION),
        ("partnership_code", meta.partnership_code),
        ("theme", meta.theme),
        ("period", meta.period),
    ):
        hidden.append([key, value])
    hidden.sheet_state = "veryHidden"
    book.save(path)
    return path


@dataclass
class TemplateReturn:
    """A return read from our template: typed values, activities, and problems found."""

    file_name: str
    partnership_code: str
    theme: str
    period: str
    values: pd.DataFrame
    activities: pd.DataFrame
    messages: list[Message] = field(default_factory=list)


def template_meta(path: str | Path, display_name: str | None = None) -> dict[str, str] | None:
    """The ``_meta`` key/values if the file is our template, else None (also for a file
    that cannot be read: whoever reads it next says why).

    The sheet is very hidden, and the general reader skips hidden sheets, so it is asked
    for by name (intake reads it in the same pass as the return: :func:`meta_from_rows`)."""
    try:
        read = read_sheets(path, display_name=display_name, visible=False, named=(META_SHEET,),
                           workbooks_only=True)  # fmt: skip
    except IngestError:
        return None
    return meta_from_rows(read.named.get(META_SHEET))


def meta_from_rows(rows: list[list[object]] | None) -> dict[str, str] | None:
    """``_meta`` rows as key/values (from its first used column), if they are our
    template's (they name a template version)."""
    filled = [row for row in rows or [] if any(v != "" for v in row)]
    first = min((next(i for i, v in enumerate(row) if v != "") for row in filled), default=0)
    meta = {
        str(row[first]): str(row[first + 1])
        for row in filled
        if len(row) > first + 1 and row[first]
    }
    return meta if meta.get("template_version") else None


def due_period(frequency: str, survey_years: str | None, quarter: str) -> str | None:
    """The period an indicator reports in a quarter's return, or None if it is not due.

    Quarterly and monthly indicators report the quarter itself; annual ones report in Q4 as
    the year code; biennial (survey) ones in Q4 of their survey years only.
    """
    from analytics import periods

    p = periods.parse_code(quarter)
    if frequency in {"quarterly", "monthly"}:
        return quarter
    if p.number != 4:
        return None
    if frequency == "biennial":
        years = {y.strip() for y in str(survey_years or "").split(",") if y.strip()}
        if p.financial_year not in years:
            return None
    return p.financial_year
