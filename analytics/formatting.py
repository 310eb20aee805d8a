"""Numbers and days written for people: one formatter for each (pure; imports nothing of the
project, so every layer may use it).

**Numbers** (:func:`format_value`, and :func:`format_number` for cells that may be blank) are
written with the indicator's decimals, rounded half away from zero exactly as the status
engine rounds before it compares (:data:`ROUND_LIMIT`,
:func:`analytics.status.rag.round_with`), thousands separated by commas, and the unit: ``%``
straight after the number (``45.0%``), ``£`` before it (``£1,250``), any other unit after a
space (``12 days``); units ``''``, ``number`` and ``count`` are not written. A gap between two
percentages is in ``percentage points``. The status reasons write whole columns of numbers
the same way (:func:`analytics.status.reasons.number_cells`).

**Days.** :func:`format_day` writes a day for display (``3 Mar 2010``, or ``3 March 2010``);
:func:`as_date` turns what a frame or a cell holds (a date, a timestamp, text) into a date.
"""

from __future__ import annotations

import decimal
import functools
import math
from datetime import date, datetime

import pandas as pd

BLANK = "–"  # what a table shows for no value

# From here on (|x| * 10**decimals) a float has no digits left to round at that precision
# that float arithmetic could round exactly: such values are kept as they are. Below it,
# rounding a rounded value gives it back (the product is within 0.25 of a whole number).
ROUND_LIMIT = 2.0**50

_NO_UNIT = {"", "number", "count", "no", "no.", "n", "nan", "none"}


def _blank(value: object) -> bool:
    """None, NaN, NaT or NA (pandas' own test, for one value; the usual types first, fast)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str | int):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not one value
        return False


# --- numbers ----------------------------------------------------------------------------------


def unit_affixes(unit: object, gap: bool = False) -> tuple[str, str]:
    """``(prefix, suffix)`` for a unit; ``gap=True`` for a difference between two values."""
    text = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    text = text.strip()
    if text.lower() in _NO_UNIT:
        return "", ""
    if text == "%":
        return ("", " percentage points") if gap else ("", "%")
    if text == "£":
        return "£", ""
    return "", f" {text}"


def round_value(value: float, decimals: int) -> float:
    """One value rounded as the engine rounds (:func:`analytics.status.rag.round_with`):
    half away from zero, the same float steps; a value too large to have digits left at
    that precision comes back as it is."""
    factor = 10.0**decimals
    scaled = abs(value) * factor
    if not scaled < ROUND_LIMIT:
        return value
    return math.copysign(math.floor(scaled + 0.5 + 1e-9) / factor, value)


_WIDE = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP)


@functools.lru_cache(maxsize=1 << 16)  # pure; a site build writes the same targets 60,000 times
def format_value(value: float, decimals: int = 1, unit: object = "", gap: bool = False) -> str:
    """One number as every page, pack and reason writes it: ``format_value(45, 1, '%') ==
    '45.0%'``; ``n/a`` for a missing or infinite value.

    The one formatter: the value is rounded as the engine rounds (:func:`round_value`), then
    written exactly, as the shortest decimal that reads back as that float, to ``decimals``
    places (:mod:`decimal`, so at any magnitude)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    rounded = round_value(float(value), decimals)
    scaled = abs(rounded) * 10.0**decimals
    if scaled < ROUND_LIMIT:  # whole numbers of units at this precision: integer arithmetic
        digits = math.floor(scaled + 0.5 + 1e-9)
        whole, frac = divmod(digits, 10**decimals)
        text = f"{whole:,}" + (f".{frac:0{decimals}d}" if decimals else "")
    else:
        exact = decimal.Decimal(repr(abs(rounded)))
        digits = exact.quantize(decimal.Decimal(1).scaleb(-decimals), context=_WIDE)
        text = f"{digits:,.{decimals}f}"
    sign = "-" if rounded < 0 and text.strip("0.,") else ""
    prefix, suffix = unit_affixes(unit, gap)
    return f"{sign}{prefix}{text}{suffix}"


def format_number(value: object, unit: object = "", decimals: int = 1) -> str:
    """A value for a cell, in its unit and decimals ('45.0%', '£2,000'); blank or NaN -> '–'
    (:func:`format_value`, which writes 'n/a' for those, is for sentences)."""
    if _blank(value):
        return BLANK
    return format_value(float(value), int(decimals), "" if _blank(unit) else str(unit or ""))


# --- days -------------------------------------------------------------------------------------

_DAY_FORMATS = {"short": "%-d %b %Y", "long": "%-d %B %Y"}


def as_date(value: object) -> date | None:
    """The day of a date, a timestamp (pandas' or Python's) or a date written as text; None
    for a blank (None, NaN, NaT, '')."""
    if _blank(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def format_day(value: object, month: str = "short") -> str:
    """A day for display: ``3 Mar 2010`` (``month="long"``: ``3 March 2010``); '–' when
    blank."""
    day = as_date(value)
    return BLANK if day is None else day.strftime(_DAY_FORMATS[month])
