"""A county figure from its districts' figures, by each aggregation rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.county.aggregate import (
    county_figures,
    district_parts,
    mean_of_percentages,
    multiplier_of,
)

Q = "2009/10 Q2"


def _figure(rule: str, values: list[tuple], districts=("A", "B", "C"), pops=None, mult=None):
    mult = mult or (100.0 if rule == "ratio" else 1000.0)
    rules = pd.DataFrame({"code": ["X"], "aggregation_rule": [rule], "multiplier": [mult]})
    frame = pd.DataFrame(
        values, columns=["district_code", "actual_value", "numerator_value", "denominator_value"]
    ).assign(code="X", period=Q)
    populations = pd.DataFrame(
        [{"district_code": d, "financial_year": "2009/10", "population": p}
         for d, p in (pops or {}).items()],
        columns=["district_code", "financial_year", "population"],
    )  # fmt: skip
    wanted = pd.DataFrame({"code": ["X"], "period": [Q]})
    parts = district_parts(rules, frame, list(districts), populations, wanted)
    return parts, county_figures(parts, rules).iloc[0]


def test__sum__adds_the_districts_counts():
    _, row = _figure("sum", [("A", 90, None, None), ("B", 15, None, None), ("C", 140, None, None)])
    assert row["county_computed_value"] == 245
    assert (row["districts_reporting"], row["districts_expected"]) == (3, 3)
    assert math.isnan(row["numerator"]) and math.isnan(row["denominator"])


def test__ratio__is_the_sum_of_numerators_over_the_sum_of_denominators_not_a_mean():
    values = [("A", 30.0, 300, 1000), ("B", 50.0, 50, 100), ("C", 40.0, 800, 2000)]
    parts, row = _figure("ratio", values)
    assert row["county_computed_value"] == pytest.approx(100 * 1150 / 3100)  # 37.1%
    assert (row["numerator"], row["denominator"]) == (1150, 3100)
    # the mean of the districts' percentages would say 40%: a small district weighs as much
    # as one twenty times its size
    assert mean_of_percentages(parts).iloc[0] == pytest.approx(40.0)
    assert abs(row["county_computed_value"] - 40.0) > 2.5


def test__rate_per_population__events_over_population_times_the_multiplier():
    values = [("A", 3.8, 190, None), ("B", 7.5, None, None), ("C", 5.5, 440, None)]
    parts, row = _figure("rate_per_population", values,
                         pops={"A": 50_000, "B": 20_000, "C": 80_000})  # fmt: skip
    # B gave only its rate: its events are 7.5 x 20,000 / 1,000 = 150
    assert parts.set_index("district_code").at["B", "numerator"] == pytest.approx(150)
    assert bool(parts.set_index("district_code").at["B", "derived"])
    assert row["county_computed_value"] == pytest.approx((190 + 150 + 440) / 150_000 * 1000)
    assert row["denominator"] == 150_000


def test__rate_per_population__no_population_no_county_figure():
    values = [("A", 3.8, 190, None), ("B", 7.5, 150, None)]
    _, row = _figure("rate_per_population", values, districts=("A", "B"), pops={"A": 50_000})
    assert math.isnan(row["county_computed_value"])
    assert row["missing_districts"] == "B"


def test__county_only__makes_no_figure_from_districts():
    _, row = _figure("county_only", [("A", 71, None, None)])
    assert math.isnan(row["county_computed_value"])
    assert row["missing_districts"] == ""


@pytest.mark.parametrize("rule", ["sum", "ratio"])
def test__a_district_short_of_what_the_rule_needs__leaves_the_figure_blank_and_names_it(rule):
    values = [("A", 30.0, 300, 1000), ("B", 50.0, None, None), ("C", None, None, None)]
    _, row = _figure(rule, values)
    assert math.isnan(row["county_computed_value"])  # a partial sum would read as a fall
    expected = "C" if rule == "sum" else "B, C"
    assert row["missing_districts"] == expected
    assert row["districts_reporting"] == 2


@pytest.mark.parametrize(
    ("unit", "given", "expected"),
    [("%", None, 100), ("rate per 1,000 population", None, 1000), ("per 100,000", None, 1e5),
     ("homes", None, 1), ("kg per household", 1000, 1000), ("%", 1, 1)],
)  # fmt: skip
def test__multiplier__from_the_framework_else_the_unit(unit, given, expected):
    assert multiplier_of(unit, given) == expected
