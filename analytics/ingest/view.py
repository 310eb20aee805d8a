"""Tables the Returns page shows, built from intake results and queries (pure: no Streamlit).

Statuses and severities carry a word and a symbol, never colour alone.
"""

from __future__ import annotations

import pandas as pd

from analytics import labels
from analytics.ingest.mapping import FIELDS, ColumnMapping
from analytics.messages import Message

SEVERITY = {"error": "✖ error", "warning": "⚠ warning"}
STATUS = labels.STATUS
CHANGE = labels.RETURN_CHANGE
SUBMISSION = {
    "on time": "✔ on time",
    "late": "⚠ returned late",
    "overdue": "✖ overdue: not returned",
    "not yet due": "… not yet due",
}
NOT_READ = "(not read)"
FIELD_CHOICES = [NOT_READ, *FIELDS]


def messages_table(messages: list[Message]) -> pd.DataFrame:
    """Errors first, then warnings: where (sheet, cell), what was found, what to do."""
    rows = [
        {
            "severity": SEVERITY.get(m.severity, m.severity),
            "sheet": m.sheet or "",
            "cell": m.cell or "",
            "found": "" if m.value is None else str(m.value),
            "message": m.text,
            "what to do": m.fix,
        }
        for m in sorted(messages, key=lambda m: m.severity != "error")
    ]
    return pd.DataFrame(rows, columns=["severity", "sheet", "cell", "found", "message",
                                       "what to do"])  # fmt: skip


def mapping_table(mapping: ColumnMapping) -> pd.DataFrame:
    """One row per column of a mapped sheet: letter, heading, the field it fills."""
    return pd.DataFrame(
        {
            "column": [r.letter for r in mapping.columns],
            "heading": [r.header for r in mapping.columns],
            "period (wide layout)": [r.period or "" for r in mapping.columns],
            "field": [r.field or NOT_READ for r in mapping.columns],
        }
    )


def apply_mapping_edits(mapping: ColumnMapping, edited_rows: dict) -> ColumnMapping:
    """The mapping with the officer's corrections (``data_editor`` edited_rows: row -> {col:
    value}) applied to its ``field`` column."""
    fixed = ColumnMapping.from_dict(mapping.to_dict())
    for row, change in (edited_rows or {}).items():
        if "field" in change and int(row) < len(fixed.columns):
            value = change["field"]
            fixed.columns[int(row)].field = None if value in (None, NOT_READ) else value
    if any(r.field in ("actual_value", "target_value") and r.period for r in fixed.columns):
        fixed.layout = "wide"
    else:
        fixed.layout = "long"
    return fixed


PREVIEW_COLUMNS = ["code", "period", "change", "old value", "new value", "status after commit",
                   "why", "status now", "title", "file"]  # fmt: skip


def _value_text(value: object) -> str:
    """A value as the officer typed it; a blank (no value before) is a dash, never 'None'."""
    if value is None or pd.isna(value):
        return "–"
    return f"{float(value):,.10g}"


def preview_table(preview: pd.DataFrame) -> pd.DataFrame:
    """The preview with words and symbols: change (old -> new) and the status each value
    would get, in the first screen width; the reason, status now, title and file after."""
    if preview.empty:
        return pd.DataFrame(columns=PREVIEW_COLUMNS)
    return pd.DataFrame(
        {
            "file": preview["file"],
            "code": preview["indicator_code"],
            "title": preview["title"],
            "period": preview["period"],
            "change": preview["change"].map(CHANGE).fillna(preview["change"]),
            "old value": preview["old_value"].map(_value_text),
            "new value": preview["actual_value"].map(_value_text),
            "status now": preview["status_now"].astype(object).map(STATUS).fillna("–"),
            "status after commit": preview["status"].astype(object).map(STATUS).fillna("–"),
            "why": preview["status_reason"].fillna("–"),
        }
    )[PREVIEW_COLUMNS]


def commit_label(ready: int) -> str:
    """The commit button: 'Commit 1 return', 'Commit 3 returns'."""
    return f"Commit {ready} return" + ("" if ready == 1 else "s")


REVIEW = {
    "submitted": "… awaiting sign-off",
    "accepted": "✔ accepted",
    "sent_back": "✖ sent back",
}


def tracker_table(tracker: pd.DataFrame) -> pd.DataFrame:
    if tracker.empty:
        return tracker
    return pd.DataFrame(
        {
            "theme group": tracker["theme"],
            "submission": tracker["submission"].map(SUBMISSION),
            "sign-off": tracker["review_state"].map(REVIEW).fillna("–"),
            "received": tracker["received_on"].map(
                lambda d: "–" if d is None or pd.isna(d) else f"{d:%Y-%m-%d}"
            ),  # fmt: skip
            "due by": tracker["due_date"],
            "days late": tracker["days_late"],
            "file": tracker["file_name"].fillna("–"),
            "indicators due": tracker["indicators_due"],
            "still missing": tracker["indicators_missing"],
            "missing indicators": tracker["missing_codes"],
            "chair": tracker["chair"],
        }
    )
