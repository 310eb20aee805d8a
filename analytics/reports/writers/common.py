"""What every writer shares: status words and colours per scheme, cell text, column widths
from content (pure)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from analytics import labels
from analytics.formatting import format_day, format_value
from analytics.reports.document import Lines, Number, Status
from analytics.reports.text import clean, is_blank
from analytics.vocabulary import LATE_ACTION_STATUSES

HEADER_SHADE = "#1F3864"
NOT_REPORTED = "– Not reported"

# scheme -> (words, fill colours, text colours)
SCHEMES: dict[str, tuple[dict, dict, dict]] = {
    "rag": (labels.STATUS, labels.STATUS_COLOUR, labels.STATUS_TEXT_COLOUR),
    "public": (labels.PUBLIC_STATUS, labels.STATUS_COLOUR, labels.STATUS_TEXT_COLOUR),
    # milestones: only the late ones are filled, so they stand out in a long list
    "action": (
        labels.ACTION_STATUS,
        {s: labels.ACTION_COLOUR[s] for s in LATE_ACTION_STATUSES},
        {s: labels.ACTION_TEXT_COLOUR[s] for s in LATE_ACTION_STATUSES},
    ),
    "recommendation": (
        labels.RECOMMENDATION_RAG,
        labels.RECOMMENDATION_COLOUR,
        labels.RECOMMENDATION_TEXT_COLOUR,
    ),
    "response": (labels.RESPONSE, labels.RESPONSE_COLOUR, labels.RESPONSE_TEXT_COLOUR),
}


def status_word(cell: Status) -> str:
    words = SCHEMES[cell.scheme][0]
    return words.get(cell.status, cell.status) if cell.status else NOT_REPORTED


def status_fill(cell: Status) -> tuple[str | None, str]:
    """(background colour or None, text colour) of a status cell."""
    _, fills, texts = SCHEMES[cell.scheme]
    fill = fills.get(cell.status)
    return fill, texts.get(cell.status, "#000000") if fill else "#000000"


def number_text(cell: Number) -> str:
    if cell.text is not None:
        return cell.text
    if cell.value is None or is_blank(cell.value):
        return "–"
    return format_value(float(cell.value), int(cell.decimals), clean(cell.unit))


def cell_lines(value: object) -> list[str]:
    """A cell as lines of text (Word paragraphs, HTML line breaks)."""
    if isinstance(value, Status):
        return [status_word(value), *([clean(value.note)] if clean(value.note) else [])]
    if isinstance(value, Number):
        return [number_text(value)]
    if isinstance(value, Lines):
        return [clean(line) for line in value.lines if clean(line)]
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return [format_day(value)]
    if isinstance(value, float) and not is_blank(value):
        return [f"{value:,.1f}".rstrip("0").rstrip(".")]
    if isinstance(value, int):
        return [f"{value:,}"]
    text = clean(value)
    return text.split("\n") if text else []


_WORD = re.compile(r"\S+")


def content_widths(
    headers: list[str],
    rows: list[list[object]],
    total: float,
    minimum: float = 0.0,
    header_scale: float = 1.0,
) -> list[float]:
    """Column widths (in the unit of ``total``, summing to it) from what the columns hold.

    Every column is at least as wide as its longest word (header or cell; a header word
    counts ``header_scale`` times, for bold), so nothing breaks inside a word; the room left
    goes to the columns with the most text, in proportion to their typical line length. When
    the longest words alone need more than ``total``, they are shrunk together.
    """
    n = len(headers)
    if n == 0:
        return []
    longest = [0.0] * n
    typical = [0.0] * n
    for j, header in enumerate(headers):
        longest[j] = max((len(w) * header_scale for w in _WORD.findall(header)), default=1.0)
    for j in range(n):
        lengths = []
        for row in rows:
            lines = cell_lines(row[j]) if j < len(row) else []
            for k, line in enumerate(lines):
                scale = header_scale if (k == 0 and _bold_first(row[j])) else 1.0
                words = _WORD.findall(line)
                if words:
                    longest[j] = max(longest[j], max(len(w) for w in words) * scale)
                lengths.append(len(line))
        if lengths:
            lengths.sort()
            # the 80th percentile line: a few long paragraphs do not starve the others
            typical[j] = float(lengths[int(0.8 * (len(lengths) - 1))])
    need = [max(longest[j] + 1.5, minimum) for j in range(n)]
    want = [max(need[j], min(typical[j], 70.0)) for j in range(n)]
    base = sum(need)
    if base >= total:
        return [total * x / base for x in need]
    extra = [want[j] - need[j] for j in range(n)]
    room = total - base
    spread = sum(extra)
    if spread <= 0:
        return [need[j] + room / n for j in range(n)]
    if spread <= room:
        rest = room - spread
        return [want[j] + rest * want[j] / sum(want) for j in range(n)]
    return [need[j] + room * extra[j] / spread for j in range(n)]


def _bold_first(value: object) -> bool:
    return isinstance(value, Status) or (isinstance(value, Lines) and value.bold_first)
