"""Districts' contributions to a county target, and who holds the gap (pure pandas).

A district's **contribution target** is its part of a county target, in the indicator's
unit: a count for a ``sum`` indicator, its own percentage or rate for a ``ratio`` or
``rate_per_population`` one. The county's own target stays the one agreed with government.

**Do the contributions add up?** They are combined by the indicator's rule, as the figures
are: counts added up; percentages and rates weighted by each district's denominator (its
population for a rate) in the period, so that they say what the county would reach if every
district met its contribution. After polarity, at least the county target: they add up.

**The gap.** Each district's shortfall is measured in what its rule adds up, so that the
shortfalls add up to the county's: for ``sum``, its contribution target less its figure; for
``ratio`` and ``rate_per_population``, the numerator (events) its contribution target implies
at its denominator (population), less its numerator. A district with no contribution target
is measured against the county target's level (a percentage or a rate; a count has no level
to share out, so no gap). Only districts behind count; the district with the largest gap is
named with its share of the districts' gaps, and each gap is also given in the county
figure's unit (points of a percentage, a rate), so the parts add up to the county's shortfall.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELL_COLUMNS = ("expected", "achieved", "gap", "gap_share", "gap_county_units", "gap_basis")
SUMMARY_COLUMNS = ("code", "period", "contributions_total", "contributions_complete",
                   "contributions_add_up", "contributions_short_by", "largest_gap_district",
                   "largest_gap_share", "gap_basis")  # fmt: skip


def _sum(group: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per group, the sum of ``values`` (NaN left out)."""
    return np.bincount(group, weights=np.nan_to_num(values), minlength=n)


def _count(group: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(group, weights=mask.astype(np.float64), minlength=n)


def contribution_gaps(cells: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells with the gap columns, a summary per code and period).

    ``cells``: district_code, code, period, actual_value, numerator, denominator (as
    :func:`analytics.county.aggregate.district_parts` gives them) and contribution_target
    (the district's target for the period, NaN where none).
    ``rows``: code, period, aggregation_rule, multiplier, sign (+1 higher is better, -1
    lower, 0 data only), county_target (the county's target for the period).

    Grouped with integer codes and numpy (the view is computed on every page load)."""
    keys = pd.MultiIndex.from_arrays([rows["code"], rows["period"]])
    cell_keys = pd.MultiIndex.from_arrays([cells["code"], cells["period"]])
    at = keys.get_indexer(cell_keys)  # each cell's row
    found = at >= 0
    n = len(rows)
    group = np.where(found, at, n)  # cells of no row: a group of their own, dropped

    def row_values(column: str, fill) -> np.ndarray:
        values = rows[column].to_numpy(dtype=object if column == "aggregation_rule" else
                                       np.float64, na_value=fill)  # fmt: skip
        return np.append(values, fill)[group]

    rule = row_values("aggregation_rule", None)
    shared = (rule == "ratio") | (rule == "rate_per_population")
    mult, sign = row_values("multiplier", 1.0), row_values("sign", 0.0)
    county_target = row_values("county_target", np.nan)
    value = cells["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    num = cells["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = cells["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    contribution = cells["contribution_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    given = ~np.isnan(contribution)
    has_any = (_count(group, given, n + 1) > 0)[group]
    level = np.where(has_any, contribution, np.where(shared, county_target, np.nan))
    expected = np.where(shared, level * den / mult, level)
    achieved = np.where(shared, num, value)
    with np.errstate(invalid="ignore"):
        gap = np.where(np.isnan(expected) | np.isnan(achieved) | (sign == 0), np.nan,
                       np.maximum(sign * (expected - achieved), 0.0))  # fmt: skip
        behind = np.where(gap > 0, gap, 0.0)
    total_gap = _sum(group, behind, n + 1)[group]
    total_den = _sum(group, den, n + 1)[group]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total_gap > 0, gap / total_gap, np.nan)
        in_county = np.where(shared, gap / total_den * mult, gap)
    basis = np.where(has_any, "contribution targets", np.where(shared, "the county target", ""))
    out = cells.assign(expected=expected, achieved=achieved, gap=gap, gap_share=share,
                       gap_county_units=in_county, gap_basis=basis)  # fmt: skip
    summary = _summary(rows, group[found], out[found], given[found], n)
    return out, summary


def _summary(rows: pd.DataFrame, group: np.ndarray, cells: pd.DataFrame, given: np.ndarray,
             n: int) -> pd.DataFrame:  # fmt: skip
    """Per (code, period) of ``rows``: the contributions combined by the rule, whether they
    add up to the county target, and the district with the largest gap (ties: the first
    code)."""
    contribution = cells["contribution_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = cells["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    gap = cells["gap"].to_numpy(dtype=np.float64, na_value=np.nan)
    size = np.bincount(group, minlength=n)
    n_given = _count(group, given, n)
    both = _count(group, given & ~np.isnan(den), n)
    summed = _sum(group, contribution, n)
    weighted = _sum(group, contribution * den, n)
    weights = _sum(group, np.where(given, den, np.nan), n)
    rule = rows["aggregation_rule"].to_numpy(dtype=object)
    shared = (rule == "ratio") | (rule == "rate_per_population")
    complete = (n_given == size) & (size > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.where((both == size) & (weights > 0), weighted / weights, np.nan)
    total = np.where(rule == "sum", summed, np.where(shared, level, np.nan))
    total = np.where(complete, total, np.nan)
    target = rows["county_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    sign = rows["sign"].to_numpy(dtype=np.float64, na_value=0.0)
    judged = ~np.isnan(total) & ~np.isnan(target) & (sign != 0)
    with np.errstate(invalid="ignore"):
        short_by = sign * (target - total)
        adds_up = short_by <= 1e-9 * (1 + np.abs(target))
    # the largest gap of each group: sort by (group, -gap, district code), take each first
    codes = cells["district_code"].to_numpy(dtype=object)
    behind = np.flatnonzero(gap > 0)
    largest = np.full(n, None, dtype=object)
    share = np.full(n, np.nan)
    if len(behind):
        order = sorted(behind, key=lambda i: (group[i], -gap[i], codes[i]))
        firsts = {}
        for i in order:
            firsts.setdefault(group[i], i)
        shares = cells["gap_share"].to_numpy(dtype=np.float64, na_value=np.nan)
        for g, i in firsts.items():
            largest[g], share[g] = codes[i], shares[i]
    basis = np.full(n, "", dtype=object)
    first_of = {}
    for i, g in enumerate(group):
        first_of.setdefault(g, i)
    cell_basis = cells["gap_basis"].to_numpy(dtype=object)
    for g, i in first_of.items():
        basis[g] = cell_basis[i]
    add_up = pd.array(np.where(judged, adds_up, False), dtype="boolean")
    add_up[~judged] = pd.NA
    return pd.DataFrame({
        "code": rows["code"].to_numpy(), "period": rows["period"].to_numpy(),
        "contributions_total": total, "contributions_complete": complete,
        "contributions_add_up": add_up,
        "contributions_short_by": np.where(judged, np.maximum(short_by, 0.0), np.nan),
        "largest_gap_district": largest, "largest_gap_share": share, "gap_basis": basis,
    })  # fmt: skip
