"""Status reasons in words, built for whole columns at once (pyarrow string kernels).

Numbers are written with the indicator's decimals (rounded half away from zero), thousands
separated by commas, and the unit: ``%`` straight after the number (``45.0%``), ``£`` before it
(``£1,250``), any other unit after a space (``12 days``); units ``''``, ``number`` and
``count`` are not written. A gap between two percentages is in ``percentage points``.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.status import rag as R

_NO_UNIT = {"", "number", "count", "no", "no.", "n", "nan", "none"}


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


def format_value(value: float, decimals: int = 1, unit: object = "", gap: bool = False) -> str:
    """One number as the reasons write it: ``format_value(45, 1, '%') == '45.0%'``."""
    if value is None or math.isnan(value):
        return "n/a"
    scaled = math.floor(abs(value) * 10**decimals + 0.5 + 1e-9)
    sign = "-" if value < 0 and scaled > 0 else ""
    prefix, suffix = unit_affixes(unit, gap)
    whole, frac = divmod(scaled, 10**decimals)
    text = f"{whole:,}" + (f".{frac:0{decimals}d}" if decimals else "")
    return f"{sign}{prefix}{text}{suffix}"


def _int_text(whole: np.ndarray) -> pa.Array:
    """Non-negative integers with thousands separators."""
    low = whole % 1000
    rest = whole // 1000
    text = pc.cast(pa.array(low), pa.string())
    if not rest.any():
        return text
    text = pc.if_else(pa.array(rest > 0), pc.utf8_lpad(text, width=3, padding="0"), text)
    while rest.any():
        group = rest % 1000
        higher = rest // 1000
        part = pc.cast(pa.array(group), pa.string())
        if higher.any():
            part = pc.if_else(pa.array(higher > 0), pc.utf8_lpad(part, width=3, padding="0"), part)
        text = pc.if_else(
            pa.array(rest > 0), pc.binary_join_element_wise(part, ",", text, ""), text
        )
        rest = higher
    return text


def format_parts(
    values: np.ndarray, decimals: np.ndarray, prefix: pa.Array, suffix: pa.Array
) -> list[pa.Array | str]:
    """The pieces of :func:`format_numbers`, to be joined by the caller in one pass."""
    values = np.asarray(values, dtype=np.float64)
    missing = np.isnan(values)
    safe = np.where(missing, 0.0, values)
    decimals = np.asarray(decimals, dtype=np.int64)
    factor = 10**decimals
    scaled = np.floor(np.abs(safe) * factor + 0.5 + 1e-9).astype(np.int64)
    parts: list[pa.Array | str] = []
    negative = (safe < 0) & (scaled > 0)
    parts.append(pc.if_else(pa.array(negative), "-", "") if negative.any() else "")
    parts += [prefix, _int_text(scaled // factor)]
    has_frac = decimals > 0
    if has_frac.any():
        # frac + factor has one digit more than wanted ("1" then the digits): drop it
        frac = pc.utf8_slice_codeunits(pc.cast(pa.array(scaled % factor + factor), pa.string()), 1)
        point = (
            "." if has_frac.all() else pc.take(pa.array(["", "."]), pa.array(has_frac, pa.int8()))
        )
        parts += [point, frac]
    parts.append(suffix)
    if missing.any():  # "n/a": blank every piece but one
        blank = pa.array(missing)
        parts = [pc.if_else(blank, "", p) for p in parts[:-1]] + [
            pc.if_else(blank, "n/a", parts[-1])
        ]
    return parts


def format_numbers(
    values: np.ndarray, decimals: np.ndarray, prefix: pa.Array, suffix: pa.Array
) -> pa.Array:
    """Vectorised :func:`format_value`; ``prefix``/``suffix`` are per-row strings."""
    return pc.binary_join_element_wise(*format_parts(values, decimals, prefix, suffix), "")


def format_general(values: np.ndarray) -> pa.Array:
    """Settings such as tolerances, written without trailing zeros (5, 7.5), via uniques."""
    uniques, inverse = np.unique(np.asarray(values, dtype=np.float64), return_inverse=True)
    text = pa.array([("n/a" if math.isnan(u) else f"{u:,.6g}") for u in uniques], pa.string())
    return pc.take(text, pa.array(inverse.astype(np.int64)))


# A template is a list of literal strings and {FIELD} names filled per row.
_MISS = ["{GAP} ", "{DIR}", " target {T}{LOB}"]
TEMPLATES: dict[int, list[str]] = {
    R.R_MET: ["met target {T} (actual {A})"],
    R.R_PCT_WITHIN: [
        "{GAP} ({REL}) ",
        "{DIR}",
        " target {T}{LOB}, within the {TOLPCT}",
        " tolerance (actual {A})",
    ],
    R.R_PCT_BEYOND: [
        "{GAP} ({REL}) ",
        "{DIR}",
        " target {T}{LOB}, beyond the {TOLPCT}",
        " tolerance (actual {A})",
    ],
    R.R_ABS_WITHIN: [*_MISS, ", within the tolerance of {TOLABS} (actual {A})"],
    R.R_ABS_BEYOND: [*_MISS, ", beyond the tolerance of {TOLABS} (actual {A})"],
    R.R_IM_WITHIN: [
        "{GAP} ",
        "{DIR}",
        " the ideal target {T}{LOB}, within the minimum ",
        "standard {M} (actual {A})",
    ],
    R.R_IM_BEYOND: ["{DIR}", " the minimum standard {M}{LOB} (ideal target {T}, actual {A})"],
    R.R_IM_NO_MINIMUM: [
        "{GAP} ",
        "{DIR}",
        " the ideal target {T}{LOB}, and no minimum ",
        "standard is set (actual {A})",
    ],
    R.R_LY_IMPROVED: [*_MISS, ", but improved on the same period last year ({LY}; actual {A})"],
    R.R_LY_HELD: [*_MISS, ", but no worse than the same period last year ({LY}; actual {A})"],
    R.R_LY_WORSE: [*_MISS, ", and worse than the same period last year ({LY}; actual {A})"],
    R.R_LY_NONE: [*_MISS, ", and no value for the same period last year to compare (actual {A})"],
    R.R_MISSING: ["no value reported for this period"],
    R.R_NO_TARGET: ["no target set for {FY}"],
    R.R_NO_TARGET_BY_DATE: ["no target for {FY} had been set by {ASOF}"],
    R.R_PLACEHOLDER: ["placeholder target {T}: no status until the target is confirmed"],
    R.R_DATA_ONLY: ["data only: no status"],
    R.R_NO_NEW_DATA: ["no new data: no survey in {FY} (survey years {SURVEYS})"],
}


def _split(template: list[str]) -> list[tuple[bool, str]]:
    """[(is_field, text)] from the template's strings."""
    parts: list[tuple[bool, str]] = []
    for chunk in template:
        rest = chunk
        while rest:
            start = rest.find("{")
            if start < 0:
                parts.append((False, rest))
                break
            if start:
                parts.append((False, rest[:start]))
            end = rest.index("}", start)
            parts.append((True, rest[start + 1 : end]))
            rest = rest[end + 1 :]
    return parts


_PARTS = {code: _split(t) for code, t in TEMPLATES.items()}


class ReasonInputs:
    """Per-row arrays the templates draw on (1-D, one entry per output row)."""

    def __init__(self, **arrays: object) -> None:
        self.__dict__.update(arrays)


def build(codes: np.ndarray, x: ReasonInputs) -> pa.Array:
    """The reason sentence of every row, in row order."""
    n = len(codes)
    if n == 0:
        return pa.array([], pa.string())
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(R.REASON_STATUS))
    ends = np.cumsum(counts)
    pieces: list[pa.Array] = []
    for code, count in enumerate(counts):
        if count == 0:
            continue
        rows = order[ends[code] - count : ends[code]]
        pieces.append(_fill(code, rows, x))
    joined = pa.concat_arrays(pieces)
    if np.all(order[1:] > order[:-1]):
        return joined
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return pc.take(joined, pa.array(inverse))


def _fill(code: int, rows: np.ndarray, x: ReasonInputs) -> pa.Array:
    parts = _PARTS[code]
    if not any(is_field for is_field, _ in parts):
        return pa.array(np.full(len(rows), parts[0][1], dtype=object), pa.string())
    unit = pa.array(x.unit_index[rows])
    dec = x.decimals[rows]
    sign = x.sign[rows]

    affixes: dict[str, pa.Array] = {}

    def affix(name: str) -> pa.Array:
        if name not in affixes:
            affixes[name] = pc.take(getattr(x, name), unit)
        return affixes[name]

    def values(name: str) -> list:
        return format_parts(getattr(x, name)[rows], dec, affix("prefix"), affix("suffix"))

    def field(name: str) -> pa.Array | str:
        if name == "A":
            return values("value")
        if name == "T":
            return values("target")
        if name == "LY":
            return values("last_year")
        if name == "M":
            return values("minimum")
        if name in ("GAP", "TOLABS"):
            raw = np.abs(x.value[rows] - x.target[rows]) if name == "GAP" else x.tol_abs[rows]
            return format_parts(raw, dec, affix("gap_prefix"), affix("gap_suffix"))
        if name == "REL":
            t = x.target[rows]
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.abs(x.value[rows] - t) / np.abs(t) * 100.0
            rel = np.where(np.isfinite(rel), rel, np.nan)
            return format_parts(rel, np.ones(len(rows), np.int64), "", "%")
        if name == "DIR":
            words = ["below", "above"]
            return pc.take(pa.array(words), pa.array((sign < 0).astype(np.int8)))
        if name == "LOB":
            return pc.take(
                pa.array(["", " (lower is better)"]), pa.array((sign < 0).astype(np.int8))
            )
        if name == "TOLPCT":
            return pc.binary_join_element_wise(format_general(x.tol_pct[rows]), "%", "")
        if name == "FY":
            return pc.take(x.fy_text, pa.array(x.fy_index[rows]))
        if name == "SURVEYS":
            return pc.take(x.survey_text, pa.array(x.survey_index[rows]))
        if name == "ASOF":
            return x.as_of_text
        raise KeyError(name)

    fields: dict[str, pa.Array | str] = {}
    args: list[pa.Array | str] = []
    for is_field, text in parts:
        if is_field:
            if text not in fields:
                fields[text] = field(text)
            value = fields[text]
            args.extend(value if isinstance(value, list) else [value])
        else:
            args.append(text)
    if not any(isinstance(a, pa.Array) for a in args):
        return pa.array(np.full(len(rows), "".join(args), dtype=object), pa.string())
    return pc.binary_join_element_wise(*args, "")
