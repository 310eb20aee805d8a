"""Confidence intervals and the Fingertips comparison, on small inline cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.status.intervals import (
    COMPARISONS,
    compare_with_interval,
    confidence_intervals,
    exact_poisson_interval,
    level_name,
    rate_interval,
    wilson_interval,
    z_value,
)


def test__z_values_and_level_names():
    assert z_value(0.95) == pytest.approx(1.959964, abs=5e-7)
    assert z_value(0.998) == pytest.approx(3.090232, abs=5e-7)
    assert (level_name(0.95), level_name(0.998)) == ("95", "99_8")
    with pytest.raises(ValueError, match="confidence must be a level"):
        z_value(95)


def test__exact_poisson__closed_forms_for_0_and_1_events():
    lower, upper = exact_poisson_interval([0, 1], 0.95)
    assert lower.tolist() == [0.0, pytest.approx(-math.log(0.975), rel=1e-12)]
    assert upper[0] == pytest.approx(-math.log(0.025), rel=1e-12)  # chi2(0.975, 2) / 2


def test__rates__exact_below_10_events_and_byar_from_10():
    frame = pd.DataFrame({"numerator": [9, 10], "denominator": [1000, 1000], "measure": "rate"})
    assert confidence_intervals(frame)["ci_method"].tolist() == ["exact_poisson", "byar"]


def test__rates__exact_and_byar_agree_roughly_at_the_switch():
    exact = exact_poisson_interval([10], 0.95)
    lower, upper = rate_interval([10], [1], 0.95)  # Byar's at 10
    assert lower[0] == pytest.approx(exact[0][0], rel=0.01)
    assert upper[0] == pytest.approx(exact[1][0], rel=0.01)


def test__wilson__none_and_all_stay_within_0_and_1():
    lower, upper = wilson_interval([0, 50], [50, 50], 0.95)
    assert lower[0] == 0.0 and 0 < upper[0] < 0.1
    assert upper[1] == pytest.approx(1.0) and 0.9 < lower[1] < 1


@pytest.mark.parametrize(
    ("numerator", "denominator", "measure"),
    [
        (60, 50, "proportion"),  # more "yes" than people asked
        (-1, 50, "proportion"),
        (-1, 50, "rate"),
        (5, 0, "rate"),
        (5, 0, "proportion"),
    ],
)
def test__no_interval_for_impossible_counts(numerator, denominator, measure):
    frame = pd.DataFrame(
        {"numerator": [numerator], "denominator": [denominator], "measure": measure}
    )
    out = confidence_intervals(frame).iloc[0]
    assert out["ci_method"] == ""
    assert math.isnan(out["ci_lower_95"]) and math.isnan(out["ci_upper_99_8"])


def test__a_rate_may_exceed_its_denominator():
    frame = pd.DataFrame({"numerator": [250], "denominator": [220], "measure": "rate"})
    assert confidence_intervals(frame)["ci_method"].tolist() == ["byar"]


def test__unknown_measure_is_refused():
    frame = pd.DataFrame({"numerator": [1], "denominator": [2], "measure": "ratio"})
    with pytest.raises(ValueError, match="measure must be proportion or rate, not ratio"):
        confidence_intervals(frame)


def test__confidence_intervals__keeps_rows_and_columns_and_picks_levels():
    frame = pd.DataFrame(
        {
            "indicator_id": [7, 8],
            "numerator": [45, 3],
            "denominator": [100, 1000],
            "measure": ["proportion", "rate"],
            "multiplier": [100, 1000],
        }
    )
    out = confidence_intervals(frame, levels=(0.95,))
    assert out["indicator_id"].tolist() == [7, 8]
    assert out["ci_value"].tolist() == [45.0, 3.0]
    assert "ci_lower_99_8" not in out and "ci_lower_95" in out
    assert (out["ci_lower_95"] < out["ci_value"]).all()


# -- the Fingertips comparison ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "polarity", "expected"),
    [
        (40.0, "higher", "better"),  # the comparator below the interval: the value is higher
        (60.0, "higher", "worse"),
        (50.0, "higher", "similar"),
        (45.0, "higher", "similar"),  # on the edge: inside
        (55.0, "higher", "similar"),
        (40.0, "lower", "worse"),
        (60.0, "lower", "better"),
        (40.0, "none", "not_compared"),
        (np.nan, "higher", "not_compared"),
    ],
)
def test__compare__comparator_outside_or_inside_the_interval(comparator, polarity, expected):
    assert compare_with_interval([45.0], [55.0], [comparator], polarity).tolist() == [expected]


def test__compare__no_interval_is_not_compared_and_an_open_lower_limit():
    out = compare_with_interval([np.nan, np.nan], [np.nan, 5.0], [1.0, 6.0], "higher")
    assert out.tolist() == ["not_compared", "worse"]


def test__compare__polarity_per_row_and_a_bad_one_refused():
    out = compare_with_interval([1, 1], [2, 2], [0, 0], ["higher", "lower"])
    assert out.tolist() == ["better", "worse"]
    with pytest.raises(ValueError, match="polarity must be higher, lower or none, not up"):
        compare_with_interval([1], [2], [0], "up")


def test__compare__every_code_has_a_label_and_a_symbol():
    assert set(COMPARISONS) == {"better", "similar", "worse", "not_compared"}
    assert all(label and symbol for label, symbol in COMPARISONS.values())


# -- invariants -------------------------------------------------------------------------------


@given(
    x=st.integers(0, 5000),
    n=st.integers(1, 20000),
    measure=st.sampled_from(["proportion", "rate"]),
)
def test__the_value_lies_in_its_interval_and_99_8_contains_95(x, n, measure):
    if measure == "proportion":
        x = min(x, n)
    frame = pd.DataFrame({"numerator": [x], "denominator": [n], "measure": measure})
    row = confidence_intervals(frame).iloc[0]
    low_95 = 0.0 if math.isnan(row["ci_lower_95"]) else row["ci_lower_95"]
    low_998 = 0.0 if math.isnan(row["ci_lower_99_8"]) else row["ci_lower_99_8"]
    slack = 1e-12 * max(1.0, row["ci_value"])  # Wilson's upper limit at x = n: 1 - 2e-16
    assert low_998 <= low_95 <= row["ci_value"] + slack
    assert row["ci_value"] <= row["ci_upper_95"] + slack <= row["ci_upper_99_8"] + 2 * slack
