"""A county figure from its districts' figures, by the indicator's aggregation rule (pure).

``sum``
    the districts' values added up (counts: homes built, incidents, casualties).
``ratio``
    the districts' numerators added up, over their denominators added up, times the
    multiplier (100 for a percentage). Never the mean of the districts' percentages: a small
    district's percentage would weigh as much as a large one's.
``rate_per_population``
    the districts' events added up over their populations added up, times the multiplier
    (1,000 for a rate per 1,000). A district's events are its numerator; a district that gave
    only its rate has events of rate x its population / multiplier.
``county_only``
    measured at county level (a survey sampled across the county): nothing is computed; each
    district shows the county's figure.

A county figure is made only when every district has what the rule needs for the period;
otherwise it is left blank and ``missing_districts`` says who is short (a partial sum would
read as a fall).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import periods
from analytics.status.ratios import ratio_of
from analytics.vocabulary import AGGREGATION_RULE_BY_CODE

PART_COLUMNS = ("district_code", "code", "period", "actual_value", "numerator", "denominator",
                "derived")  # fmt: skip
FIGURE_COLUMNS = ("code", "period", "county_computed_value", "numerator", "denominator",
                  "districts_reporting", "districts_expected", "missing_districts")  # fmt: skip


def multiplier_of(unit: object, given: object = None) -> float:
    """What ``numerator / denominator`` is multiplied by: the framework's ratio_multiplier
    when given, else from the unit (``%``: 100; ``rate per 1,000``: 1,000), else 1
    (:func:`analytics.status.ratios.ratio_of`, which confidence intervals read too)."""
    return ratio_of(unit, None, given)[1]


def district_parts(
    rules: pd.DataFrame,
    values: pd.DataFrame,
    districts: list[str],
    populations: pd.DataFrame,
    wanted: pd.DataFrame,
) -> pd.DataFrame:
    """Each district's share of each wanted (code, period): its value, and the numerator and
    denominator its rule adds up (``derived``: events worked out from a rate and the
    population). ``rules``: code, aggregation_rule, multiplier. ``values``: district_code,
    code, period, actual_value, numerator_value, denominator_value (current values).
    ``populations``: district_code, financial_year, population. ``wanted``: code, period.
    One row per (district, code, period) wanted, whether the district reported or not."""
    if wanted.empty or not districts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PART_COLUMNS})
    grid = (
        wanted[["code", "period"]]
        .drop_duplicates()
        .merge(pd.DataFrame({"district_code": districts}), how="cross")
    )
    grid = grid.merge(rules[["code", "aggregation_rule", "multiplier"]], on="code", how="left")
    cols = ["district_code", "code", "period", "actual_value", "numerator_value",
            "denominator_value"]  # fmt: skip
    grid = grid.merge(values.reindex(columns=cols), on=["district_code", "code", "period"],
                      how="left")  # fmt: skip
    grid["financial_year"] = grid["period"].map(lambda p: periods.parse_code(p).financial_year)
    pops = populations.rename(columns={"population": "_population"})
    grid = grid.merge(pops[["district_code", "financial_year", "_population"]],
                      on=["district_code", "financial_year"], how="left")  # fmt: skip
    value = grid["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    num = grid["numerator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = grid["denominator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    pop = grid["_population"].to_numpy(dtype=np.float64, na_value=np.nan)
    mult = grid["multiplier"].to_numpy(dtype=np.float64, na_value=1.0)
    rule = grid["aggregation_rule"].to_numpy(dtype=object)
    is_ratio, is_rate = rule == "ratio", rule == "rate_per_population"
    events = np.where(np.isnan(num), value * pop / mult, num)
    derived = is_rate & np.isnan(num) & ~np.isnan(events)
    grid["numerator"] = np.where(is_ratio, num, np.where(is_rate, events, np.nan))
    grid["denominator"] = np.where(is_ratio, den, np.where(is_rate, pop, np.nan))
    grid["derived"] = derived
    return grid[list(PART_COLUMNS)].reset_index(drop=True)


def county_figures(parts: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """One row per (code, period) of ``parts``: the county figure its rule makes from the
    districts' parts, the numerator and denominator added up (ratio and rate rules), how many
    districts reported and which did not (a sorted, comma-separated list of codes)."""
    if parts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIGURE_COLUMNS})
    frame = parts.merge(rules[["code", "aggregation_rule", "multiplier"]], on="code", how="left")
    rule = frame["aggregation_rule"].to_numpy(dtype=object)
    needs_parts = np.isin(rule, ("ratio", "rate_per_population"))
    usable = np.where(
        needs_parts,
        frame["numerator"].notna() & frame["denominator"].notna(),
        frame["actual_value"].notna(),
    )
    frame = frame.assign(
        _usable=usable,
        _reported=(frame["actual_value"].notna() | frame["numerator"].notna()).to_numpy(),
    )
    keys = ["code", "period"]
    grouped = frame.groupby(keys, sort=False)
    out = grouped[["actual_value", "numerator", "denominator"]].sum(min_count=1)
    out = out.rename(columns={"actual_value": "total"})
    out["aggregation_rule"] = grouped["aggregation_rule"].first()
    out["multiplier"] = grouped["multiplier"].first()
    out["districts_reporting"] = grouped["_reported"].sum()
    out["districts_usable"] = grouped["_usable"].sum()
    out["districts_expected"] = grouped["district_code"].count()
    short = frame.loc[~frame["_usable"], [*keys, "district_code"]].sort_values("district_code")
    missing = short.groupby(keys, sort=False)["district_code"].agg(", ".join)
    out["missing_districts"] = missing.reindex(out.index).fillna("")
    out = out.reset_index()
    complete = out["districts_usable"].eq(out["districts_expected"]).to_numpy()
    rule = out["aggregation_rule"].to_numpy(dtype=object)
    mult = out["multiplier"].to_numpy(dtype=np.float64, na_value=1.0)
    num = out["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = out["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den > 0, num / den * mult, np.nan)
    computed = np.select(
        [rule == "sum", np.isin(rule, ("ratio", "rate_per_population"))],
        [out["total"].to_numpy(dtype=np.float64, na_value=np.nan), ratio],
        np.nan,
    )
    out["county_computed_value"] = np.where(complete, computed, np.nan)
    from_districts = np.array(
        [AGGREGATION_RULE_BY_CODE[r].from_districts if r in AGGREGATION_RULE_BY_CODE else False
         for r in rule], dtype=bool,
    )  # fmt: skip
    out.loc[~from_districts, "missing_districts"] = ""
    uses_parts = np.isin(rule, ("ratio", "rate_per_population"))
    out.loc[~uses_parts, ["numerator", "denominator"]] = np.nan
    out["districts_reporting"] = out["districts_reporting"].astype("int64")
    out["districts_expected"] = out["districts_expected"].astype("int64")
    return out[list(FIGURE_COLUMNS)]


def mean_of_percentages(parts: pd.DataFrame) -> pd.Series:
    """The districts' values averaged per (code, period): what a ratio's county figure is
    NOT (kept to show, and to test, how far it can be from the right figure)."""
    return parts.groupby(["code", "period"])["actual_value"].mean()
