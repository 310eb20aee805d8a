"""Period codes to integer ordinals, and the small lookups the engine keeps (private).

The engine never compares or merges period strings row by row: every distinct code is parsed
once with :mod:`analytics.periods` and the rows carry an integer ordinal instead.

- a quarter ``2009/10 Q2`` has grain ``QUARTER`` and ordinal ``2009 * 4 + 1``;
- a year ``2009/10`` has grain ``YEAR`` and ordinal ``2009``;
- any other code (half-years, months) has grain ``OTHER`` and is not assessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import periods as P

OTHER, QUARTER, YEAR = 0, 1, 2


def parse_ordinal(code: str) -> tuple[int, int]:
    """``(grain, ordinal)`` of one canonical code; ``(OTHER, 0)`` for anything not assessed."""
    try:
        p = P.parse_code(str(code))
    except (P.PeriodError, ValueError):
        return OTHER, 0
    if p.grain == "quarter":
        return QUARTER, p.start_year * 4 + p.number - 1
    if p.grain == "year":
        return YEAR, p.start_year
    return OTHER, 0


def code_of(grain: int, ordinal: int) -> str:
    if grain == QUARTER:
        return P.make_code(ordinal // 4, "quarter", ordinal % 4 + 1)
    return P.fy_code(ordinal)


def ordinals(codes: pd.Series | pd.Index | list | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grain (int8) and ordinal (int64) of every code, parsing each distinct code once."""
    series = codes if isinstance(codes, pd.Series) else pd.Series(codes, dtype=object)
    if isinstance(series.dtype, pd.CategoricalDtype):
        idx, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        idx, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = [parse_ordinal(u) for u in uniques]
    grain_u = np.array([g for g, _ in parsed] + [OTHER], dtype=np.int8)
    ord_u = np.array([o for _, o in parsed] + [0], dtype=np.int64)
    idx = np.where(idx < 0, len(parsed), idx)  # NA codes -> the OTHER sentinel
    return grain_u[idx], ord_u[idx]


def fy_start_years(fys: pd.Series) -> np.ndarray:
    """Start year of each financial-year code (``2009/10`` -> 2009); -1 where unreadable."""
    series = fys if isinstance(fys, pd.Series) else pd.Series(fys, dtype=object)
    idx, uniques = pd.factorize(series, use_na_sentinel=True)
    out = []
    for u in uniques:
        try:
            out.append(P.fy_start_year(str(u)))
        except (P.PeriodError, ValueError):
            out.append(-1)
    lut = np.array(out + [-1], dtype=np.int64)
    return lut[np.where(idx < 0, len(out), idx)]


def positions(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each of ``keys`` in ``ids`` (unique ints); -1 where absent."""
    ids = np.asarray(ids, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    if len(ids) == 0 or len(keys) == 0:
        return np.full(len(keys), -1, dtype=np.int64)
    lo, hi = int(ids.min()), int(ids.max())
    if hi - lo <= 4 * len(ids) + 1_000_000:  # dense ids: a lookup table beats hashing
        lut = np.full(hi - lo + 1, -1, dtype=np.int64)
        lut[ids - lo] = np.arange(len(ids))
        inside = (keys >= lo) & (keys <= hi)
        out = np.full(len(keys), -1, dtype=np.int64)
        out[inside] = lut[keys[inside] - lo]
        return out
    return pd.Index(ids).get_indexer(keys).astype(np.int64)
