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


def object_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its column labels as a plain object index (in place; returned). pandas 3
    labels columns with Arrow-backed strings, where adding a column costs 1.7 ms instead of
    0.2: the county view adds dozens to small frames on every page load."""
    frame.columns = frame.columns.astype(object)
    return frame


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
    # plain dicts and numpy: the view is made on every page load, and merges of small
    # frames cost more than the arithmetic
    pairs = list(dict.fromkeys(zip(wanted["code"], wanted["period"], strict=True)))
    n_d = len(districts)
    code = np.repeat(np.array([c for c, _ in pairs], dtype=object), n_d)
    period = np.repeat(np.array([p for _, p in pairs], dtype=object), n_d)
    district = np.tile(np.array(districts, dtype=object), len(pairs))
    rule_of = dict(zip(rules["code"], rules["aggregation_rule"], strict=True))
    mult_of = dict(zip(rules["code"], rules["multiplier"], strict=True))
    rule = np.array([rule_of.get(c) for c in code], dtype=object)
    mult = np.array([mult_of.get(c, 1.0) for c in code], dtype=np.float64)
    keys = list(zip(district, code, period, strict=True))
    found = dict(
        zip(zip(values["district_code"], values["code"], values["period"], strict=True),
            range(len(values)), strict=True)
    )  # fmt: skip
    at = np.array([found.get(k, -1) for k in keys], dtype=np.int64)

    def column(name: str) -> np.ndarray:
        raw = values[name].to_numpy(dtype=np.float64, na_value=np.nan) if name in values else (
            np.full(len(values), np.nan))  # fmt: skip
        return np.where(at >= 0, np.append(raw, np.nan)[at], np.nan)

    value, num, den = column("actual_value"), column("numerator_value"), column(
        "denominator_value")  # fmt: skip
    years = {p: periods.parse_code(p).financial_year for p in set(period)}
    pop_of = dict(zip(zip(populations["district_code"], populations["financial_year"],
                          strict=True), populations["population"], strict=True))  # fmt: skip
    pop = np.array([pop_of.get((d, years[p]), np.nan) for d, p in zip(district, period,
                                                                      strict=True)],
                   dtype=np.float64)  # fmt: skip
    is_ratio, is_rate = rule == "ratio", rule == "rate_per_population"
    events = np.where(np.isnan(num), value * pop / mult, num)
    return object_columns(pd.DataFrame({
        "district_code": district, "code": code, "period": period, "actual_value": value,
        "numerator": np.where(is_ratio, num, np.where(is_rate, events, np.nan)),
        "denominator": np.where(is_ratio, den, np.where(is_rate, pop, np.nan)),
        "derived": is_rate & np.isnan(num) & ~np.isnan(events),
    }))  # fmt: skip


def county_figures(parts: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """One row per (code, period) of ``parts``: the county figure its rule makes from the
    districts' parts, the numerator and denominator added up (ratio and rate rules), how many
    districts reported and which did not (a sorted, comma-separated list of codes)."""
    if parts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIGURE_COLUMNS})
    keys = list(zip(parts["code"], parts["period"], strict=True))
    order = list(dict.fromkeys(keys))
    index = {k: i for i, k in enumerate(order)}
    group = np.array([index[k] for k in keys], dtype=np.int64)
    n = len(order)
    rule_of = dict(zip(rules["code"], rules["aggregation_rule"], strict=True))
    mult_of = dict(zip(rules["code"], rules["multiplier"], strict=True))
    rule = np.array([rule_of.get(c) for c, _ in order], dtype=object)
    mult = np.array([mult_of.get(c, 1.0) for c, _ in order], dtype=np.float64)
    value = parts["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    num = parts["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = parts["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    shared = (rule == "ratio") | (rule == "rate_per_population")
    usable = np.where(shared[group], ~np.isnan(num) & ~np.isnan(den), ~np.isnan(value))
    reported = ~np.isnan(value) | ~np.isnan(num)

    def total(x: np.ndarray) -> np.ndarray:
        sums = np.bincount(group, weights=np.nan_to_num(x), minlength=n)
        return np.where(np.bincount(group, weights=~np.isnan(x), minlength=n) > 0, sums, np.nan)

    size = np.bincount(group, minlength=n)
    complete = np.bincount(group, weights=usable, minlength=n) == size
    nums, dens = total(num), total(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(dens > 0, nums / dens * mult, np.nan)
    computed = np.where(rule == "sum", total(value), np.where(shared, ratio, np.nan))
    from_districts = np.array(
        [AGGREGATION_RULE_BY_CODE[r].from_districts if r in AGGREGATION_RULE_BY_CODE else False
         for r in rule], dtype=bool,
    )  # fmt: skip
    districts = parts["district_code"].to_numpy(dtype=object)
    missing: dict[int, list[str]] = {}
    for i in np.flatnonzero(~usable):
        missing.setdefault(int(group[i]), []).append(str(districts[i]))
    return pd.DataFrame({
        "code": [c for c, _ in order], "period": [p for _, p in order],
        "county_computed_value": np.where(complete, computed, np.nan),
        "numerator": np.where(shared, nums, np.nan),
        "denominator": np.where(shared, dens, np.nan),
        "districts_reporting": np.bincount(group, weights=reported, minlength=n).astype("int64"),
        "districts_expected": size.astype("int64"),
        "missing_districts": [", ".join(sorted(missing.get(g, []))) if from_districts[g] else ""
                              for g in range(n)],
    })  # fmt: skip


def mean_of_percentages(parts: pd.DataFrame) -> pd.Series:
    """The districts' values averaged per (code, period): what a ratio's county figure is
    NOT (kept to show, and to test, how far it can be from the right figure)."""
    return parts.groupby(["code", "period"])["actual_value"].mean()
