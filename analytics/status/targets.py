"""Which target applies: the version in force at a date, the original, and quarterly profiles.

Every version of a target is kept. The version *in force* on a date is the one with the latest
``set_on`` on or before that date (ties: the higher version number); with no date, the highest
version. The *original* target is the lowest version in force by that date (normally
version 1), so a Board can see performance "against the original target" after a refresh.

The target for a quarter (the *profiled* target): the quarter's ``qN_value`` where the
partnership gave a profile, otherwise for a cumulative measure the straight-line share of the
annual target (``target_value * N / 4``), and for a snapshot measure the annual target itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.status._codes import fy_start_years, positions

PROFILE_COLUMNS = ("q1_value", "q2_value", "q3_value", "q4_value")

# Why a cell has no usable target (TargetTable.state).
IN_FORCE, NONE_SET, NONE_BY_DATE = 0, 1, 2


def as_of_days(as_of: object) -> int | None:
    """A date (or anything pandas reads as one) as days since 1970-01-01; None stays None."""
    if as_of is None:
        return None
    return int(pd.Timestamp(as_of).normalize().value // 86_400_000_000_000)


def _days(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values)
    return stamps.to_numpy("datetime64[D]").astype(np.int64)


def select_versions(
    cell: np.ndarray, version: np.ndarray, set_on: pd.Series | None, as_of: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks over target rows: (in force, original, eligible by the date).

    ``cell`` identifies (indicator, financial year); one row per cell is picked for each mask.
    """
    n = len(cell)
    version = np.nan_to_num(np.asarray(version, dtype=np.float64), nan=0.0).astype(np.int64)
    if as_of is None or set_on is None:
        eligible = np.ones(n, dtype=bool)
        rank = version
    else:
        days = _days(set_on)
        eligible = days <= as_of
        rank = days * 65_536 + version  # latest set_on first, then the higher version
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        return empty, empty, eligible
    size = int(cell.max()) + 1
    best = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)
    first = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(best, cell[eligible], rank[eligible])
    np.minimum.at(first, cell[eligible], version[eligible])
    in_force = eligible & (rank == best[cell])
    original = eligible & (version == first[cell])
    # two rows with the same rank in a cell (duplicate versions): keep the last one only
    for mask in (in_force, original):
        picked = np.flatnonzero(mask)
        cells = cell[picked]
        if len(picked) > 1 and np.bincount(cells, minlength=size).max() > 1:
            last = np.full(size, -1, dtype=np.int64)
            np.maximum.at(last, cells, picked)
            mask[picked[last[cells] != picked]] = False
    return in_force, original, eligible


@dataclass
class TargetTable:
    """Targets laid out densely by (indicator position, financial year - y0)."""

    y0: int
    annual: np.ndarray  # (n_ind, n_years) target_value of the version in force
    profile: np.ndarray  # (n_ind, n_years, 4) q1..q4 of the version in force (NaN = none)
    placeholder: np.ndarray  # (n_ind, n_years) bool
    version: np.ndarray  # (n_ind, n_years) float, NaN = no version in force
    original: np.ndarray  # (n_ind, n_years) target_value of the original version
    state: np.ndarray  # (n_ind, n_years) int8: IN_FORCE, NONE_SET, NONE_BY_DATE


def resolve(
    targets: pd.DataFrame, ind_ids: np.ndarray, as_of: int | None, y0: int, n_years: int
) -> TargetTable:
    n_ind = len(ind_ids)
    shape = (n_ind, max(n_years, 1))
    table = TargetTable(
        y0=y0,
        annual=np.full(shape, np.nan),
        profile=np.full((*shape, 4), np.nan),
        placeholder=np.zeros(shape, dtype=bool),
        version=np.full(shape, np.nan),
        original=np.full(shape, np.nan),
        state=np.full(shape, NONE_SET, dtype=np.int8),
    )
    if targets is None or len(targets) == 0 or n_ind == 0:
        return table
    pos = positions(ind_ids, targets["indicator_id"].to_numpy(dtype=np.int64, na_value=-1))
    yidx = fy_start_years(targets["financial_year"]) - y0
    keep = (pos >= 0) & (yidx >= 0) & (yidx < shape[1])
    rows = np.flatnonzero(keep)
    cell = pos[rows] * shape[1] + yidx[rows]
    set_on = targets["set_on"].iloc[rows] if "set_on" in targets else None
    version = targets["version"].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    in_force, original, eligible = select_versions(cell, version, set_on, as_of)

    # flat scatters: each (indicator, year) cell at most once per mask
    f, o = np.flatnonzero(in_force), np.flatnonzero(original)
    src_f, cell_f, src_o = rows[f], cell[f], rows[o]

    def col(name: str, src: np.ndarray, dtype=np.float64, fill=np.nan) -> np.ndarray:
        if name not in targets:
            return np.full(len(src), fill, dtype=dtype)
        return targets[name].to_numpy(dtype=dtype, na_value=fill)[src]

    flat = lambda a: a.reshape(-1)  # noqa: E731 - a writable view (the tables are contiguous)
    flat(table.state)[cell] = NONE_BY_DATE
    flat(table.state)[cell_f] = IN_FORCE
    flat(table.annual)[cell_f] = col("target_value", src_f)
    profile = np.empty((len(src_f), 4))
    for q, name in enumerate(PROFILE_COLUMNS):
        profile[:, q] = col(name, src_f)
    table.profile.reshape(-1, 4)[cell_f] = profile
    flat(table.placeholder)[cell_f] = col("is_placeholder", src_f, bool, False)
    flat(table.version)[cell_f] = version[f]
    flat(table.original)[cell[o]] = col("target_value", src_o)
    # an annual target missing but a Q4 profile given: the Q4 (year-end) value is the year's
    gap = np.isnan(table.annual)
    table.annual[gap] = table.profile[..., 3][gap]
    return table


def targets_in_force(targets: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """The target version in force for each (indicator, financial year) on ``as_of``.

    Returns the chosen target rows (all their columns) plus ``original_target_value`` and
    ``original_version``. ``as_of=None`` picks the highest version.
    """
    if len(targets) == 0:
        out = targets.copy()
        out["original_target_value"] = pd.Series(dtype=float)
        out["original_version"] = pd.Series(dtype="Int64")
        return out
    cell = targets.groupby(["indicator_id", "financial_year"], sort=False, dropna=False).ngroup()
    in_force, original, _ = select_versions(
        cell.astype(np.int64),
        targets["version"].to_numpy(dtype=np.float64, na_value=np.nan),
        targets.get("set_on"),
        as_of_days(as_of),
    )
    chosen = targets[in_force].copy()
    first = targets[original][["indicator_id", "financial_year", "target_value", "version"]]
    first = first.rename(
        columns={"target_value": "original_target_value", "version": "original_version"}
    )
    return chosen.merge(first, on=["indicator_id", "financial_year"], how="left").reset_index(
        drop=True
    )
