"""RAG status and reasons, one indicator at a time (table-driven)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from status_frames import actuals, indicators, status_of, targets

from analytics.status import compute_statuses

Q2 = "2009/10 Q2"

# (indicator settings, target, actual, expected status, words expected in the reason)
CASES = {
    "green_when_met_exactly": ({}, 45.0, 45.0, "green", "met target 45.0% (actual 45.0%)"),
    "green_when_beaten": ({}, 45.0, 46.2, "green", "met target 45.0% (actual 46.2%)"),
    "green_when_equal_after_rounding": ({}, 45.0, 44.96, "green", "actual 45.0%"),
    "amber_when_exactly_on_5pct_threshold": (
        {"decimals": 2},
        45.0,
        42.75,
        "amber",
        "within the 5% tolerance",
    ),
    "red_just_beyond_5pct_threshold": (
        {"decimals": 2},
        45.0,
        42.74,
        "red",
        "beyond the 5% tolerance",
    ),
    "amber_when_within_tolerance_higher_is_better": (
        {},
        45.0,
        43.1,
        "amber",
        "1.9 percentage points (4.2%) below target 45.0%, within the 5% tolerance (actual 43.1%)",
    ),
    "amber_when_within_tolerance_lower_is_better": (
        {"polarity": "lower", "unit": "", "decimals": 0},
        300.0,
        315.0,
        "amber",
        "15 (5.0%) above target 300 (lower is better), within the 5% tolerance (actual 315)",
    ),
    "red_beyond_tolerance_lower_is_better": (
        {"polarity": "lower", "unit": "", "decimals": 0},
        300.0,
        316.0,
        "red",
        "16 (5.3%) above target 300 (lower is better), beyond the 5% tolerance",
    ),
    "green_lower_is_better_below_target": (
        {"polarity": "lower"},
        300.0,
        290.0,
        "green",
        "met target 300.0%",
    ),
    "amber_with_10pct_tolerance": (
        {"amber_tolerance_pct": 10.0},
        50.0,
        45.0,
        "amber",
        "within the 10% tolerance",
    ),
    "abs_amber_on_the_band": (
        {
            "status_rule": "abs_tolerance",
            "amber_tolerance_abs": 10.0,
            "polarity": "lower",
            "unit": "days",
            "decimals": 0,
        },
        300.0,
        310.0,
        "amber",
        "10 days above target 300 days (lower is better), within the "
        "tolerance of 10 days (actual 310 days)",
    ),
    "abs_red_beyond_the_band": (
        {
            "status_rule": "abs_tolerance",
            "amber_tolerance_abs": 10.0,
            "polarity": "lower",
            "unit": "days",
            "decimals": 0,
        },
        300.0,
        311.0,
        "red",
        "beyond the tolerance of 10 days",
    ),
    "abs_red_when_no_band_set": (
        {"status_rule": "abs_tolerance"},
        45.0,
        44.9,
        "red",
        "beyond the tolerance of n/a",
    ),
    "ideal_minimum_green_at_ideal": (
        {"status_rule": "ideal_minimum", "minimum_standard": 80.0},
        90.0,
        90.0,
        "green",
        "met target 90.0%",
    ),
    "ideal_minimum_amber_between": (
        {"status_rule": "ideal_minimum", "minimum_standard": 80.0},
        90.0,
        85.0,
        "amber",
        "within the minimum standard 80.0%",
    ),
    "ideal_minimum_amber_on_minimum": (
        {"status_rule": "ideal_minimum", "minimum_standard": 80.0},
        90.0,
        80.0,
        "amber",
        "below the ideal target 90.0%",
    ),
    "ideal_minimum_red_below_minimum": (
        {"status_rule": "ideal_minimum", "minimum_standard": 80.0},
        90.0,
        79.9,
        "red",
        "below the minimum standard 80.0% (ideal target 90.0%",
    ),
    "ideal_minimum_lower_is_better": (
        {"status_rule": "ideal_minimum", "minimum_standard": 15.0, "polarity": "lower"},
        10.0,
        16.0,
        "red",
        "above the minimum standard 15.0% (lower is better)",
    ),
    "ideal_minimum_red_without_minimum": (
        {"status_rule": "ideal_minimum"},
        90.0,
        89.0,
        "red",
        "no minimum standard is set",
    ),
    "pound_prefix": (
        {"unit": "£", "decimals": 0},
        1250.0,
        1300.0,
        "green",
        "met target £1,250 (actual £1,300)",
    ),
    "data_only_rule_gives_no_target": (
        {"status_rule": "data_only"},
        45.0,
        10.0,
        "no_target",
        "data only: no status",
    ),
    "no_polarity_gives_no_target": (
        {"polarity": "none"},
        45.0,
        10.0,
        "no_target",
        "data only: no status",
    ),
    "no_target_is_never_green": ({}, None, 99.0, "no_target", "no target set for 2009/10"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test__rag__table(case):
    settings, target, actual, status, words = CASES[case]
    row = status_of(settings, target, {Q2: actual}, Q2)
    assert row["rag_status"] == status
    assert words in row["rag_reason"]


def test__rag__missing_when_due_value_absent_or_nan():
    out = compute_statuses(
        indicators(), targets({}), actuals({"2009/10 Q1": np.nan}), ["2009/10 Q1", Q2]
    )
    assert out["rag_status"].tolist() == ["missing", "missing"]
    assert out["rag_reason"].iloc[0] == "no value reported for this period"


def test__rag__placeholder_target_gives_no_target():
    out = compute_statuses(
        indicators(), targets({"is_placeholder": True}), actuals({Q2: 50.0}), [Q2]
    )
    row = out.iloc[0]
    assert (row["rag_status"], bool(row["is_placeholder"])) == ("no_target", True)
    assert "placeholder target 45.0%" in row["rag_reason"]


IMPROVED = {"status_rule": "improved_last_year"}


@pytest.mark.parametrize(
    ("last_year", "now", "status", "words"),
    [
        (40.0, 42.0, "amber", "but improved on the same period last year (40.0%; actual 42.0%)"),
        (42.0, 42.0, "amber", "but no worse than the same period last year"),
        (43.0, 42.0, "red", "and worse than the same period last year (43.0%"),
        (None, 42.0, "red", "no value for the same period last year to compare"),
        (50.0, 45.0, "green", "met target 45.0%"),
    ],
)
def test__rag__improved_last_year_rule(last_year, now, status, words):
    values = {Q2: now} if last_year is None else {"2008/09 Q2": last_year, Q2: now}
    row = status_of(IMPROVED, 45.0, values, Q2)
    assert row["rag_status"] == status
    assert words in row["rag_reason"]


def test__rag__biennial_year_without_survey_is_no_new_data_never_red():
    ind = indicators({"frequency": "biennial", "survey_years": "2008/09,2010/11"})
    tg = pd.concat([targets({"financial_year": fy}) for fy in ("2008/09", "2009/10", "2010/11")])
    ac = actuals({"2008/09": 30.0, "2010/11": 46.0})
    out = compute_statuses(ind, tg, ac, ["2008/09", "2009/10", "2010/11"])
    assert out["rag_status"].tolist() == ["red", "no_new_data", "green"]
    assert out["rag_reason"].iloc[1] == (
        "no new data: no survey in 2009/10 (survey years 2008/09, 2010/11)"
    )
    # against the previous survey, not the empty year between
    assert out["dot_previous"].tolist()[2] == "improving"
    assert out["dot_last_year"].isna().all()
    assert out["persistence_periods"].tolist() == [1, 0, 0]


def test__rag__quarterly_indicator_is_not_due_in_a_year_code():
    out = compute_statuses(indicators(), targets({}), actuals({Q2: 1.0}), ["2009/10"])
    assert out.empty


def test__compute__empty_inputs_give_empty_frame_with_all_columns():
    from analytics.status import OUTPUT_COLUMNS

    out = compute_statuses(indicators().iloc[0:0], targets(), actuals({}), ["2009/10 Q1"])
    assert out.empty and set(OUTPUT_COLUMNS) <= set(out.columns)
    out = compute_statuses(indicators(), targets(), actuals({}), [])
    assert out.empty and set(OUTPUT_COLUMNS) <= set(out.columns)


def test__compute__one_row_passes_commentary_through():
    ac = actuals({Q2: 46.2}).assign(commentary="better than expected")
    out = compute_statuses(indicators(), targets({}), ac, [Q2])
    assert len(out) == 1
    assert out["commentary"].iloc[0] == "better than expected"
    assert out["period"].astype(str).iloc[0] == Q2
