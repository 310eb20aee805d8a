"""Status reasons in words, built for whole columns at once (numpy bytes, no Python per row).

Numbers are written with the indicator's decimals (rounded half away from zero), thousands
separated by commas, and the unit: ``%`` straight after the number (``45.0%``), ``£`` before it
(``£1,250``), any other unit after a space (``12 days``); units ``''``, ``number`` and
``count`` are not written. A gap between two percentages is in ``percentage points``.

How the sentences are built: the rows of each reason code share one template, so each one
is laid out in a fixed-width byte matrix (one row per sentence), each piece in its own
columns: literal text broadcast down its columns, a number written three digits (and the
separator after them) at a time from a lookup table, words such as "below"/"above" taken
from a small table. Unused bytes are NUL; dropping them leaves the sentences back to back,
and their lengths, worked out from the digits, are the offsets of an Arrow string array.
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


# --- bytes ------------------------------------------------------------------------------------

_U8 = np.uint8
_P10 = 10 ** np.arange(19, dtype=np.int64)
_BIG = 2.0**62  # scaled numbers from here on are written by format_value, one by one


def _table(texts: list[str] | list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as a NUL-padded byte matrix (one row each) and their lengths in bytes."""
    raw = [t if isinstance(t, bytes) else str(t).encode() for t in texts]
    raw = [r.replace(b"\0", b"") for r in raw]
    width = max((len(r) for r in raw), default=0)
    out = np.zeros((len(raw), width), dtype=_U8)
    for i, r in enumerate(raw):
        out[i, : len(r)] = np.frombuffer(r, dtype=_U8)
    return out, np.array([len(r) for r in raw], dtype=np.int64)


def _digit_units() -> np.ndarray:
    """uint32 table: three digits and the separator after them, by mode, separator, value.

    Modes: 0 zero-padded (``007``), 1 unpadded (``7`` after two NULs), 2 nothing. Separators:
    0 none, 1 comma, 2 point."""
    cells = np.zeros((3, 3, 1000, 4), dtype=_U8)
    for g in range(1000):
        for mode, text in ((0, f"{g:03d}"), (1, f"{g:>3d}".replace(" ", "\0"))):
            cells[mode, :, g, :3] = np.frombuffer(text.encode(), dtype=_U8)
    cells[:2, 1, :, 3] = ord(",")
    cells[:2, 2, :, 3] = ord(".")
    return cells.reshape(-1, 4).view(np.uint32).ravel()


def _fraction_units() -> np.ndarray:
    """uint32 table: ``value`` zero-padded to ``width`` (0-3) digits, at ``width*1000+value``."""
    cells = np.zeros((4, 1000, 4), dtype=_U8)
    for width in range(1, 4):
        for v in range(10**width):
            cells[width, v, :width] = np.frombuffer(f"{v:0{width}d}".encode(), dtype=_U8)
    return cells.reshape(-1, 4).view(np.uint32).ravel()


_UNITS = _digit_units()
_FRACTIONS = _fraction_units()
_PAD, _UNPAD, _EMPTY = 0, 3000, 6000
_COMMA, _POINT = 1000, 2000
_NA = np.frombuffer(b"n/a", dtype=_U8)


class Affixes:
    """Prefix and suffix of every unit (row ``i`` for unit index ``i``), as byte tables."""

    def __init__(self, prefixes: list[str], suffixes: list[str]) -> None:
        self.prefix, self.prefix_len = _table([p.encode() for p in prefixes])
        signed = [b"-" + p.encode() for p in prefixes]
        self.signed, _ = _table(signed)
        self.suffix, self.suffix_len = _table(suffixes)
        self.texts = (prefixes, suffixes)


def numbers(
    values: np.ndarray, decimals: np.ndarray, unit: np.ndarray, affixes: Affixes
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`format_value`: a NUL-padded byte matrix, and the lengths."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    decimals = np.asarray(decimals, dtype=np.int64)
    missing = np.isnan(values)
    scaled_f = np.abs(values) * _P10[decimals]  # the same steps as format_value
    scaled_f += 0.5
    scaled_f += 1e-9
    np.floor(scaled_f, out=scaled_f)
    scaled_f[missing] = 0.0
    huge = scaled_f >= _BIG
    if huge.any():
        scaled_f[huge] = 0.0
    scaled = scaled_f.astype(np.int64)
    negative = (values < 0) & (scaled > 0)
    power = _P10[decimals]
    whole = scaled // power
    frac = scaled - whole * power

    top = int(whole.max(initial=0))
    n_digits = np.ones(n, dtype=np.int64)
    for i in range(1, len(str(top))):
        n_digits += whole >= _P10[i]
    groups = (len(str(top)) + 2) // 3
    n_groups = (n_digits + 2) // 3
    max_dec = int(decimals.max(initial=0))
    n_frac = 0 if max_dec == 0 else (1 if max_dec <= 3 else 2)

    cells = np.empty((n, groups + n_frac), dtype=np.uint32)
    rest = whole
    last_sep = np.where(decimals > 0, _POINT, 0)
    for k in range(groups):
        if k < groups - 1:
            higher = rest // 1000
            g = rest - higher * 1000
        else:
            higher, g = None, rest
        if k == 0:
            idx = np.where(n_groups == 1, _UNPAD, _PAD) + last_sep
        else:
            idx = np.where(
                n_groups - 1 > k,
                _PAD + _COMMA,
                np.where(n_groups - 1 == k, _UNPAD + _COMMA, _EMPTY),
            )
        idx += g
        cells[:, groups - 1 - k] = _UNITS[idx]
        rest = higher
    if n_frac == 1:
        cells[:, groups] = _FRACTIONS[decimals * 1000 + frac]
    elif n_frac == 2:
        low_width = np.maximum(decimals - 3, 0)
        hi = frac // _P10[low_width]
        cells[:, groups] = _FRACTIONS[(decimals - low_width) * 1000 + hi]
        cells[:, groups + 1] = _FRACTIONS[low_width * 1000 + frac - hi * _P10[low_width]]

    pieces = []
    lengths = n_digits + (n_groups - 1) + np.where(decimals > 0, decimals + 1, 0)
    has_prefix = affixes.prefix.shape[1] > 0
    if negative.any():
        pieces.append(
            np.where(
                negative[:, None], _rows(affixes.signed, unit), _rows(_pad(affixes.prefix, 1), unit)
            )
        )
        lengths += negative
    elif has_prefix:
        pieces.append(_rows(affixes.prefix, unit))
    if has_prefix:
        lengths += affixes.prefix_len.take(unit)
    pieces.append(cells.view(_U8))
    if affixes.suffix.shape[1]:
        pieces.append(_rows(affixes.suffix, unit))
        lengths += affixes.suffix_len.take(unit)
    out = pieces[0] if len(pieces) == 1 else np.concatenate(pieces, axis=1)
    if missing.any():
        out[missing] = 0
        out[missing, :3] = _NA
        lengths[missing] = 3
    if huge.any():  # beyond int64: the slow, exact way
        rows = np.flatnonzero(huge)
        prefixes, suffixes = affixes.texts
        texts = [
            _affix(
                format_value(values[i], int(decimals[i]), ""), prefixes[unit[i]], suffixes[unit[i]]
            )
            for i in rows
        ]
        table, table_len = _table(texts)
        if table.shape[1] > out.shape[1]:
            out = _pad(out, table.shape[1] - out.shape[1])
        out[rows] = 0
        out[rows, : table.shape[1]] = table
        lengths[rows] = table_len
    return out, lengths


def _rows(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` (np.take is several times quicker than fancy indexing here)."""
    return np.take(table, index, axis=0)


def _affix(text: str, prefix: str, suffix: str) -> str:
    sign = "-" if text.startswith("-") else ""
    return f"{sign}{prefix}{text.lstrip('-')}{suffix}"


def _pad(table: np.ndarray, extra: int) -> np.ndarray:
    return np.concatenate([table, np.zeros((len(table), extra), dtype=_U8)], axis=1)


def choices(texts: list[str], index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``texts[index]`` for every row, as a byte matrix and lengths."""
    table, lengths = _table(texts)
    index = np.asarray(index, dtype=np.int64)
    return _rows(table, index), lengths.take(index)


def to_arrow(matrix: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """The rows of a NUL-padded byte matrix as strings (NULs dropped)."""
    n = len(lengths)
    flat = matrix.reshape(-1)
    data = flat[flat != 0] if matrix.size else np.zeros(0, dtype=_U8)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    if int(offsets[-1]) != len(data):
        raise AssertionError("reason text lengths do not add up")
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def format_numbers(
    values: np.ndarray, decimals: np.ndarray, prefix: object, suffix: object
) -> pa.Array:
    """Vectorised :func:`format_value`; ``prefix``/``suffix``: per-row strings or one string."""
    n = len(values)

    def per_row(x: object) -> list:
        if isinstance(x, pa.Scalar):
            x = x.as_py()
        if isinstance(x, str):
            return [x] * n
        return [str(v) for v in (x.to_pylist() if hasattr(x, "to_pylist") else x)]

    pairs = list(zip(per_row(prefix), per_row(suffix), strict=True))
    kinds = list(dict.fromkeys(pairs))
    unit = np.array([kinds.index(p) for p in pairs], dtype=np.int64)
    affixes = Affixes([p for p, _ in kinds], [s for _, s in kinds])
    return to_arrow(*numbers(values, decimals, unit, affixes))


def format_general(values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Settings such as tolerances, written without trailing zeros (5, 7.5): the distinct
    texts and each row's index into them."""
    uniques, inverse = np.unique(np.asarray(values, dtype=np.float64), return_inverse=True)
    return [("n/a" if math.isnan(u) else f"{u:,.6g}") for u in uniques], inverse


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
    codes = np.asarray(codes)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(R.REASON_STATUS))
    ends = np.cumsum(counts)
    pieces: list[pa.Array] = []
    for code, count in enumerate(counts):
        if count:
            pieces.append(_fill(code, order[ends[code] - count : ends[code]], x))
    joined = pieces[0] if len(pieces) == 1 else pa.concat_arrays(pieces)
    if len(pieces) == 1:
        return joined
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return pc.take(joined, pa.array(inverse))


_DIRECTION = ["below", "above"]
_LOWER_IS_BETTER = ["", " (lower is better)"]
_PERCENT = Affixes([""], ["%"])


def _fill(code: int, rows: np.ndarray, x: ReasonInputs) -> pa.Array:
    """The sentences of ``rows``, which all have reason ``code``."""
    m = len(rows)
    dec = x.decimals[rows]
    unit = x.unit_index[rows]

    def field(name: str) -> tuple[np.ndarray, np.ndarray]:
        if name in _VALUES:
            return numbers(getattr(x, _VALUES[name])[rows], dec, unit, x.affixes)
        if name == "GAP":
            gap = np.abs(x.value[rows] - x.target[rows])
            return numbers(gap, dec, unit, x.gap_affixes)
        if name == "TOLABS":
            return numbers(x.tol_abs[rows], dec, unit, x.gap_affixes)
        if name == "REL":
            t = x.target[rows]
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.abs(x.value[rows] - t) / np.abs(t) * 100.0
            rel[~np.isfinite(rel)] = np.nan
            return numbers(rel, np.ones(m, np.int64), np.zeros(m, np.int64), _PERCENT)
        if name in ("DIR", "LOB"):
            words = _DIRECTION if name == "DIR" else _LOWER_IS_BETTER
            return choices(words, x.sign[rows] < 0)
        if name == "TOLPCT":
            texts, index = format_general(x.tol_pct[rows])
            return choices([f"{t}%" for t in texts], index)
        if name == "FY":
            return choices(x.fy_text, x.fy_index[rows])
        if name == "SURVEYS":
            return choices(x.survey_text, x.survey_index[rows])
        if name == "ASOF":
            return choices([x.as_of_text], np.zeros(m, np.int64))
        raise KeyError(name)

    matrices: list[np.ndarray] = []
    lengths = np.zeros(m, dtype=np.int64)
    fixed = 0
    cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for is_field, text in _PARTS[code]:
        if is_field:
            if text not in cache:
                cache[text] = field(text)
            matrix, length = cache[text]
            lengths += length
        else:
            raw = np.frombuffer(text.encode(), dtype=_U8)
            matrix = np.broadcast_to(raw, (m, len(raw)))
            fixed += len(raw)
        matrices.append(matrix)
    lengths += fixed
    if len(matrices) == 1 and not matrices[0].flags.writeable:  # one fixed sentence
        data = np.tile(matrices[0][0], m) if m else np.zeros(0, dtype=_U8)
        offsets = np.arange(0, (m + 1) * fixed, fixed, dtype=np.int32)[: m + 1]
        return pa.StringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(data))
    return to_arrow(np.concatenate(matrices, axis=1), lengths)


_VALUES = {"A": "value", "T": "target", "LY": "last_year", "M": "minimum"}
