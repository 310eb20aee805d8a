"""Every CSV the product writes, written one way: cells a spreadsheet would run as a formula
are neutralised.

A CSV opened in Excel or LibreOffice runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, a tab or carriage return) as a formula. Text in our CSVs can
come from whoever sent a return (a file name, a commentary) and is opened by an
administrator, so such text is written with a leading apostrophe, as OWASP advises ("CSV
injection"): the spreadsheet then shows it as text. Numbers are written as numbers (``-12``
stays a number); only text is touched. Lines end in CRLF (RFC 4180), so a field holding a
carriage return or a line break is always quoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TextIO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


def neutralise(value: object) -> object:
    """``value`` as a CSV cell: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell neutralised (numbers, dates, blanks as they
    were); column names too, since a header is a cell like any other."""
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore").astype(object)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def frame_to_csv(table: pd.DataFrame, out: TextIO | None = None) -> str | None:
    """``table`` as CSV (no index), neutralised: returned as text, or written to ``out``."""
    safe = neutralise_frame(table)
    if out is None:
        return safe.to_csv(index=False, lineterminator=LINE_END)
    safe.to_csv(out, index=False, lineterminator=LINE_END)
    return None


def rows_to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()
