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
    names = list(frame.columns)
    # plain lists first: a frame's own map and itertuples cost 15 ms a table, and the
    # national scrutiny pack has 85 of them
    data = {name: frame[name].tolist() for name in names}
    columns = []
    for name in names:
        if name in status_columns:
            columns.append(Column(str(name), "status"))
            continue
        if pd.api.types.is_integer_dtype(frame[name]):
            columns.append(Column(str(name), "int", "right"))
        else:
            long = max((len(clean(v)) for v in data[name]), default=0)
            columns.append(Column(str(name), "wrap" if long > WRAP_AFTER else "text"))
    rows = []
    for record in zip(*(data[name] for name in names), strict=True):
        row = []
        for name, value in zip(names, record, strict=True):
            if name in status_columns:
                row.append(Status("" if is_blank(value) else str(value), "", status_columns[name]))
            elif is_blank(value):
                row.append(None)
            elif isinstance(value, float) and value.is_integer():
                row.append(int(value))
            else:
                row.append(value)
        rows.append(row)
    keys = [str(k) for k in data[key]] if key and key in data else None
    return Table(columns, rows, row_keys=keys, empty_text=empty_text, caption=caption)
