"""Text from returns made safe for a report: no control characters, nothing that a
spreadsheet could take for a formula (pure)."""

from __future__ import annotations

import math
import re

# XML 1.0 forbids these (openpyxl and python-docx refuse them); tab and newline are kept.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, str) else value.strip() == ""
    except (TypeError, ValueError):
        return False


def clean(value: object) -> str:
    """A cell's text: '' for blanks, control characters (other than tab/newline) removed,
    Windows line ends made plain newlines."""
    if is_blank(value):
        return ""
    text = str(value).replace("\r\n", "\n")
    return _ILLEGAL.sub("", text)


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula if it were typed in."""
    return text.startswith(FORMULA_STARTS)
