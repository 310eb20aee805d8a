"""Numbers as people type them into returns, parsed one cell or a whole column at a time.

Every parse gives the number and a *kind*:

- ``number``  -- a value: ``45``, ``45%``, ``45.0 %``, ``1,234``, ``£2,000``, ``(12)`` = -12,
  ``−3`` (unicode minus), numbers stored as text, non-breaking spaces anywhere.
- ``missing`` -- no value: blank, ``n/a``, ``-``, ``TBC``, ``not available``, ... Missing is
  ``NaN``, never zero.
- ``error``   -- an Excel error value: ``#N/A``, ``#DIV/0!``, ``#REF!``, ``#VALUE!``, ...
- ``text``    -- anything else (``about 45``, ``45 (provisional)``, a date, TRUE/FALSE), so
  validation can say "text where a number belongs".

Percentages are held in percentage points: ``45%`` -> 45.0. A number in a cell formatted as a
percentage (Excel stores ``45%`` as 0.45) is multiplied by 100 when the caller says the cell
has a percent format (:class:`~analytics.ingest.grid.SheetGrid` knows this for .xlsx only).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from analytics.ingest.spelling import (
    DQ_FLAG_WORDS,
    MINUSES,
    SPACES,
    normalise_text,
    normalise_unit,
    unit_spellings,
)

KINDS = ("number", "missing", "text", "error")

MISSING_TOKENS = frozenset(
    {
        "", "-", "--", "---", "–", "—", ".", "..", "...", "n/a", "na", "n.a.", "n.a", "nk",
        "n/k", "not known", "not available", "tbc", "tba", "tbd", "to be confirmed", "none",
        "null", "nan", "no data", "awaiting data", "not due", "x", "*", "?",
    }
)  # fmt: skip

EXCEL_ERRORS = frozenset(
    {
        "#n/a", "#div/0!", "#ref!", "#value!", "#name?", "#num!", "#null!", "#spill!",
        "#calc!", "#getting_data", "#field!", "#blocked!", "#unknown!", "#busy!",
    }
)  # fmt: skip

_NUMBER_RE = (
    r"(?P<neg>[-+])?"
    r"(?P<open>\()?\s*"
    r"(?P<neg2>[-+])?\s*"
    r"(?P<cur>[£$€])?\s*"
    r"(?P<neg3>[-+])?\s*"
    r"(?P<digits>(?:\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.\d*)?|\.\d+)"
    r"(?:e(?P<exp>[-+]?\d+))?"
    r"\s*(?P<pct>%)?\s*"
    r"(?P<close>\))?"
)
_NUMBER = re.compile(_NUMBER_RE)
# A number followed by a multiplier and/or a unit: ``£2.3m``, ``£1.2 million``, ``15k``,
# ``9.5 days``, ``5.42 per 1,000``, ``3,100 incidents``, ``45 per cent``.
_WITH_UNIT = re.compile(
    _NUMBER_RE.replace(r"\s*(?P<pct>%)?\s*(?P<close>\))?", "")
    + r"\s*(?:(?P<mult>thousands?|millions?|billions?|mn|bn|k|m)(?![a-z]))?"
    + r"\s*(?P<close>\))?\s*(?P<unit>[^()]*?)\s*(?P<close2>\))?"
)
MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
    "millions": 1e6, "bn": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip
# A unit we do not know is kept (the framework may call it its own) if it is a few words.
_UNIT_WORDS = re.compile(r"[a-z£$€%][a-z0-9£$€%'.,/\- ]{0,40}")


class ParsedValue(NamedTuple):
    """``unit``: the unit typed after the number, as spelled (normalised: ``'per 1000'``,
    ``'days'``, ``'%'``, ``'£'``), None when none was typed. ``number`` is in that unit's
    base (``£2.3m`` -> 2,300,000 with unit ``£``); whether the unit suits the indicator is
    for :mod:`analytics.ingest.units` to say, which knows the framework."""

    number: float
    kind: str
    is_percent: bool = False
    unit: str | None = None


def parse_value(raw: object, percent_format: bool = False) -> ParsedValue:
    """One cell as typed -> (number, kind, is_percent, unit). Missing and errors give NaN."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ParsedValue(math.nan, "missing")
    if isinstance(raw, bool | date | datetime | time | timedelta):
        return ParsedValue(math.nan, "text")
    if isinstance(raw, int | float):
        number = float(raw)
        if math.isinf(number):
            return ParsedValue(math.nan, "error")
        return ParsedValue(number * 100 if percent_format else number, "number", percent_format)
    text = normalise_text(str(raw))
    if text in MISSING_TOKENS:
        return ParsedValue(math.nan, "missing")
    if text in EXCEL_ERRORS:
        return ParsedValue(math.nan, "error")
    m = _NUMBER.fullmatch(text)
    if m is None:
        return _parse_with_unit(text)
    signs = [sign for sign in (m["neg"], m["neg2"], m["neg3"]) if sign]
    if bool(m["open"]) != bool(m["close"]) or len(signs) > 1:
        return ParsedValue(math.nan, "text")
    number = _magnitude(m)
    if "-" in signs or m["open"]:
        number = -number
    unit = "%" if m["pct"] else m["cur"]
    return ParsedValue(number, "number", bool(m["pct"]), unit)


def _magnitude(m: re.Match) -> float:
    return float(
        m["digits"].replace(",", "").replace(" ", "") + (f"e{m['exp']}" if m["exp"] else "")
    )


def _parse_with_unit(text: str) -> ParsedValue:
    """A number with a multiplier or a unit after it (the slow path: few cells have one)."""
    m = _WITH_UNIT.fullmatch(text)
    if m is None:
        return ParsedValue(math.nan, "text")
    signs = [sign for sign in (m["neg"], m["neg2"], m["neg3"]) if sign]
    closed = bool(m["close"]) or bool(m["close2"])
    if bool(m["open"]) != closed or (m["close"] and m["close2"]) or len(signs) > 1:
        return ParsedValue(math.nan, "text")
    number = _magnitude(m)
    mult, unit = m["mult"], m["unit"]
    if mult == "m" and not m["cur"]:  # alone, m may be metres or minutes: a unit
        mult, unit = None, f"m {unit}".strip()
    if mult:
        number *= MULTIPLIERS[mult]
    if unit and not _UNIT_WORDS.fullmatch(unit):
        return ParsedValue(math.nan, "text")
    spelled = normalise_unit(unit) if unit else None
    if spelled is not None and m["cur"]:
        spelled = normalise_unit(f"{m['cur']}{spelled}") if spelled[0] not in "£$€" else spelled
    elif m["cur"]:
        spelled = m["cur"]
    known = unit_spellings().get(spelled) if spelled is not None else None
    if known is not None:
        number *= known[1]
    if "-" in signs or m["open"]:
        number = -number
    is_percent = known is not None and known[0] == "percent"
    return ParsedValue(number, "number", is_percent, spelled)


class ParsedColumn(NamedTuple):
    """:func:`parse_value`'s four answers for a column of cells, an array each."""

    number: np.ndarray  # float, NaN unless kind is number
    kind: np.ndarray  # objects, one of KINDS
    is_percent: np.ndarray  # bool
    unit: np.ndarray  # objects, None where no unit was typed


_KIND_OBJECTS = np.array(KINDS, dtype=object)  # taken by position: no new strings per cell


def parse_cells(cells: np.ndarray, percent_format: np.ndarray | None = None) -> ParsedColumn:
    """Vectorised :func:`parse_value` over an object array of cells as read;
    ``percent_format``: per cell, whether it has a percent format (numbers only).
    Numbers already numeric skip all string work."""
    n = len(cells)
    number = np.full(n, np.nan)
    kind = filled(n, "text")
    is_percent = np.zeros(n, dtype=bool)
    unit = np.empty(n, dtype=object)  # all None
    types = np.fromiter(map(type, cells), dtype=object, count=n)
    numeric = np.equal(types, float) | np.equal(types, int)  # exact: a bool is not a number
    if numeric.any():
        nums = cells[numeric].astype(float)
        finite = np.isfinite(nums)
        number[numeric] = np.where(finite, nums, np.nan)
        # number, missing (NaN) or error (infinite), as positions in KINDS
        kind[numeric] = _KIND_OBJECTS[np.where(finite, 0, np.where(np.isnan(nums), 1, 3))]
        if percent_format is not None:
            pct = percent_format & numeric
            number[pct] *= 100
            is_percent[pct] = True
    if numeric.all():  # most value columns
        return ParsedColumn(number, kind, is_percent, unit)
    kind[np.equal(types, type(None))] = "missing"
    is_str = np.equal(types, str)
    if is_str.any():
        parsed = _parse_strings(pd.Series(cells[is_str], dtype=object))
        number[is_str], kind[is_str], is_percent[is_str], unit[is_str] = parsed
    return ParsedColumn(number, kind, is_percent, unit)


def parse_column(values: pd.Series, percent_format: pd.Series | None = None) -> pd.DataFrame:
    """:func:`parse_cells` over a column, as a frame on its index with ``number``, ``kind``,
    ``is_percent`` and ``unit``."""
    pct = None if percent_format is None else percent_format.to_numpy(dtype=bool)
    parsed = parse_cells(values.astype(object).to_numpy(), pct)
    return pd.DataFrame(
        {
            "number": parsed.number,
            "kind": pd.Series(parsed.kind, index=values.index, dtype=object),
            "is_percent": parsed.is_percent,
            "unit": pd.Series(parsed.unit, index=values.index, dtype=object),
        },
        index=values.index,
    )


_FEW_SPELLINGS = 200  # parsed one by one below this many distinct strings in a column
_TRANSLATE = str.maketrans({**dict.fromkeys(SPACES, " "), **dict.fromkeys(MINUSES, "-")})


def _parse_strings(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # A return repeats few distinct spellings; parse each once when that pays, and when
    # there are few (a quarter's return: the vectorised path costs milliseconds to set up).
    uniques = pd.unique(texts.to_numpy())
    if len(uniques) <= _FEW_SPELLINGS or len(uniques) * 4 < len(texts):
        parsed = {u: parse_value(u) for u in uniques}
        out = [parsed[t] for t in texts]
        return (
            np.array([p.number for p in out], dtype=float),
            np.array([p.kind for p in out], dtype=object),
            np.array([p.is_percent for p in out], dtype=bool),
            np.array([p.unit for p in out], dtype=object),
        )
    norm = texts.str.translate(_TRANSLATE).str.strip().str.lower()
    kind = filled(len(texts), "text")
    number = np.full(len(texts), np.nan)
    unit = np.empty(len(texts), dtype=object)  # all None
    missing = norm.isin(MISSING_TOKENS).to_numpy()
    error = norm.isin(EXCEL_ERRORS).to_numpy()
    kind[missing] = "missing"
    kind[error] = "error"
    parts = norm.str.extract(f"^{_NUMBER_RE}$", flags=0)
    matched = parts["digits"].notna().to_numpy() & ~missing & ~error
    balanced = (parts["open"].notna() == parts["close"].notna()).to_numpy()
    single_sign = (parts[["neg", "neg2", "neg3"]].notna().sum(axis=1) <= 1).to_numpy()
    ok = matched & balanced & single_sign
    mantissa = parts["digits"].str.replace(r"[, ]", "", regex=True)
    exponent = ("e" + parts["exp"]).fillna("")
    magnitude = pd.to_numeric((mantissa + exponent).where(ok), errors="coerce").to_numpy()
    signs = parts[["neg", "neg2", "neg3"]]
    negative = ((signs == "-").any(axis=1) | parts["open"].notna()).to_numpy()
    number[ok] = np.where(negative[ok], -magnitude[ok], magnitude[ok])
    kind[ok] = "number"
    is_percent = ok & parts["pct"].notna().to_numpy()
    unit[is_percent] = "%"
    currency = ok & ~is_percent & parts["cur"].notna().to_numpy()
    unit[currency] = parts["cur"].to_numpy(dtype=object)[currency]
    # the rest (a number with a unit or a multiplier, or text): one by one, the slow path
    rest = np.flatnonzero(~ok & ~missing & ~error & norm.str.contains(r"\d").to_numpy())
    for i in rest:
        p = _parse_with_unit(norm.iat[i])
        number[i], kind[i], is_percent[i], unit[i] = p
    return number, kind, is_percent, unit


def format_styles(number: float, style: str) -> str:
    """``number`` written the way people write it (for tests and messages)."""
    match style:
        case "plain":
            return repr(number)
        case "thousands":
            return f"{number:,.2f}"
        case "percent":
            return f"{number:.2f}%"
        case "percent_spaced":
            return f"{number:.2f}\u00a0%"
        case "pounds":
            return f"-£{abs(number):,.2f}" if number < 0 else f"£{number:,.2f}"
        case "brackets":
            return f"({abs(number):,.2f})" if number < 0 else f"{number:,.2f}"
        case "unicode_minus":
            return f"\u2212{abs(number):.2f}" if number < 0 else f"{number:.2f}"
        case "padded":
            return f"\u00a0 {number:.2f} "
    raise ValueError(f"unknown style {style!r}")


FORMAT_STYLES = (
    "plain",
    "thousands",
    "percent",
    "percent_spaced",
    "pounds",
    "brackets",
    "unicode_minus",
    "padded",
)


def filled(n: int, value: object) -> np.ndarray:
    """``n`` objects, each ``value``: ``np.full`` of objects sets them one by one, about 20
    times slower at 100,000 cells."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


class Distinct(NamedTuple):
    """A column's cells, its distinct values and, per cell, which of them it is (-1: missing,
    None or NaN): what :func:`map_unique` works on, made once when a column is read several
    ways."""

    cells: np.ndarray  # objects
    codes: np.ndarray  # per cell, its position in uniques; -1 when missing
    uniques: np.ndarray  # objects, none missing, in the order they are first seen

    def take(self, keep: np.ndarray) -> Distinct:
        """The cells where ``keep`` (a mask) is true, as :func:`distinct` would make them.

        Equal values of different types (``1``, ``1.0``, ``True``) are one distinct value,
        the first seen: when a value kept was first seen in a row not kept, the kept cells
        are factorised again; otherwise the codes are renumbered."""
        codes = self.codes[keep]
        # codes count up as values are first seen: a cell is a first when its code is
        # larger than every code before it
        before = np.maximum.accumulate(np.r_[-1, self.codes[:-1]])
        first_seen = np.flatnonzero(self.codes > before)  # by code
        held = np.zeros(len(self.uniques) + 1, dtype=bool)  # the last: missing (code -1)
        held[codes] = True
        held = held[:-1]
        if not keep[first_seen[held]].all():
            return distinct(self.cells[keep])
        renumbered = np.append(np.cumsum(held) - 1, -1)
        return Distinct(self.cells[keep], renumbered[codes], self.uniques[held])


def distinct(values) -> Distinct:
    """``values`` (a Series, an array or a list) as a :class:`Distinct`."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        cells = values  # as it is: never changed here
    elif isinstance(values, pd.Series):
        cells = np.asarray(values, dtype=object)
    else:
        cells = np.asarray(list(values), dtype=object)
    codes, uniques = pd.factorize(cells)
    return Distinct(cells, codes, uniques)


def map_unique(values, func) -> np.ndarray:
    """``func`` over each distinct value once (returns repeat codes, periods and flags a lot).
    ``values``: as for :func:`distinct`, or a :class:`Distinct` made already.

    Missing cells (None, NaN) are one value to a hash table: they get ``func(NaN)``. ``True``
    equals ``1`` to a hash table too, so booleans are mapped one by one."""
    column = values if isinstance(values, Distinct) else distinct(values)
    array, codes, uniques = column
    if len(array) == 0:
        return np.empty(0, dtype=object)
    answers = [func(u) for u in uniques]
    if codes.min() < 0:
        answers.append(func(np.nan))  # the last, as code -1 takes it
    done = np.empty(len(answers), dtype=object)
    done[:] = answers
    out = done[codes]
    # the distinct values a boolean could have been merged with (True == 1, False == 0)
    numbers = bool | int | float | np.number
    merged = [j for j, u in enumerate(uniques) if isinstance(u, numbers) and u in (0, 1)]
    if not merged:
        return out
    for i in np.flatnonzero(np.isin(codes, merged)):
        if array[i] is True or array[i] is False:
            out[i] = func(array[i])
    return out


def lookup(values, table: dict, default: object = None) -> np.ndarray:
    """``table[value]`` for each of ``values`` (``default`` when absent or missing), as an
    object array: :func:`map_unique` with a dict, far cheaper than ``Series.map(dict)`` on
    codes and periods, which repeat."""
    return map_unique(values, lambda value: table.get(value, default))


def parse_dq_flag(raw: object) -> str | None:
    """A data-quality note as written -> ok/provisional/estimate/concern, None if unknown."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return "ok"
    return DQ_FLAG_WORDS.get(normalise_text(str(raw)).rstrip("."))
