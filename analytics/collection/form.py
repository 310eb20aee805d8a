"""The theme leads' web form: what it shows, how what was typed is checked, and submitting it.

The form is our return template filled in on the page. What is typed goes, **as typed**, into
the template's input cells (text cells: ``45%``, ``£2.3m``, even ``=1+1``, which a
spreadsheet then shows as text and never runs), and that workbook goes through the same
intake as an uploaded spreadsheet (:func:`analytics.ingest.intake.intake_file`: units,
values, checks, the same messages); the statuses come from the same preview
(:func:`analytics.warehouse.returns.preview_returns`). A message names the template's cell,
and :func:`check` puts it on the form's field: the value (column K), the data-quality flag
(L), the commentary (M), the remedial action (N), the numerator (O) or the denominator (P) of
the indicator on that row.

Submitting commits that workbook like any return (kept under ``raw/``, previewed, committed
by :func:`analytics.warehouse.returns.commit_returns` with the same history and audit) and
records the form as submitted in the same transaction.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from analytics.access import User
from analytics.ingest.intake import Intake, IntakeContext, intake_file
from analytics.ingest.template import (
    COL,
    HEADER_ROW,
    RETURN_SHEET,
    ReturnMeta,
    write_return_template,
)
from analytics.messages import Message

# The form's fields and the template columns they fill.
FIELD_COLUMNS = {
    "value": COL["value"],
    "dq_flag": COL["dq_flag"],
    "commentary": COL["commentary"],
    "remedial_action": COL["remedial_action"],
    "numerator": COL["numerator"],  # shown only on the rows of percentages and rates
    "denominator": COL["denominator"],
}
_LETTER = {"ABCDEFGHIJKLMNOPQRSTUVWXYZ"[c]: name for name, c in FIELD_COLUMNS.items()}
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass
class FormCheck:
    """What was typed, read as a return: the intake, every message on its field, and the
    status each value would get."""

    intake: Intake
    by_field: dict[tuple[str, str], list[Message]] = field(default_factory=dict)
    general: list[Message] = field(default_factory=list)
    statuses: pd.DataFrame = field(default_factory=pd.DataFrame)  # code -> status, reason

    @property
    def ok(self) -> bool:
        return self.intake.ok

    def messages_for(self, code: str, field_name: str) -> list[Message]:
        return self.by_field.get((code, field_name), [])


def form_file_name(theme: str, period: str) -> str:
    """``2011-12_Q1_communities-that-are-safe-and-feel-safe_form.xlsx``."""
    from analytics.warehouse.returns import template_file_name

    return template_file_name(theme, period).replace("_return.xlsx", "_form.xlsx")


def write_form_file(
    out: Path, info: dict, theme: str, period: str, rows: pd.DataFrame, history: list[str],
    entries: list[dict],
) -> Path:  # fmt: skip
    """Our template for the theme group and quarter, with what was typed in its input
    cells as text (never as a formula)."""
    meta = ReturnMeta(info["partnership_code"], info["partnership_name"], theme, period)
    write_return_template(out, meta, rows, history)
    typed = {e["code"]: e for e in entries}
    book = openpyxl.load_workbook(out)
    sheet = book[RETURN_SHEET]
    for r, code in enumerate(rows["code"], start=HEADER_ROW + 1):
        entry = typed.get(code, {})
        for name, column in FIELD_COLUMNS.items():
            text = str(entry.get(name) or "").strip()
            if text:
                cell = sheet.cell(r, column + 1)
                cell.value = text
                cell.data_type = "s"  # as typed: text, never a formula
    book.save(out)
    return out


def _place(messages: list[Message], rows: pd.DataFrame, sheet: str) -> tuple[dict, list]:
    codes = list(rows["code"])
    by_field: dict[tuple[str, str], list[Message]] = {}
    general: list[Message] = []
    for message in messages:
        found = _CELL.match(message.cell or "") if message.sheet in (sheet, None) else None
        index = int(found.group(2)) - HEADER_ROW - 1 if found else -1
        name = _LETTER.get(found.group(1)) if found else None
        if name is not None and 0 <= index < len(codes):
            by_field.setdefault((codes[index], name), []).append(message)
        else:
            general.append(message)
    return by_field, general


def check(
    path, folder: Path, context: IntakeContext, info: dict, theme: str, period: str,
    rows: pd.DataFrame, history: list[str], entries: list[dict],
) -> FormCheck:  # fmt: skip
    """Write what was typed to a workbook in ``folder``, read it as the spreadsheet path
    reads a return, and say per field what is wrong and per indicator the status it would
    get (from the rows without an error)."""
    from analytics.warehouse.returns import preview_returns

    out = write_form_file(folder / form_file_name(theme, period), info, theme, period, rows,
                          history, entries)  # fmt: skip
    intake = intake_file(out, context, theme=theme, period=period, file_name=out.name)
    by_field, general = _place(intake.messages, rows, RETURN_SHEET)
    result = FormCheck(intake, by_field, general)
    bad = {code for (code, _), ms in by_field.items() if any(m.is_error for m in ms)}
    values = intake.values[~intake.values["indicator_code"].isin(bad)]
    if values.empty or any(m.is_error for m in general):
        return result
    clean = dataclasses.replace(intake, messages=[], values=values.reset_index(drop=True))
    preview = preview_returns([clean], path)
    if not preview.empty:
        result.statuses = preview.set_index("indicator_code")[["status", "status_reason"]]
    return result


def submit(
    path, partnership_id: int, theme_id: int, context: IntakeContext, info: dict, theme: str,
    period: str, rows: pd.DataFrame, history: list[str], entries: list[dict], base_version: int,
    *, user: User,
):  # fmt: skip
    """Check what was typed and, with no error, commit it as the theme group's return for
    the quarter (received today), recording the form as submitted in the same transaction.
    Returns (:class:`FormCheck`, :class:`~analytics.warehouse.returns.CommitResult` or None
    when there are errors to fix first)."""
    from analytics.warehouse.drafts import record_submission
    from analytics.warehouse.returns import commit_returns

    with tempfile.TemporaryDirectory(prefix="lsp-form-") as folder:
        checked = check(path, Path(folder), context, info, theme, period, rows, history, entries)
        if not checked.ok:
            return checked, None
        [result] = commit_returns(
            [checked.intake], path, user=user, layout="form", remember_mappings=False,
            also=record_submission(partnership_id, theme_id, period, entries, base_version),
        )  # fmt: skip
        return checked, result
