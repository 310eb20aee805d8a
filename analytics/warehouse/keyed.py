"""Rows the warehouse holds, found for incoming rows by their (indicator_id, period).

A commit compares a return's few values with the values held, and the statuses it computes
with those stored. Hashing everything held (``DataFrame.merge``, a ``MultiIndex`` reindex)
for a few incoming rows costs more than the comparison, so the held rows are found by a
dictionary of their keys and taken by position, in one take of the frame with a missing row
at its end for the keys not held. A quarter's returns committed together are compared with
one :class:`HeldRows`, so the dictionary and the padded frame are made once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import numpy as np
import pandas as pd

KEY = ("indicator_id", "period")


class HeldRows:
    """Rows held, one per (indicator_id, period): ``frame`` has those two columns and the
    columns to find."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    @cached_property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in KEY]

    @cached_property
    def _at(self) -> dict[tuple, int]:
        keys = zip(self.frame["indicator_id"].tolist(), self.frame["period"].tolist(),
                   strict=True)  # fmt: skip
        return {key: i for i, key in enumerate(keys)}

    @cached_property
    def _padded(self) -> pd.DataFrame:
        """The columns to find, and a last row all missing (as a left join fills a row)."""
        found = self.frame[self.columns]
        return pd.concat([found, found.iloc[:0].reindex([0])], ignore_index=True)

    def beside(self, indicator_ids: Iterable, periods: Iterable, index: pd.Index) -> pd.DataFrame:
        """:attr:`columns` for each (indicator id, period) given, in that order, on ``index``:
        missing where no such row is held."""
        missing = len(self.frame)
        rows = [self._at.get(key, missing) for key in zip(indicator_ids, periods, strict=True)]
        return self._padded.take(np.array(rows, dtype=np.intp)).set_axis(index)


def held_beside(
    held: pd.DataFrame, indicator_ids: Iterable, periods: Iterable, index: pd.Index
) -> pd.DataFrame:
    """Every other column of ``held`` (one row per indicator_id and period) for each
    (indicator id, period) given, in that order, on ``index``: missing where ``held`` has no
    such row, as a left join gives it."""
    return HeldRows(held).beside(indicator_ids, periods, index)


def same_numbers(a, b) -> np.ndarray:
    """Equal, or both missing (numbers: Series or arrays)."""
    x, y = _floats(a), _floats(b)
    return (x == y) | (np.isnan(x) & np.isnan(y))


def _floats(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(values, dtype=np.float64)
