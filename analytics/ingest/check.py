"""Read, map and validate returns without touching the warehouse: files in, frames and
messages out. Nothing here raises for a bad file; every problem becomes a :class:`Message`.

    check = check_return("csp_q1.xlsx", known_indicators=known, return_period="2008/09 Q1",
                         today=date(2008, 8, 1))
    if check.ok:
        ...  # the load path takes check.frame
    for message in check.messages:
        print(message.format())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.ingest.errors import IngestError, NoHeaderRow
from analytics.ingest.mapping import (
    ColumnMapping,
    apply_mapping,
    empty_frame,
    find_header_row,
    headings_match,
    propose_mapping,
)
from analytics.ingest.read import DEFAULT_LIMITS, ReadLimits, SheetGrid, read_workbook
from analytics.ingest.spelling import header_synonyms
from analytics.ingest.units import apply_units
from analytics.ingest.validate import resolve_codes, validate
from analytics.messages import Message, MessageCheck

MIN_HEADER_SCORE = 2
FIELD_WORDS = {
    "indicator_code": "an indicator code (Ref, NI, PI code) or title",
    "actual_value": "the actual value (Actual, Outturn, Value)",
    "period": "the period (a Period or Quarter column, or the period in the title)",
}


@dataclass
class ReturnCheck(MessageCheck):
    file: str
    frame: pd.DataFrame
    mappings: list[ColumnMapping] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


def message_from_error(error: IngestError) -> Message:
    return Message(
        "error", error.file, error.sheet, error.cell, error.value, error.message, error.fix
    )


def mapping_messages(mapping: ColumnMapping, file: str) -> list[Message]:
    """Missing required columns (errors), unread columns and unreadable period headings."""
    out = []
    header_cell = f"A{mapping.header_row + 1}"
    for missing in mapping.missing_fields():
        out.append(
            Message(
                "error",
                file,
                mapping.sheet,
                header_cell,
                None,
                f"no column for {FIELD_WORDS[missing]} in the header row {mapping.header_row + 1}",
                "use the return template's headings, or map the columns in the app",
            )
        )
    for rule in mapping.columns:
        cell = mapping.header_cell(rule)
        if rule.problem:
            out.append(
                Message(
                    "error",
                    file,
                    mapping.sheet,
                    cell,
                    rule.header,
                    f"period heading not understood: {rule.problem}",
                    "write the heading with its year, e.g. 2008/09 Q1",
                )
            )
        elif rule.field is None and rule.header:
            out.append(
                Message(
                    "warning",
                    file,
                    mapping.sheet,
                    cell,
                    rule.header,
                    f"column {rule.letter} is not read (heading not recognised)",
                    "if it holds return data, map it in the app or use the template heading",
                )
            )
    return out


def map_grids(
    grids: list[SheetGrid],
    *,
    period: str | None = None,
    default_year: str | None = None,
    mappings: dict[str, ColumnMapping] | None = None,
    header_rows: dict[str, int] | None = None,
) -> tuple[pd.DataFrame, list[ColumnMapping], list[Message]]:
    """Map every visible sheet that has a header row; say which sheets were skipped.

    ``mappings``: per sheet, a mapping to follow (remembered for the theme group, or the
    officer's correction); its headings override the synonyms, and its header row is kept
    while that row still holds its headings. ``header_rows``: per sheet, the row of headings
    (0-based) the officer chose; a sheet given one is read even if we would not have
    recognised it."""
    synonyms = header_synonyms()
    frames, used, messages = [], [], []
    for grid in grids:
        if not grid.visible:
            messages.append(
                Message(
                    "warning",
                    grid.file,
                    grid.name,
                    None,
                    None,
                    f"sheet {grid.name!r} is hidden and was not read",
                    "if it holds return data, unhide it (right-click the tab › Unhide) "
                    "and re-send the file",
                )
            )
            continue
        remembered = (mappings or {}).get(grid.name)
        header_row = (header_rows or {}).get(grid.name)
        if header_row is None and remembered is not None and headings_match(grid, remembered):
            header_row = remembered.header_row
        if (
            remembered is None
            and header_row is None
            and find_header_row(grid, synonyms)[1] < MIN_HEADER_SCORE
        ):
            if not grid.is_empty:
                messages.append(
                    Message(
                        "warning",
                        grid.file,
                        grid.name,
                        None,
                        None,
                        f"sheet {grid.name!r} has no header row we recognise; not read",
                        "if it holds return data, give it the template's headings",
                    )
                )
            continue
        mapping = propose_mapping(
            grid,
            period=period,
            default_year=default_year,
            remembered=remembered,
            synonyms=synonyms,
            header_row=header_row,
        )
        used.append(mapping)
        sheet_messages = mapping_messages(mapping, grid.file)
        messages += sheet_messages
        if not any(m.is_error for m in sheet_messages):
            frames.append((apply_mapping(grid, mapping), mapping.layout))
    if not used:
        error = NoHeaderRow(
            "no sheet has a header row we recognise (looked in the first 30 rows for headings "
            "such as Ref, Indicator, Actual, Target, Period)",
            fix="use the return template, or put a row of headings above the figures",
            file=grids[0].file if grids else "",
        )
        messages.append(message_from_error(error))
    frame = pd.concat([f for f, _ in frames], ignore_index=True) if frames else None
    if frame is None:
        frame = empty_frame()
    frame.attrs["layouts"] = [layout for _, layout in frames]
    return frame, used, messages


def check_return(
    path: str | Path,
    *,
    known_indicators: pd.DataFrame | None = None,
    previous_values: pd.DataFrame | None = None,
    return_period: str | None = None,
    today: date | None = None,
    default_year: str | None = None,
    mappings: dict[str, ColumnMapping] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ReturnCheck:
    """Read + map + validate one file. ``mappings``: remembered mapping per sheet name."""
    path = Path(path)
    try:
        grids = read_workbook(path, limits)
    except IngestError as error:
        return ReturnCheck(path.name, empty_frame(), [], [message_from_error(error)])
    frame, used, messages = map_grids(
        grids, period=return_period, default_year=default_year, mappings=mappings
    )
    if not frame.empty:
        layouts = frame.attrs.get("layouts", [])
        frame = resolve_codes(frame, known_indicators)
        frame, unit_messages = apply_units(frame, known_indicators)
        layout = "wide" if "wide" in layouts else "long"
        messages += unit_messages
        messages += validate(
            frame,
            known_indicators=known_indicators,
            previous_values=previous_values,
            return_period=return_period,
            today=today,
            layout=layout,
            resolved=True,
            units_applied=True,
        )
    elif not any(m.is_error for m in messages):
        messages.append(
            Message(
                "error",
                path.name,
                None,
                None,
                None,
                "no indicator rows found under the headings",
                "fill in the return below the header row and re-send it",
            )
        )
    return ReturnCheck(path.name, frame, used, messages)
