"""The recommendation tracker as a workbook: a template to fill in, and a reader that
checks every cell (file, sheet, cell, what is wrong, what to do) before anything is loaded.

Sheet ``Recommendations``, one row per recommendation; loading it again updates each
recommendation by its reference. A blank reference gets the next free number in the
municipal year of ``made_on``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from analytics.framework.read import _read_sheet, normalise_code, workbook_sheets
from analytics.framework.spec import Column, SheetSpec
from analytics.framework.workbook import _sheet
from analytics.messages import FileRejected, Message
from analytics.scrutiny.tracker import (
    IMPLEMENTATION_STATUSES,
    RESPONSES,
    TrackerError,
    parse_reference,
)

SHEET = "Recommendations"

RECOMMENDATIONS = SheetSpec(
    name=SHEET,
    purpose="The committee's recommendations, the responses to them and their progress.",
    columns=(
        Column("reference", "text", False, "Municipal year and number, 2010/11-03 (blank: next)",
               width=12),
        Column("made_on", "date", True, "Date the committee agreed it", width=12),
        Column("review", "text", True, "The review or meeting that made it", width=30),
        Column("text", "text", True, "The recommendation in full", width=60),
        Column("addressed_to", "text", True, "Cabinet, the partnership Board, a theme group, "
               "a named partner", width=24),
        Column("theme", "text", False, "A theme group it concerns", width=30),
        Column("indicator_codes", "text", False, "Indicators it concerns: NI 191, NI 192",
               width=18),
        Column("sent_on", "date", False, "Date sent (the response is due two months later)",
               width=12),
        Column("response", "choice", False, "accepted, partly accepted or rejected", RESPONSES,
               width=16),
        Column("response_on", "date", False, "Date of the response", width=12),
        Column("response_text", "text", False, "The response in full", width=40),
        Column("lead_officer", "text", False, "Who leads the implementation", width=20),
        Column("due_on", "date", False, "Implementation due", width=12),
        Column("status", "choice", False, "not started, in progress, implemented, not "
               "implemented, superseded", IMPLEMENTATION_STATUSES, width=16),
        Column("closed_on", "date", False, "Date the committee closed it", width=12),
        Column("progress_note", "text", False, "The latest progress (added as a dated update)",
               width=40),
        Column("response_by", "text", False, "The body that responded (default: addressed_to)",
               width=20),
        Column("closure_evidence", "text", False, "What showed it was done", width=30),
        Column("progress_on", "date", False, "Date of the progress note (default: today)",
               width=12),
    ),
    key=("reference",),
    required_sheet=True,
)  # fmt: skip

COLUMNS = [c.name for c in RECOMMENDATIONS.columns]


def write_template(path: str | Path, rows: pd.DataFrame | None = None) -> Path:
    """The tracker workbook, blank or filled with ``rows`` (the tracker as it stands)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    notes = book.active
    notes.title = "Instructions"
    lines = [
        "Recommendation tracker",
        "",
        "One row per recommendation on the Recommendations sheet. Hover over a heading for "
        "its meaning; drop-down cells take only the listed values.",
        "Load it with `lsp recommendations import FILE`: every cell is checked first, and "
        "nothing is loaded unless the whole sheet is right.",
        "Loading it again updates each recommendation by its reference. A blank reference "
        "gets the next number in the municipal year of made_on (2010/11-01, -02, ...).",
        "The response is due two months after sent_on. Only the committee closes a "
        "recommendation: closed_on with closure_evidence.",
        "A progress_note different from the last one is added as a dated progress update.",
    ]
    for line in lines:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    _sheet(book, RECOMMENDATIONS, rows)
    book.properties.creator = "lsp-performance"
    book.save(path)
    return path


def read_tracker(
    path: str | Path,
    themes: dict[str, int],
    indicator_codes: set[str],
    display_name: str | None = None,
) -> pd.DataFrame:
    """Read and check the Recommendations sheet. ``themes``: theme name or short name (lower
    case) -> theme id; ``indicator_codes``: the partnership's codes. Returns one typed row per
    recommendation (``theme_id``, ``indicator_codes`` as 'NI 191, NI 192'); raises
    :class:`FileRejected` with every error, nothing loaded."""
    path = Path(path)
    name = display_name or path.name
    book = workbook_sheets(path, (SHEET,), name)
    frame, messages = _read_sheet(book, RECOMMENDATIONS, name)
    # Column positions in this file (the reader's own may differ from the template's).
    if frame is None:
        raise FileRejected(messages)
    grid = book[SHEET]
    headers = [str(h).strip().lower().replace(" ", "_") for h in (grid[0] if grid else [])]

    def err(row: int, column: str, value, text: str, fix: str) -> None:
        from analytics.messages import cell_ref

        col = headers.index(column) if column in headers else 0
        messages.append(Message("error", name, SHEET, cell_ref(row - 1, col), value, text, fix))

    out = []
    for rec in frame.to_dict("records"):
        row = int(rec["_row"])
        ref = rec.get("reference")
        if ref:
            try:
                parse_reference(ref)
            except TrackerError as exc:
                err(row, "reference", ref, str(exc),
                    "Write the municipal year and number, e.g. 2010/11-03.")  # fmt: skip
        theme_id = None
        if rec.get("theme"):
            theme_id = themes.get(str(rec["theme"]).strip().lower())
            if theme_id is None:
                err(row, "theme", rec["theme"], "no theme group of this partnership has this name",
                    f"Use one of: {', '.join(sorted({k for k in themes}))}.")  # fmt: skip
        codes = []
        for raw in str(rec.get("indicator_codes") or "").replace(";", ",").split(","):
            if raw.strip():
                code = normalise_code(raw)
                if code not in indicator_codes:
                    err(
                        row,
                        "indicator_codes",
                        raw.strip(),
                        "this indicator is not in the framework",
                        "Use codes from the framework, separated by commas (NI 191, NI 192).",
                    )
                codes.append(code)
        made, sent = rec.get("made_on"), rec.get("sent_on")
        if sent and made and sent < made:
            err(row, "sent_on", sent, "sent before the committee made it",
                "Correct sent_on or made_on.")  # fmt: skip
        if rec.get("response") and not rec.get("response_on"):
            err(row, "response_on", None, "a response needs its date",
                "Fill in response_on, the date of the response.")  # fmt: skip
        if rec.get("response_on") and not rec.get("response"):
            err(row, "response", None, "a response date without the response",
                "Choose accepted, partly accepted or rejected.")  # fmt: skip
        if rec.get("response_on") and not sent:
            err(row, "sent_on", None, "a response to a recommendation never sent",
                "Fill in sent_on, the date it was sent.")  # fmt: skip
        if rec.get("response_on") and sent and rec["response_on"] < sent:
            err(row, "response_on", rec["response_on"], "the response is dated before it was sent",
                "Correct response_on or sent_on.")  # fmt: skip
        closed = rec.get("closed_on")
        if closed and made and closed < made:
            err(row, "closed_on", closed, "closed before it was made", "Correct closed_on.")
        if closed and not rec.get("response"):
            err(row, "closed_on", closed, "closed before any response was recorded",
                "Record the response first, or leave closed_on blank.")  # fmt: skip
        if (
            closed
            and rec.get("response") != "rejected"
            and (rec.get("status") in (None, "not_started", "in_progress"))
        ):
            err(row, "status", rec.get("status"), "a closed recommendation must say how it ended",
                "Set status to implemented, not implemented or superseded.")  # fmt: skip
        out.append({**rec, "theme_id": theme_id, "indicator_codes": ", ".join(codes)})
    if any(m.is_error for m in messages):
        raise FileRejected(messages)
    if not out:
        raise FileRejected(
            [Message("error", name, SHEET, "row 2", None, "the sheet has no recommendations",
                     "Add one row per recommendation under the headings.")]
        )  # fmt: skip
    result = pd.DataFrame(out, dtype=object)
    result.attrs["warnings"] = [m for m in messages if not m.is_error]
    result.attrs["file_name"] = name
    return result
