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
has a percent format (:class:`~analytics.ingest.read.SheetGrid` knows this for .xlsx only).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

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

# Characters that only get in the way of a number: spaces of every width, currency signs.
_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u200b\ufeff\t"
_MINUSES = "\u2212\u2012\u2013\u2014\ufe63\uff0d"
_NUMBER_RE = (
    r"(?P<neg>[-+])?"
    r"(?P<open>\()?\s*"
    r"(?P<neg2>[-+])?\s*"
    r"[£$€]?\s*"
    r"(?P<neg3>[-+])?\s*"
    r"(?P<digits>(?:\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.\d*)?|\.\d+)"
    r"(?:e(?P<exp>[-+]?\d+))?"
    r"\s*(?P<pct>%)?\s*"
    r"(?P<close>\))?"
)
_NUMBER = re.compile(_NUMBER_RE)


class ParsedValue(NamedTuple):
    number: float
    kind: str
    is_percent: bool = False


def normalise_text(text: str) -> str:
    """Lower case, odd spaces and minus signs made plain, trimmed."""
    for ch in _SPACES:
        text = text.replace(ch, " ")
    for ch in _MINUSES:
        text = text.replace(ch, "-")
    return text.strip().lower()


def parse_value(raw: object, percent_format: bool = False) -> ParsedValue:
    """One cell as typed -> (number, kind, is_percent). Missing and errors give NaN."""
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
    signs = [sign for sign in (m["neg"], m["neg2"], m["neg3"]) if sign] if m else []
    if not m or bool(m["open"]) != bool(m["close"]) or len(signs) > 1:
        return ParsedValue(math.nan, "text")
    number = float(
        m["digits"].replace(",", "").replace(" ", "") + (f"e{m['exp']}" if m["exp"] else "")
    )
    if "-" in signs or m["open"]:
        number = -number
    return ParsedValue(number, "number", bool(m["pct"]))


def parse_column(values: pd.Series, percent_format: pd.Series | None = None) -> pd.DataFrame:
    """Vectorised :func:`parse_value` over a column of cells as read.

    Returns a frame on the same index with ``number`` (float, NaN unless kind is number),
    ``kind`` and ``is_percent``. Numbers already numeric skip all string work.
    """
    n = len(values)
    number = np.full(n, np.nan)
    kind = np.full(n, "text", dtype=object)
    is_percent = np.zeros(n, dtype=bool)
    obj = values.astype(object).to_numpy()
    types = np.fromiter(map(type, obj), dtype=object, count=n)
    numeric = np.equal(types, float) | np.equal(types, int)  # exact: a bool is not a number
    if numeric.any():
        nums = obj[numeric].astype(float)
        finite = np.isfinite(nums)
        number[numeric] = np.where(finite, nums, np.nan)
        kind[numeric] = np.where(finite, "number", np.where(np.isnan(nums), "missing", "error"))
        if percent_format is not None:
            pct = percent_format.to_numpy(dtype=bool) & numeric
            number[pct] *= 100
            is_percent[pct] = True
    kind[np.equal(types, type(None))] = "missing"
    is_str = np.equal(types, str)
    if is_str.any():
        text_number, text_kind, text_pct = _parse_strings(pd.Series(obj[is_str], dtype=object))
        number[is_str] = text_number
        kind[is_str] = text_kind
        is_percent[is_str] = text_pct
    return pd.DataFrame(
        {"number": number, "kind": kind, "is_percent": is_percent}, index=values.index
    )


_TRANSLATE = str.maketrans({**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_MINUSES, "-")})


def _parse_strings(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # A return repeats few distinct spellings; parse each once when that pays.
    uniques = pd.unique(texts.to_numpy())
    if len(uniques) * 4 < len(texts):
        parsed = {u: parse_value(u) for u in uniques}
        out = [parsed[t] for t in texts]
        return (
            np.array([p.number for p in out], dtype=float),
            np.array([p.kind for p in out], dtype=object),
            np.array([p.is_percent for p in out], dtype=bool),
        )
    norm = texts.str.translate(_TRANSLATE).str.strip().str.lower()
    kind = np.full(len(texts), "text", dtype=object)
    number = np.full(len(texts), np.nan)
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
    return number, kind, is_percent


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


# Data-quality flags as written -> the warehouse's dq_flag values.
DQ_FLAG_WORDS = {
    "": "ok", "ok": "ok", "good": "ok", "none": "ok", "no": "ok", "n": "ok", "green": "ok",
    "validated": "ok", "final": "ok", "confirmed": "ok", "actual": "ok",
    "p": "provisional", "prov": "provisional", "provisional": "provisional",
    "unvalidated": "provisional", "draft": "provisional", "interim": "provisional",
    "e": "estimate", "est": "estimate", "estimate": "estimate", "estimated": "estimate",
    "forecast": "estimate", "projected": "estimate",
    "c": "concern", "concern": "concern", "dq concern": "concern", "yes": "concern",
    "y": "concern", "red": "concern", "amber": "concern", "poor": "concern",
    "data quality concern": "concern", "issue": "concern",
}  # fmt: skip


def map_unique(values, func) -> np.ndarray:
    """``func`` over each distinct value once (returns repeat codes, periods and flags a lot).

    ``True`` equals ``1`` to a hash table, so booleans are mapped one by one."""
    array = np.asarray(list(values) if not isinstance(values, pd.Series) else values, dtype=object)
    if len(array) == 0:
        return np.empty(0, dtype=object)
    codes, uniques = pd.factorize(array, use_na_sentinel=False)
    done = np.empty(len(uniques), dtype=object)
    done[:] = [func(u) for u in uniques]
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
