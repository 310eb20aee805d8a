"""Rows the warehouse holds, found for incoming rows by their (indicator_id, period).

A commit compares a return's few values with the values held, and the statuses it computes
with those stored. Hashing everything held (``DataFrame.merge``, a ``MultiIndex`` reindex)
for a few incoming rows costs more than the comparison, so the held rows are found by a
dictionary of their keys, and their columns taken by position.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def held_beside(
    held: pd.DataFrame,
    indicator_ids: Iterable,
    periods: Iterable,
    columns: Iterable[str],
    index: pd.Index,
) -> pd.DataFrame:
    """``columns`` of ``held`` (one row per indicator_id and period) for each (indicator id,
    period) given, in that order, on ``index``: missing where ``held`` has no such row, as
    a left join gives it."""
    at = {key: i for i, key in enumerate(zip(held["indicator_id"].tolist(),
                                             held["period"].tolist(), strict=True))}  # fmt: skip
    rows = np.array(
        [at.get(key, -1) for key in zip(indicator_ids, periods, strict=True)], dtype=np.intp
    )
    return pd.DataFrame(
        {name: pd.Series(pd.api.extensions.take(held[name].array, rows, allow_fill=True),
                         index=index, name=name, copy=False)
         for name in columns},
        copy=False,
    )  # fmt: skip


def same_numbers(a, b) -> np.ndarray:
    """Equal, or both missing (numbers: Series or arrays)."""
    x, y = _floats(a), _floats(b)
    return (x == y) | (np.isnan(x) & np.isnan(y))


def _floats(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(values, dtype=np.float64)
