"""Statistical process control: limits, rules, summaries and words, on small inline series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.status.spc import (
    SpcSettings,
    period_orders,
    quarterly_increments,
    spc_points,
    spc_reasons,
    spc_summary,
)
from analytics.status.spc_rowwise import spc_points_rowwise, spc_summary_rowwise
from analytics.status.spc_words import SPC_ASSURANCES, SPC_POINTS, SPC_VARIATIONS

WIDE = [0, 2] * 6  # twelve common-cause points with a wide moving range


def series(values, series_id=1, polarity="higher", **columns) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series_id": series_id,
            "period_order": range(len(values)),
            "value": values,
            "polarity": polarity,
            **columns,
        }
    )


def points_of(values, **kwargs) -> list[str]:
    return spc_points(series(values), **kwargs)["spc_point"].tolist()


def rebase_at(order, series_id=1) -> pd.DataFrame:
    return pd.DataFrame({"series_id": [series_id], "period_order": [order]})


# -- limits ---------------------------------------------------------------------------------


def test__limits__mean_plus_minus_2_66_mean_moving_ranges_and_2_sigma_at_two_thirds():
    out = spc_points(series([1, 3, 1, 3, 1]), SpcSettings(screen_outliers=False)).iloc[0]
    assert out["spc_mean"] == pytest.approx(1.8)
    assert out["spc_upper_limit"] == pytest.approx(1.8 + 2.66 * 2)
    assert out["spc_lower_limit"] == pytest.approx(1.8 - 2.66 * 2)
    assert out["spc_upper_2sigma"] - out["spc_mean"] == pytest.approx(2 / 3 * 2.66 * 2)


def test__trial_limits__below_12_points_and_not_from_12():
    assert spc_summary(series(WIDE[:11]))["spc_trial_limits"].tolist() == [True]
    assert spc_summary(series(WIDE))["spc_trial_limits"].tolist() == [False]
    assert spc_summary(series(WIDE))["spc_limit_points"].tolist() == [12]


def test__screening__an_outlying_moving_range_is_left_out_only_when_screening():
    values = [1, 2] * 6 + [20, 1.5]
    screened = spc_points(series(values)).iloc[0]
    unscreened = spc_points(series(values), SpcSettings(screen_outliers=False)).iloc[0]
    assert screened["spc_upper_limit"] < unscreened["spc_upper_limit"]
    # the two ranges around 20 (18 and 18.5) are >= 3.267 x the mean range (47.5 / 13), and only
    # they go: the eleven ranges left are all 1
    assert screened["spc_upper_limit"] - screened["spc_mean"] == pytest.approx(2.66 * 1)
    assert unscreened["spc_upper_limit"] - unscreened["spc_mean"] == pytest.approx(2.66 * 47.5 / 13)


def test__flat_series__limits_on_the_mean_and_every_point_common_cause():
    out = spc_points(series([5.0] * 14))
    assert (out["spc_upper_limit"] == 5.0).all() and (out["spc_lower_limit"] == 5.0).all()
    assert set(out["spc_point"]) == {"common_cause"}


def test__fixed_limits__from_the_first_12_points_and_later_points_read_against_them():
    values = WIDE + [30, 30, 30]
    fixed = spc_points(series(values), SpcSettings(fix_after_points=12))
    free = spc_points(series(values))
    assert fixed["spc_mean"].iloc[0] == pytest.approx(1.0)
    assert fixed["spc_limit_points"].iloc[0] == 12
    assert fixed["spc_point"].tail(3).tolist() == ["beyond_limits"] * 3
    assert free["spc_mean"].iloc[0] > 1.0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (dict(run_length=5), "run_length must be 6 or 7"),
        (dict(fix_after_points=11), "at least 12"),
        (dict(fix_after_points=12.5), "at least 12"),
    ],
)
def test__settings__refused_with_a_reason(settings, message):
    with pytest.raises(ValueError, match=message):
        SpcSettings(**settings)


# -- rebasing -------------------------------------------------------------------------------


def test__rebase__limits_restart_and_runs_do_not_cross():
    values = WIDE + [10, 12] * 6
    plain = spc_points(series(values))
    rebased = spc_points(series(values), rebases=rebase_at(12))
    assert set(plain["spc_point"][12:]) != {"common_cause"}
    assert rebased["spc_baseline"].tolist() == [0] * 12 + [1] * 12
    assert rebased["spc_mean"].iloc[-1] == pytest.approx(11.0)
    assert set(rebased["spc_point"]) == {"common_cause"}


def test__rebase__at_a_missing_period_starts_at_the_next_value():
    values = WIDE + [np.nan] + [10, 12] * 6
    out = spc_points(series(values), rebases=rebase_at(12))
    assert out["spc_baseline"].tolist() == [0] * 12 + [1] * 12
    assert out.loc[out["spc_baseline"] == 1, "period_order"].iloc[0] == 13


def test__rebase__before_the_first_or_after_the_last_value_changes_nothing():
    plain = spc_points(series(WIDE))
    rebases = pd.DataFrame({"series_id": [1, 1, 2], "period_order": [-5, 99, 3]})
    pd.testing.assert_frame_equal(spc_points(series(WIDE), rebases=rebases), plain)


# -- the rules and their precedence ---------------------------------------------------------


@pytest.mark.parametrize(("run_length", "expected"), [(7, "common_cause"), (6, "trend")])
def test__trend__six_rising_points_are_a_trend_only_with_run_length_6(run_length, expected):
    values = [0, 10] * 4 + [1, 2, 3, 4, 5, 6]
    out = points_of(values, settings=SpcSettings(run_length=run_length))
    assert out[:8] == ["common_cause"] * 8
    assert out[8:] == [expected] * 6


def test__trend__an_equal_value_breaks_it():
    values = [0, 10] * 4 + [1, 2, 3, 3, 4, 5, 6, 7]
    assert set(points_of(values, settings=SpcSettings(run_length=6))) == {"common_cause"}


def test__trend__every_point_of_the_run_is_flagged_with_its_direction():
    values = [0, -10] * 5 + [1, 2, 3, 4, 5, 6, 7]
    out = spc_points(series(values))
    assert out["spc_point"].tolist() == ["common_cause"] * 9 + ["trend"] * 8
    assert out["spc_side"].tolist()[9:] == [1] * 8
    assert out["spc_run_points"].tolist()[9:] == [8] * 8
    assert out["spc_variation"].tolist()[-1] == "improvement_high"


@pytest.mark.parametrize(("run_length", "expected"), [(7, "common_cause"), (6, "shift")])
def test__shift__six_points_above_the_mean_only_with_run_length_6(run_length, expected):
    values = [2, 0] * 5 + [1.5] * 6 + [0]
    out = points_of(values, settings=SpcSettings(run_length=run_length))
    assert out[10:16] == [expected] * 6
    assert out[16] == "common_cause"


def test__shift__a_point_exactly_on_the_mean_breaks_it():
    on_mean = [0, 1] * 3 + [2, 0] * 4 + [1.5] * 3 + [1] + [1.5] * 3  # the mean is exactly 1
    assert spc_points(series(on_mean))["spc_mean"].iloc[0] == 1.0
    assert set(points_of(on_mean)) == {"common_cause"}
    above = on_mean[:17] + [1.5] + on_mean[18:]
    assert points_of(above)[14:] == ["shift"] * 7


def test__precedence__beyond_limits_over_trend():
    values = [5, 4, 6, 4, 6, 5, 4, 6, 5, 1, 2, 3, 4, 5, 6, 30]
    assert points_of(values)[9:] == ["beyond_limits"] * 2 + ["trend"] * 4 + ["beyond_limits"]


def test__precedence__trend_over_shift():
    values = [0, -10] * 5 + [1, 2, 3, 4, 5, 6, 7]  # the last 7 are also above the mean
    assert points_of(values)[10:] == ["trend"] * 7


def test__precedence__two_of_three_over_shift_and_only_the_points_near_the_limit():
    values = WIDE + [3, 3, 5.5, 3, 5.5, 3, 3]
    out = spc_points(series(values))
    assert out["spc_point"].tolist()[12:] == [
        "shift",
        "shift",
        "two_of_three",
        "shift",
        "two_of_three",
        "shift",
        "shift",
    ]
    near = out.iloc[14]
    assert near["spc_upper_2sigma"] < 5.5 < near["spc_upper_limit"]


# -- variation and assurance ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "last", "variation"),
    [
        ("higher", 30, "improvement_high"),
        ("higher", -30, "concern_low"),
        ("lower", 30, "concern_high"),
        ("lower", -30, "improvement_low"),
        ("none", 30, "neutral_high"),
        ("none", -30, "neutral_low"),
    ],
)
def test__variation__from_the_latest_point_after_polarity(polarity, last, variation):
    out = spc_summary(series(WIDE + [last], polarity=polarity))
    assert out["spc_point"].tolist() == ["beyond_limits"]
    assert out["spc_variation"].tolist() == [variation]


def test__variation__common_cause_when_the_latest_point_is_not_special():
    out = spc_summary(series(WIDE + [30, 1], polarity="higher"))
    assert out[["spc_point", "spc_variation"]].values.tolist() == [["common_cause"] * 2]


@pytest.mark.parametrize(
    ("polarity", "target", "assurance"),
    [
        ("higher", 10.0, "consistent_fail"),
        ("higher", -10.0, "consistent_pass"),
        ("lower", 10.0, "consistent_pass"),
        ("lower", -10.0, "consistent_fail"),
        ("higher", 1.5, "hit_and_miss"),
        ("none", 10.0, ""),
        ("higher", np.nan, ""),
    ],
)
def test__assurance__the_target_against_the_latest_limits(polarity, target, assurance):
    out = spc_summary(series(WIDE, polarity=polarity, target_value=target))
    assert out["spc_assurance"].tolist() == [assurance]


def test__assurance__a_target_exactly_on_a_limit_is_hit_and_miss():
    upper = spc_summary(series(WIDE))["spc_upper_limit"].iloc[0]
    out = spc_summary(series(WIDE, target_value=upper))
    assert out["spc_assurance"].tolist() == ["hit_and_miss"]


def test__assurance__uses_the_latest_points_target():
    targets = [10.0] * 11 + [1.0]
    out = spc_summary(series(WIDE, target_value=targets))
    assert out["spc_assurance"].tolist() == ["hit_and_miss"]


def test__polarity__missing_column_means_none_and_unknown_words_are_refused():
    frame = series(WIDE + [30]).drop(columns="polarity")
    assert spc_summary(frame)["spc_variation"].tolist() == ["neutral_high"]
    with pytest.raises(ValueError, match="polarity must be higher, lower or none"):
        spc_summary(series(WIDE, polarity="up"))


# -- missing values, empty and short series -------------------------------------------------


def test__empty_frame__empty_results_with_the_columns():
    empty = series([]).astype({"value": float})
    assert spc_points(empty).empty
    summary = spc_summary(empty)
    assert summary.empty and "spc_assurance" in summary


def test__series_without_values__a_row_with_empty_codes():
    frame = pd.concat([series(WIDE, 1), series([np.nan, np.nan], 2)])
    out = spc_summary(frame)
    assert out["series_id"].tolist() == [1, 2]
    row = out.iloc[1]
    assert (row["spc_point"], row["spc_variation"], row["spc_assurance"]) == ("", "", "")
    assert row["spc_trial_limits"] and math.isnan(row["spc_mean"])
    assert len(spc_points(frame)) == 12


def test__one_point__no_limits_common_cause_and_no_assurance():
    out = spc_summary(series([4.0], target_value=3.0))
    row = out.iloc[0]
    assert row["spc_mean"] == 4.0 and math.isnan(row["spc_upper_limit"])
    assert (row["spc_point"], row["spc_variation"], row["spc_assurance"]) == (
        "common_cause",
        "common_cause",
        "",
    )
    assert row["spc_trial_limits"]


def test__missing_value__skipped_not_zero_the_moving_range_spans_the_gap():
    values = WIDE[:6] + [np.nan] + WIDE[6:]
    with_gap = spc_points(series(values))
    without = spc_points(
        series(WIDE).assign(period_order=[*range(6), *range(7, 13)]).astype({"value": float})
    )
    pd.testing.assert_frame_equal(with_gap, without)
    assert 6 not in with_gap["period_order"].tolist()


def test__as_of__only_values_up_to_the_period_count():
    values = WIDE + [30, 30]
    at_11 = spc_summary(series(values), as_of=11)
    assert at_11["period_order"].tolist() == [11]
    pd.testing.assert_frame_equal(at_11, spc_summary(series(WIDE)))
    assert spc_summary(series(values))["spc_point"].tolist() == ["beyond_limits"]


def test__series_order__first_appearance_and_periods_sorted():
    frame = pd.concat([series(WIDE, "b"), series(WIDE, "a")]).iloc[::-1]
    assert spc_summary(frame)["series_id"].tolist() == ["a", "b"]
    points = spc_points(frame)
    assert points["period_order"].tolist() == list(range(12)) * 2


def test__two_values_for_one_period__refused():
    frame = pd.concat([series(WIDE), series([1.0])])
    with pytest.raises(ValueError, match="two values for period_order 0"):
        spc_summary(frame)


# -- cumulative-in-year indicators, period codes ----------------------------------------------


def test__quarterly_increments__q1_as_is_then_differences_within_the_year():
    orders = period_orders(["2008/09 Q3", "2008/09 Q4", "2009/10 Q1", "2009/10 Q2", "2009/10 Q4"])
    frame = pd.DataFrame(
        {"series_id": 1, "period_order": orders, "value": [30.0, 45.0, 10.0, 25.0, 60.0]}
    )
    out = quarterly_increments(frame)
    np.testing.assert_array_equal(out["value"], [np.nan, 15.0, 10.0, 15.0, np.nan])
    assert out["ytd_value"].tolist() == [30.0, 45.0, 10.0, 25.0, 60.0]
    assert out["is_increment"].all()


def test__quarterly_increments__snapshot_rows_unchanged_and_order_kept():
    orders = period_orders(["2009/10 Q2", "2009/10 Q1", "2009/10 Q2", "2009/10 Q1"])
    frame = pd.DataFrame(
        {
            "series_id": [1, 1, 2, 2],
            "period_order": orders,
            "value": [25.0, 10.0, 7.0, 5.0],
            "is_cumulative": [True, True, False, False],
        }
    )
    out = quarterly_increments(frame)
    assert out["value"].tolist() == [15.0, 10.0, 7.0, 5.0]
    assert out["is_increment"].tolist() == [True, True, False, False]
    assert out["ytd_value"].isna().tolist() == [False, False, True, True]


def test__quarterly_increments__the_reason_says_so():
    frame = pd.DataFrame(
        {
            "series_id": 1,
            "period_order": period_orders([f"{2005 + y}/{6 + y:02d} Q{q}" for y in range(3)
                                           for q in range(1, 5)]),
            "value": [10.0, 20.0, 30.0, 40.0] * 3,
        }
    )  # fmt: skip
    out = spc_summary(quarterly_increments(frame), reasons=True)
    assert "each quarter's own increment" in out["spc_reason"].iloc[0]


def test__period_orders__quarters_and_years_and_a_clear_refusal():
    assert period_orders(["2009/10 Q1", "2009/10 Q4", "2010/11 Q1"]).tolist() == [
        2009 * 4,
        2009 * 4 + 3,
        2010 * 4,
    ]
    assert period_orders(["2009/10", "2011/12"]).tolist() == [2009, 2011]
    with pytest.raises(ValueError, match="not quarters or financial years"):
        period_orders(["2009/10 H1"])


# -- words ----------------------------------------------------------------------------------


def test__reasons__a_falling_trend_when_higher_is_better():
    values = [0, 10] * 4 + [7, 6, 5, 4, 3, 2, 1]
    out = spc_summary(series(values), reasons=True)
    assert out["spc_reason"].tolist() == [
        "Worse than usual: falling for 8 quarters in a row, a real change, not noise."
    ]


def test__reasons__common_cause_with_the_target_inside_the_limits():
    out = spc_summary(series(WIDE, target_value=1.5), reasons=True)
    assert out["spc_reason"].tolist() == [
        "Within normal variation: the target is within the limits, so it will be hit and missed."
    ]


def test__reasons__trial_limits_too_few_values_and_no_data():
    frame = pd.concat([series(WIDE[:8], 1), series([3.0], 2), series([np.nan], 3)]).assign(
        period_noun="years"
    )
    out = spc_reasons(spc_summary(frame))
    assert out.iloc[0] == (
        "Within normal variation: no sign of a real change. Trial limits, from 8 years "
        "(fewer than 12): they will move as data arrive."
    )
    assert out.iloc[1] == "Too few values for process limits (1 so far)."
    assert out.iloc[2] == "No values to analyse."


def test__reasons__every_point_of_a_chart_gets_one():
    out = spc_points(series(WIDE + [3, 3, 5.5, 3, 5.5, 3, 3, 30]))
    reasons = spc_reasons(out)
    assert reasons.str.len().gt(0).all()
    assert reasons.iloc[-1].startswith("Better than usual: above the upper process limit")


def test__vocabularies__every_code_has_a_label_and_a_symbol():
    from analytics.status.spc import ASSURANCES, POINTS, VARIATIONS

    assert set(SPC_POINTS) == set(POINTS)
    assert set(SPC_VARIATIONS) == set(VARIATIONS)
    assert set(SPC_ASSURANCES) == set(ASSURANCES)
    for label, symbol in [*SPC_POINTS.values(), *SPC_VARIATIONS.values()]:
        assert label and symbol


# -- the vectorised rules equal the row-by-row ones -----------------------------------------

value_lists = st.one_of(
    st.lists(
        st.one_of(
            st.integers(-3, 3).map(float),  # ties, values on the mean, flat stretches
            st.floats(-100, 100, allow_nan=False),
            st.just(float("nan")),
        ),
        max_size=30,
    ),
    # walks, mostly upward: trends, shifts and points beyond the limits
    st.lists(st.integers(-2, 3), max_size=30).map(lambda s: np.cumsum(s, dtype=float).tolist()),
)


@given(
    data=st.lists(
        st.tuples(value_lists, st.sampled_from(["higher", "lower", "none"]), st.floats(-5, 5)),
        min_size=1,
        max_size=5,
    ),
    run_length=st.sampled_from([6, 7]),
    screen=st.booleans(),
    fix=st.sampled_from([None, 12, 15]),
    rebase_orders=st.lists(st.integers(-1, 31), max_size=3),
    as_of=st.one_of(st.none(), st.integers(0, 30)),
)
def test__vectorised_rules_equal_the_row_by_row_rules(
    data, run_length, screen, fix, rebase_orders, as_of
):
    frame = pd.concat(
        [
            series(values, i, polarity, target_value=target).astype({"value": float})
            for i, (values, polarity, target) in enumerate(data)
        ],
        ignore_index=True,
    )
    settings = SpcSettings(run_length=run_length, screen_outliers=screen, fix_after_points=fix)
    rebases = pd.DataFrame(
        {"series_id": [k % len(data) for k in range(len(rebase_orders))],
         "period_order": rebase_orders}
    )  # fmt: skip
    fast = spc_points(frame, settings, rebases, as_of)
    slow = spc_points_rowwise(frame, settings, rebases, as_of)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, check_exact=True)
    fast = spc_summary(frame, settings, rebases, as_of)
    slow = spc_summary_rowwise(frame, settings, rebases, as_of)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, check_exact=True)


@given(
    values=st.lists(st.one_of(st.integers(-3, 3), st.none()), max_size=30),
    shift_by=st.integers(-1000, 1000),
)
def test__adding_a_constant_moves_the_limits_and_keeps_every_reading(values, shift_by):
    values = [np.nan if v is None else float(v) for v in values]
    before = spc_points(series(values))
    after = spc_points(series([v + shift_by for v in values]))
    cols = ["spc_point", "spc_side", "spc_variation", "spc_run_points", "spc_trial_limits"]
    pd.testing.assert_frame_equal(before[cols], after[cols])
    np.testing.assert_allclose(after["spc_mean"], before["spc_mean"] + shift_by)


def test__trend__a_run_end_followed_by_an_equal_value_keeps_its_direction():
    # NHSRplotthedots reads the sign of the next step (0 here) and calls the first 7 falling
    values = [20, -20] * 3 + [1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13]
    out = spc_points(series(values))
    first_seven = out.iloc[12]
    assert (first_seven["value"], first_seven["spc_point"], first_seven["spc_side"]) == (
        7,
        "trend",
        1,
    )
    assert first_seven["spc_variation"] == "improvement_high"
