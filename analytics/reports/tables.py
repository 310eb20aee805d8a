"""Frames as document tables: a column named in ``status_columns`` becomes a status cell
of its scheme; everything else is text or a number as it stands (pure)."""

from __future__ import annotations

import pandas as pd

from analytics.reports.document import Column, Status, Table
from analytics.reports.text import clean, is_blank

WRAP_AFTER = 30  # a column whose text runs longer than this wraps


def frame_table(
    frame: pd.DataFrame,
    status_columns: dict[str, str] | None = None,
    empty_text: str = "None.",
    caption: str | None = None,
    key: str | None = None,
) -> Table:
    status_columns = status_columns or {}
    columns = []
    for name in frame.columns:
        if name in status_columns:
            columns.append(Column(str(name), "status"))
            continue
        values = frame[name]
        if pd.api.types.is_integer_dtype(values):
            columns.append(Column(str(name), "int", "right"))
        else:
            long = values.map(lambda v: len(clean(v))).max() if len(values) else 0
            columns.append(Column(str(name), "wrap" if long and long > WRAP_AFTER else "text"))
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for name, value in zip(frame.columns, record, strict=True):
            if name in status_columns:
                row.append(Status("" if is_blank(value) else str(value), "", status_columns[name]))
            elif is_blank(value):
                row.append(None)
            elif isinstance(value, float) and value.is_integer():
                row.append(int(value))
            else:
                row.append(value)
        rows.append(row)
    keys = frame[key].astype(str).tolist() if key and key in frame else None
    return Table(columns, rows, row_keys=keys, empty_text=empty_text, caption=caption)
