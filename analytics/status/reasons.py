"""Status reasons in words, built for whole columns at once (numpy bytes, no Python per row).

Numbers are written as :func:`analytics.formatting.format_value` writes them (the indicator's
decimals, rounded half away from zero, thousands separated by commas, the unit), a whole
column at a time (:func:`number_cells`).

How the sentences are built (:func:`build`, per block of rows): the rows are sorted by reason
code and, for codes that write numbers, by unit, so that each run of rows shares one template
with the unit's prefix and suffix as literal text. Every field a template draws on (a number,
or a word such as "below"/"above") is worked out once over the sorted rows that need it, as
*cells*: uint32 words of up to four bytes of text, NUL-padded. A number is one cell per group
of three digits (``,234``; the leading group unpadded; below a million, one lookup of both in
a cached table) and a cell for the point and decimals, from small tables, in float64
arithmetic (exact below 2**53; larger, missing or negative values get their sign and unit in
cells too, and huge ones are written one by one). Each run's sentences are a byte matrix (one
row each, a multiple of 8 bytes): the literal text copied down as one item per row, each
field's cells as one item per row into its columns. Dropping the NUL bytes of all the
matrices at once (Arrow's filter on a bit-packed mask) leaves the sentences back to back;
their lengths are the set bits of each row's mask (a cumulative popcount). A take puts them
back in row order, and :class:`Column` gathers the blocks into one large_string buffer.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.formatting import ROUND_LIMIT, format_value
from analytics.status import rag as R

# --- cells ------------------------------------------------------------------------------------

_U8, _U32 = np.uint8, np.uint32
_P10F = 10.0 ** np.arange(23)
_EXACT = ROUND_LIMIT  # scaled numbers from here on are written by format_value, one by one


def _cell_table(texts: list[bytes], width: int | None = None) -> np.ndarray:
    """Byte strings as rows of uint32 cells, NUL-padded: shape ``(len(texts), width)``."""
    raw = [t.replace(b"\0", b"") for t in texts]
    if width is None:
        width = max(((len(r) + 3) // 4 for r in raw), default=0)
    out = np.zeros((len(raw), 4 * width), dtype=_U8)
    for i, r in enumerate(raw):
        out[i, : len(r)] = np.frombuffer(r, dtype=_U8)
    return out.view(_U32).reshape(len(raw), width)


def _digit_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One-cell tables. Groups of three digits, at ``g + 1000 * (higher groups follow)``:
    unpadded (the leading group; 0 is nothing, except in the lowest group, where it is
    ``0``) or comma and three digits. Decimals, at ``width * 1000 + value``: point and
    ``width`` (0-3) digits, and the same digits without the point (the rest of 4-6)."""
    comma = [b",%03d" % g for g in range(1000)]
    top = [b"" if g == 0 else b"%d" % g for g in range(1000)] + comma
    low = [b"%d" % g for g in range(1000)] + comma
    point, digits = [], []
    for width in range(4):
        for v in range(1000):
            text = b"%0*d" % (width, v) if width and v < 10**width else b""
            point.append(b"." + text if text else b"")
            digits.append(text)
    tables = (top, low, point, digits)
    return tuple(_cell_table(t, 1).ravel() for t in tables)  # type: ignore[return-value]


_GROUP_TOP, _GROUP_LOW, _POINT, _DIGITS = _digit_tables()
_NA = _cell_table([b"n/a"], 1)[0, 0]


class Affixes:
    """Prefix and suffix of every unit (index ``i`` for unit ``i``), as cell tables."""

    def __init__(self, prefixes: list[str], suffixes: list[str]) -> None:
        self.texts = (list(prefixes), list(suffixes))
        self.units = len(self.texts[0])
        self.encoded = ([p.encode() for p in prefixes], [s.encode() for s in suffixes])
        self.has_prefix = any(self.encoded[0])
        # sign and prefix, at ``negative * units + unit``
        self.prefix = _cell_table(self.encoded[0] + [b"-" + p for p in self.encoded[0]])
        self.suffix = _cell_table(self.encoded[1])


_WHOLE_LIMIT = 1_000_000  # whole numbers below this are looked up in one table
_whole_tables: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)]
_whole_lock = threading.Lock()


def _whole_table(size: int) -> np.ndarray:
    """uint64 (two cells): ``w`` with thousands separators, for every ``w`` below ``size``
    (at least; the table is kept and grown as needed)."""
    table = _whole_tables[-1]
    if len(table) >= size:
        return table
    with _whole_lock:
        table = _whole_tables[-1]
        if len(table) < size:
            n = min(max(4096, 1 << (size - 1).bit_length()), _WHOLE_LIMIT)
            table = _group_cells(np.arange(n, dtype=np.float64), 2).view(np.uint64).ravel()
            _whole_tables[-1] = table
    return table


def _group_cells(whole: np.ndarray, groups: int) -> np.ndarray:
    """Whole numbers with thousands separators, one cell per group of three digits."""
    out = np.empty((len(whole), groups), dtype=_U32)
    rest = whole
    for k in range(groups):  # from the lowest group up
        table = _GROUP_LOW if k == 0 else _GROUP_TOP
        if k < groups - 1:
            higher = rest / 1000.0
            np.floor(higher, out=higher)
            index = higher * -1000.0
            index += rest
            np.add(index, 1000.0, out=index, where=higher > 0)
        else:
            higher, index = None, rest
        out[:, groups - 1 - k] = table[index.astype(np.intp)]
        rest = higher
    return out


def number_cells(
    values: np.ndarray,
    decimals: np.ndarray,
    unit: np.ndarray,
    affixes: Affixes,
    factor: np.ndarray | None = None,
    bare: bool = False,
) -> tuple[np.ndarray, bool]:
    """Vectorised :func:`format_value` as a cell matrix (one row per value), and whether it
    is bare: with ``bare=True``, and no value negative, missing or huge, the cells hold the
    digits only and the unit's prefix and suffix are left to the caller.

    ``factor``: ``10.0 ** decimals`` where already known. Arithmetic in float64, exact for
    scaled numbers below 2**53 (the rest, rare, are written one by one)."""
    values = np.asarray(values, dtype=np.float64)
    decimals = np.asarray(decimals, dtype=np.intp)
    unit = np.asarray(unit, dtype=np.intp)
    m = len(values)
    if factor is None:
        factor = _P10F[decimals]
    scaled = np.abs(values)  # the same steps as format_value
    scaled *= factor
    scaled += 0.5
    scaled += 1e-9
    np.floor(scaled, out=scaled)
    with np.errstate(invalid="ignore"):
        special = ~(scaled < _EXACT)  # missing, infinite or too large for float arithmetic
    any_special = bool(special.any())
    if any_special:
        scaled[special] = 0.0
    negative = values < 0
    negative &= scaled > 0
    any_negative = bool(negative.any())
    bare = bare and not (any_special or any_negative)
    whole = scaled / factor
    np.floor(whole, out=whole)
    frac = whole * factor
    np.subtract(scaled, frac, out=frac)

    top = int(whole.max(initial=0.0))
    groups = 1 if top < 1000 else 2 if top < _WHOLE_LIMIT else (len(str(top)) + 2) // 3
    max_dec = int(decimals.max(initial=0))
    n_pre = 0 if bare or not (affixes.has_prefix or any_negative) else affixes.prefix.shape[1]
    n_frac = 0 if max_dec == 0 else (1 if max_dec <= 3 else 2)
    n_suf = 0 if bare else affixes.suffix.shape[1]
    width = n_pre + groups + n_frac + n_suf
    out = np.empty((m, width), dtype=_U32)

    if n_pre:
        index = unit + negative * affixes.units if any_negative else unit
        out[:, :n_pre] = np.take(affixes.prefix, index, axis=0)
    if groups == 1:
        out[:, n_pre] = _GROUP_LOW[whole.astype(np.intp)]
    elif groups == 2:
        table = _whole_table(top + 1)
        out[:, n_pre : n_pre + 2].view(np.uint64)[:, 0] = table[whole.astype(np.intp)]
    else:
        out[:, n_pre : n_pre + groups] = _group_cells(whole, groups)
    if n_frac:
        at = n_pre + groups
        if n_frac == 1:
            frac += decimals * 1000
            out[:, at] = _POINT[frac.astype(np.intp)]
        else:
            rest_width = np.maximum(decimals - 3, 0)
            high = frac / _P10F[rest_width]
            np.floor(high, out=high)
            frac -= high * _P10F[rest_width]
            frac += rest_width * 1000
            high += np.minimum(decimals, 3) * 1000
            out[:, at] = _POINT[high.astype(np.intp)]
            out[:, at + 1] = _DIGITS[frac.astype(np.intp)]
    if n_suf:
        out[:, width - n_suf :] = np.take(affixes.suffix, unit, axis=0)
    if any_special:
        out = _write_special(out, np.flatnonzero(special), values, decimals, unit, affixes)
    return out, bare


def _write_special(out, rows, values, decimals, unit, affixes) -> np.ndarray:
    """Missing values as ``n/a``; huge ones formatted one by one."""
    prefixes, suffixes = affixes.texts
    texts = []
    for i in rows:
        v = values[i]
        if math.isnan(v):
            texts.append(b"n/a")
        else:
            text = format_value(v, int(decimals[i]), "")
            sign = "-" if text.startswith("-") else ""
            u = unit[i]
            texts.append(f"{sign}{prefixes[u]}{text.lstrip('-')}{suffixes[u]}".encode())
    cells = _cell_table(texts)
    if cells.shape[1] > out.shape[1]:
        wider = np.zeros((len(out), cells.shape[1]), dtype=_U32)
        wider[:, : out.shape[1]] = out
        out = wider
    out[rows] = 0
    out[rows, : cells.shape[1]] = cells
    return out


def _strings(raw: np.ndarray, segments: list[tuple[int, int]], rows: int) -> pa.Array:
    """The rows of byte matrices laid back to back in ``raw`` (segments of ``(rows, bytes
    per row)``, a multiple of 8 bytes) as strings, NUL bytes dropped."""
    packed = np.packbits(raw != 0, bitorder="little")  # Arrow's boolean layout
    # each row's length: the set bits of its mask, a whole number of bytes of ``packed``
    ends = np.empty(rows, dtype=np.int64)
    row = at = 0
    for m, width in segments:
        per_row = width // 8
        ends[row : row + m] = np.arange(at + per_row - 1, at + m * per_row, per_row)
        row, at = row + m, at + m * per_row
    offsets = np.zeros(rows + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bitwise_count(packed), dtype=np.int32)[ends]
    keep = pa.Array.from_buffers(pa.bool_(), len(raw), [None, pa.py_buffer(packed)])
    data = pc.filter(pa.Array.from_buffers(pa.uint8(), len(raw), [None, pa.py_buffer(raw)]), keep)
    if int(offsets[-1]) != len(data) or data.offset:
        raise AssertionError("reason text lengths do not add up")
    return pa.LargeStringArray.from_buffers(rows, pa.py_buffer(offsets), data.buffers()[1])


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
    unit = np.array([kinds.index(p) for p in pairs], dtype=np.intp)
    affixes = Affixes([p for p, _ in kinds], [s for _, s in kinds])
    cells, _ = number_cells(values, np.asarray(decimals, dtype=np.int64), unit, affixes)
    if cells.shape[1] % 2:
        cells = np.concatenate([cells, np.zeros((n, 1), dtype=_U32)], axis=1)
    return _strings(np.ascontiguousarray(cells).view(_U8).ravel(), [(n, 4 * cells.shape[1])], n)


def format_general(values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Settings such as tolerances, written without trailing zeros (5, 7.5): the distinct
    texts and each row's index into them."""
    uniques, inverse = np.unique(np.asarray(values, dtype=np.float64), return_inverse=True)
    return [("n/a" if math.isnan(u) else f"{u:,.6g}") for u in uniques], inverse


# --- templates --------------------------------------------------------------------------------

# A template is a list of literal strings and {FIELD} names filled per row.
_MISS = ["{GAP} ", "{DIR}", " target {T}{LOB}"]
_BEYOND_BAND = ["{GAP} ({REL}) ", "{DIR}", " target {T}{LOB}, beyond the {GREENPCT}", " green band"]
TEMPLATES: dict[int, list[str]] = {
    R.R_MET: ["met target {T} (actual {A})"],
    R.R_GREEN_BAND: [
        "{REL} ",
        "{DIR}",
        " target {T}{LOB}, within the {GREENPCT}",
        " green band (actual {A})",
    ],
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
    R.R_LY_BAND_IMPROVED: [
        *_BEYOND_BAND,
        ", but improved on the same period last year ({LY}; actual {A})",
    ],
    R.R_LY_BAND_HELD: [
        *_BEYOND_BAND,
        ", but no worse than the same period last year ({LY}; actual {A})",
    ],
    R.R_LY_BAND_WORSE: [
        *_BEYOND_BAND,
        ", and worse than the same period last year ({LY}; actual {A})",
    ],
    R.R_LY_BAND_NONE: [
        *_BEYOND_BAND,
        ", and no value for the same period last year to compare (actual {A})",
    ],
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
# Codes in the order their rows are sorted: each field is then used by one run of codes, and
# is worked out over that run only.
_ORDER = np.array(
    [
        R.R_MET,
        R.R_PCT_WITHIN,
        R.R_PCT_BEYOND,
        R.R_ABS_WITHIN,
        R.R_ABS_BEYOND,
        R.R_LY_NONE,
        R.R_LY_IMPROVED,
        R.R_LY_HELD,
        R.R_LY_WORSE,
        R.R_LY_BAND_NONE,
        R.R_LY_BAND_IMPROVED,
        R.R_LY_BAND_HELD,
        R.R_LY_BAND_WORSE,
        R.R_GREEN_BAND,
        R.R_IM_NO_MINIMUM,
        R.R_IM_WITHIN,
        R.R_IM_BEYOND,
        R.R_PLACEHOLDER,
        R.R_MISSING,
        R.R_NO_TARGET,
        R.R_NO_TARGET_BY_DATE,
        R.R_NO_NEW_DATA,
        R.R_DATA_ONLY,
    ]
)
_RANK = np.argsort(_ORDER).astype(np.int32)  # code -> position in _ORDER
_NUMBERS = {"A": "value", "T": "target", "LY": "last_year", "M": "minimum"}
_NUMBERS.update(GAP="", TOLABS="", REL="")
_GAPS = ("GAP", "TOLABS")
# codes whose rows are also sorted by unit: each (code, unit) writes the unit as literal text
_BY_UNIT = np.array(
    [any(f and name in _NUMBERS for f, name in _PARTS[code]) for code in range(len(_ORDER))]
)
_DIRECTION = ["below", "above"]
_LOWER_IS_BETTER = ["", " (lower is better)"]
_PERCENT = Affixes([""], ["%"])


class ReasonInputs:
    """What the templates draw on, for a block of rows laid out indicator by indicator
    (``per_indicator`` rows each, one per due column).

    Per row: ``value``, ``target``, ``last_year`` (rounded). Per indicator: ``decimals``,
    ``factor`` (10.0 ** decimals), ``unit_index``, ``sign``, ``minimum``, ``tol_abs``,
    ``tol_pct_index`` (into ``tol_pct_text``), ``green_pct_index`` (into
    ``green_pct_text``), ``survey_index`` (into ``survey_text``). Per
    due column: ``fy_index`` (into ``fy_text``). Tables: ``affixes``, ``gap_affixes``,
    ``as_of_text``; optionally ``layouts``, a dict kept between blocks."""

    def __init__(self, **arrays: object) -> None:
        self.__dict__.update(arrays)


_SHARED = ("decimals", "factor", "unit_index")


class _Sorted:
    """The inputs of the rows sorted by reason code, gathered on demand over a run of them."""

    def __init__(self, x: ReasonInputs, order: np.ndarray, lo: int, hi: int) -> None:
        self.x, self.lo = x, lo
        self.rows = order[lo:hi]
        self.indicator = self.rows // x.per_indicator
        self._cache: dict[str, np.ndarray] = {}

    def row(self, name: str, a: int, b: int) -> np.ndarray:
        return getattr(self.x, name)[self.rows[a - self.lo : b - self.lo]]

    def ind(self, name: str, a: int, b: int) -> np.ndarray:
        if name not in _SHARED:
            return getattr(self.x, name)[self.indicator[a - self.lo : b - self.lo]]
        if name not in self._cache:  # used by every number: gathered once
            self._cache[name] = getattr(self.x, name)[self.indicator]
        return self._cache[name][a - self.lo : b - self.lo]


def _field(name: str, a: int, b: int, s: _Sorted) -> tuple[np.ndarray, bool]:
    """The cells of field ``name`` for sorted rows ``a:b``, and whether they are bare
    numbers (the unit to be written around them)."""
    x = s.x
    if name == "REL":
        t = s.row("target", a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(s.row("value", a, b) - t) / np.abs(t) * 100.0
        rel[~np.isfinite(rel)] = np.nan
        ones = np.ones(b - a, dtype=np.intp)
        return number_cells(rel, ones, ones * 0, _PERCENT, ones * 10.0, bare=True)
    if name in _NUMBERS:
        if name == "GAP":
            values = np.abs(s.row("value", a, b) - s.row("target", a, b))
        elif name == "TOLABS":
            values = s.ind("tol_abs", a, b)
        elif name == "M":
            values = s.ind("minimum", a, b)
        else:
            values = s.row(_NUMBERS[name], a, b)
        affixes = x.gap_affixes if name in _GAPS else x.affixes
        decimals, factor = s.ind("decimals", a, b), s.ind("factor", a, b)
        unit = s.ind("unit_index", a, b)
        return number_cells(values, decimals, unit, affixes, factor, bare=True)
    if name in ("DIR", "LOB"):
        words = _DIRECTION if name == "DIR" else _LOWER_IS_BETTER
        return _words(words, s.ind("sign", a, b) < 0), False
    if name == "TOLPCT":
        texts = [f"{t}%" for t in x.tol_pct_text]
        return _words(texts, s.ind("tol_pct_index", a, b)), False
    if name == "GREENPCT":
        texts = [f"{t}%" for t in x.green_pct_text]
        return _words(texts, s.ind("green_pct_index", a, b)), False
    if name == "FY":
        rows = s.rows[a - s.lo : b - s.lo]
        return _words(x.fy_text, x.fy_index[rows % x.per_indicator]), False
    if name == "SURVEYS":
        return _words(x.survey_text, s.ind("survey_index", a, b)), False
    raise KeyError(name)


def _words(texts: list[str], index: np.ndarray) -> np.ndarray:
    return np.take(_cell_table([t.encode() for t in texts]), index, axis=0)


def _items(cells: np.ndarray) -> np.ndarray | None:
    """The rows of a cell matrix as single (void) items; None if they are empty."""
    if cells.shape[1] == 0:
        return None
    cells = np.ascontiguousarray(cells).view(_U8)
    return cells.view(f"V{cells.shape[1]}").reshape(len(cells))


def _layout(
    code: int, unit: int, fields: dict[str, tuple[int, bool]], x: ReasonInputs
) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """The template of ``code`` for rows of ``unit`` as one row of bytes (literal text;
    zeros where fields go, a multiple of 8 bytes) and ``[(field, first byte)]``.
    ``fields``: each field's width in cells and whether it is a bare number."""
    pieces: list[tuple[str | None, bytes]] = []

    def literal(text: bytes) -> None:
        if pieces and pieces[-1][0] is None:
            pieces[-1] = (None, pieces[-1][1] + text)
        elif text:
            pieces.append((None, text))

    for is_field, text in _PARTS[code]:
        if not is_field:
            literal(text.encode())
        elif text == "ASOF":
            literal(x.as_of_text.encode())
        elif fields[text][1] and text in _NUMBERS:  # a bare number: the unit around it
            affixes = _PERCENT if text == "REL" else x.gap_affixes if text in _GAPS else x.affixes
            u = 0 if text == "REL" else unit
            literal(affixes.encoded[0][u])
            pieces.append((text, b""))
            literal(affixes.encoded[1][u])
        else:
            pieces.append((text, b""))
    row: list[bytes] = []
    places, at = [], 0
    for name, text in pieces:
        if name is None:
            row.append(text)
            at += len(text)
        else:
            places.append((name, at))
            size = 4 * fields[name][0]
            row.append(bytes(size))
            at += size
    row.append(bytes(-at % 8))
    return np.frombuffer(b"".join(row), dtype=_U8), places


def build(codes: np.ndarray, x: ReasonInputs) -> pa.Array:
    """The reason sentence of every row, in row order (a large_string array)."""
    n = len(codes)
    if n == 0:
        return pa.array([], pa.large_string())
    codes = np.asarray(codes)
    units = max(x.affixes.units, 1)
    key = _RANK[codes] * units
    if units > 1:
        unit = np.repeat(np.asarray(x.unit_index, dtype=np.int32), x.per_indicator)
        unit *= _BY_UNIT[codes]
        key += unit
    small = len(_ORDER) * units < 32_000
    order = np.argsort(key.astype(np.int16) if small else key, kind="stable")
    counts = np.bincount(key, minlength=len(_ORDER) * units)
    ends = np.cumsum(counts)
    present = np.flatnonzero(counts)
    segments = [
        (int(_ORDER[k // units]), int(k % units), int(ends[k] - counts[k]), int(counts[k]))
        for k in present
    ]

    spans: dict[str, tuple[int, int]] = {}
    for code, _, start, m in segments:
        for is_field, name in _PARTS[code]:
            if is_field and name != "ASOF":
                a, b = spans.get(name, (start, start + m))
                spans[name] = (min(a, start), max(b, start + m))
    lo = min((a for a, _ in spans.values()), default=0)
    hi = max((b for _, b in spans.values()), default=0)
    s = _Sorted(x, order, lo, hi)
    fields = {name: (a, *_field(name, a, b, s)) for name, (a, b) in spans.items()}
    shapes = {name: (cells.shape[1], bare) for name, (_, cells, bare) in fields.items()}

    layouts = getattr(x, "layouts", None)
    if layouts is None:
        layouts = {}
    plans = []
    for code, unit, _, _ in segments:
        used = tuple((name, shapes[name]) for f, name in _PARTS[code] if f and name in shapes)
        k = (code, unit, used)
        if k not in layouts:
            layouts[k] = _layout(code, unit, shapes, x)
        plans.append(layouts[k])
    sizes = [(m, len(row)) for (_, _, _, m), (row, _) in zip(segments, plans, strict=True)]
    raw = np.empty(sum(m * w for m, w in sizes), dtype=_U8)
    items = {name: _items(cells) for name, (_, cells, _) in fields.items()}
    at = 0
    for (_, _, start, m), (row, places), (_, w) in zip(segments, plans, sizes, strict=True):
        # whole rows and fields copied as single items: far quicker than 2-D byte copies
        raw[at : at + m * w].view(f"V{w}")[...] = row.view(f"V{w}")[0]
        for name, col in places:
            if items[name] is not None:
                a = start - fields[name][0]
                source = items[name][a : a + m]
                np.ndarray((m,), source.dtype, raw, at + col, (w,))[...] = source
        at += m * w
    del fields, items
    text = _strings(raw, sizes, n)
    if len(segments) == 1:
        return text
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return text.take(pa.array(inverse))


class Column:
    """The reason text of every row, gathered block by block (in row order) into one buffer:
    a single-chunk large_string column, with no second copy of the text."""

    def __init__(self, rows: int) -> None:
        self.offsets = np.empty(rows + 1, dtype=np.int64)
        self.offsets[0] = 0
        self.rows = 0
        self.data = np.empty(0, dtype=_U8)
        self.used = 0

    def add(self, block: pa.Array) -> None:
        n = len(block)
        if n == 0:
            return
        _, offsets_buffer, data_buffer = block.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[block.offset : block.offset + n + 1]
        first, last = int(offsets[0]), int(offsets[-1])
        size = last - first
        if self.used + size > len(self.data):
            # room for the rest at this block's rate; memory not written is never touched
            remaining = len(self.offsets) - 1 - self.rows
            estimate = self.used + 2 * size * remaining // n + (1 << 20)
            grown = np.empty(max(estimate, self.used + size), dtype=_U8)
            grown[: self.used] = self.data[: self.used]
            self.data = grown
        if size:
            source = np.frombuffer(data_buffer, dtype=_U8, count=size, offset=first)
            self.data[self.used : self.used + size] = source
        out = self.offsets[self.rows + 1 : self.rows + n + 1]
        np.subtract(offsets[1:], first - self.used, out=out)
        self.rows += n
        self.used += size

    def array(self) -> pa.Array:
        if self.rows != len(self.offsets) - 1:
            raise AssertionError("reason rows missing")
        data = pa.py_buffer(self.data[: self.used])
        return pa.LargeStringArray.from_buffers(self.rows, pa.py_buffer(self.offsets), data)
