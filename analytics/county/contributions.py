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


def contribution_gaps(cells: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells with the gap columns, a summary per code and period).

    ``cells``: district_code, code, period, actual_value, numerator, denominator (as
    :func:`analytics.county.aggregate.district_parts` gives them) and contribution_target
    (the district's target for the period, NaN where none).
    ``rows``: code, period, aggregation_rule, multiplier, sign (+1 higher is better, -1
    lower, 0 data only), county_target (the county's target for the period)."""
    frame = cells.merge(
        rows[["code", "period", "aggregation_rule", "multiplier", "sign", "county_target"]],
        on=["code", "period"],
        how="left",
    )
    rule = frame["aggregation_rule"].to_numpy(dtype=object)
    shared = np.isin(rule, ("ratio", "rate_per_population"))
    mult = frame["multiplier"].to_numpy(dtype=np.float64, na_value=1.0)
    sign = frame["sign"].to_numpy(dtype=np.float64, na_value=0.0)
    value = frame["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    num = frame["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = frame["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    contribution = frame["contribution_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    county_target = frame["county_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    keys = frame["code"].astype(str) + "\x00" + frame["period"].astype(str)
    has_any = frame.groupby(keys)["contribution_target"].transform(lambda s: s.notna().any())
    has_any = has_any.to_numpy(dtype=bool)
    level = np.where(has_any, contribution, np.where(shared, county_target, np.nan))
    expected = np.where(shared, level * den / mult, level)
    achieved = np.where(shared, num, value)
    with np.errstate(invalid="ignore"):
        gap = np.where(np.isnan(expected) | np.isnan(achieved) | (sign == 0), np.nan,
                       np.maximum(sign * (expected - achieved), 0.0))  # fmt: skip
    frame["expected"], frame["achieved"], frame["gap"] = expected, achieved, gap
    behind = frame["gap"].where(frame["gap"] > 0)
    total_gap = behind.groupby(keys).transform("sum").to_numpy(dtype=np.float64)
    total_den = frame.groupby(keys)["denominator"].transform("sum").to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["gap_share"] = np.where(total_gap > 0, gap / total_gap, np.nan)
        frame["gap_county_units"] = np.where(shared, gap / total_den * mult, gap)
    frame["gap_basis"] = np.where(
        has_any, "contribution targets", np.where(shared, "the county target", "")
    )
    summary = _summary(frame, keys)
    cells_out = cells.assign(**{c: frame[c].to_numpy() for c in CELL_COLUMNS})
    return cells_out, summary


def _summary(frame: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Per (code, period): the contributions combined by the rule, whether they add up to the
    county target, and the district with the largest gap (ties: the first code)."""
    if frame.empty:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    work = frame.assign(
        _weighted=frame["contribution_target"] * frame["denominator"],
        _both=frame["contribution_target"].notna() & frame["denominator"].notna(),
    )
    g = work.groupby(["code", "period"], sort=False)
    out = g.agg(
        aggregation_rule=("aggregation_rule", "first"),
        sign=("sign", "first"),
        county_target=("county_target", "first"),
        gap_basis=("gap_basis", "first"),
        n=("district_code", "size"),
        given=("contribution_target", "count"),
        both=("_both", "sum"),
        summed=("contribution_target", "sum"),
        weighted=("_weighted", "sum"),
        weights=("denominator", "sum"),
    )
    rule = out["aggregation_rule"].to_numpy(dtype=object)
    complete = (out["given"] == out["n"]).to_numpy() & (out["n"] > 0).to_numpy()
    shared = np.isin(rule, ("ratio", "rate_per_population"))
    weights = out["weights"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.where((out["both"] == out["n"]).to_numpy() & (weights > 0),
                         out["weighted"].to_numpy(dtype=np.float64) / weights, np.nan)  # fmt: skip
    total = np.where(rule == "sum", out["summed"].to_numpy(dtype=np.float64),
                     np.where(shared, level, np.nan))  # fmt: skip
    total = np.where(complete, total, np.nan)
    target = out["county_target"].to_numpy(dtype=np.float64, na_value=np.nan)
    sign = out["sign"].to_numpy(dtype=np.float64, na_value=0.0)
    judged = ~np.isnan(total) & ~np.isnan(target) & (sign != 0)
    with np.errstate(invalid="ignore"):
        short_by = sign * (target - total)
        adds_up = short_by <= 1e-9 * (1 + np.abs(target))
    out["contributions_total"] = total
    out["contributions_complete"] = complete
    out["contributions_add_up"] = pd.array(np.where(judged, adds_up, False), dtype="boolean")
    out.loc[~judged, "contributions_add_up"] = pd.NA
    out["contributions_short_by"] = np.where(judged, np.maximum(short_by, 0.0), np.nan)
    behind = work[work["gap"] > 0].sort_values(
        ["gap", "district_code"], ascending=[False, True], kind="stable"
    )
    top = behind.drop_duplicates(["code", "period"]).set_index(["code", "period"])
    out["largest_gap_district"] = top["district_code"].reindex(out.index)
    out["largest_gap_share"] = top["gap_share"].reindex(out.index).astype(float)
    return out.reset_index()[list(SUMMARY_COLUMNS)]
