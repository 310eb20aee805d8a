"""Targets in force, profiles, cumulative measures, direction of travel, persistence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from status_frames import actuals, indicators, targets

from analytics.status import compute_statuses, targets_in_force

YEAR = ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3", "2009/10 Q4"]
CUMULATIVE = {"measure_type": "cumulative", "unit": "", "decimals": 0}


def test__targets__cumulative_linear_profile_and_increments():
    ac = actuals(dict(zip(YEAR, [240.0, 480.0, 700.0, 1010.0], strict=True)))
    out = compute_statuses(indicators(CUMULATIVE), targets({"target_value": 1000.0}), ac, YEAR)
    assert out["target_value"].tolist() == [250.0, 500.0, 750.0, 1000.0]
    assert out["ytd_value"].tolist() == [240.0, 480.0, 700.0, 1010.0]
    assert out["period_value"].tolist() == [240.0, 240.0, 220.0, 310.0]
    assert out["rag_status"].tolist() == ["amber", "amber", "red", "green"]
    assert out["forecast_value"].tolist() == [960.0, 960.0, 700.0 * 4 / 3, 1010.0]
    assert out["forecast_status"].tolist() == ["amber", "amber", "red", "green"]
    # previous period: the quarter's own increment against the previous quarter's
    assert out["dot_previous"].tolist()[1:] == ["no_change", "worsening", "improving"]


def test__targets__custom_profile_wins_over_linear():
    tg = targets({"target_value": 1000.0, "q1_value": 100.0, "q2_value": 400.0})
    ac = actuals({"2009/10 Q1": 100.0, "2009/10 Q2": 400.0, "2009/10 Q3": 750.0})
    out = compute_statuses(indicators(CUMULATIVE), tg, ac, YEAR[:3])
    assert out["target_value"].tolist() == [100.0, 400.0, 750.0]
    assert (out["rag_status"] == "green").all()


def test__targets__snapshot_uses_annual_target_each_quarter():
    out = compute_statuses(indicators(), targets({}), actuals({YEAR[0]: 50.0}), YEAR[:2])
    assert out["target_value"].tolist() == [45.0, 45.0]
    assert out["forecast_value"].iloc[0] == 50.0


REFRESH = [
    {"version": 1, "target_value": 45.0, "set_on": pd.Timestamp("2009-04-01")},
    {
        "version": 2,
        "target_value": 40.0,
        "set_on": pd.Timestamp("2009-10-15"),
        "reason": "recession",
    },
]


@pytest.mark.parametrize(
    ("as_of", "version", "target", "status"),
    [
        (None, 2, 40.0, "green"),
        ("2009-10-14", 1, 45.0, "amber"),
        ("2009-10-15", 2, 40.0, "green"),
    ],
)
def test__targets__version_in_force_at_a_date(as_of, version, target, status):
    out = compute_statuses(
        indicators(), targets(*REFRESH), actuals({YEAR[1]: 43.0}), [YEAR[1]], as_of=as_of
    )
    row = out.iloc[0]
    assert (row["target_version"], row["target_value"], row["rag_status"]) == (
        version,
        target,
        status,
    )
    assert row["original_target_value"] == 45.0


def test__targets__none_set_by_the_date_gives_no_target():
    out = compute_statuses(
        indicators(), targets(*REFRESH), actuals({YEAR[1]: 43.0}), [YEAR[1]], as_of="2009-03-01"
    )
    assert out["rag_status"].iloc[0] == "no_target"
    assert out["rag_reason"].iloc[0] == "no target for 2009/10 had been set by 1 Mar 2009"


def test__targets__targets_in_force_frame():
    got = targets_in_force(targets(*REFRESH), as_of="2009-05-01")
    assert got[["version", "target_value", "original_target_value"]].values.tolist() == [
        [1, 45.0, 45.0]
    ]
    assert targets_in_force(targets(*REFRESH))["version"].tolist() == [2]


@pytest.mark.parametrize(
    ("polarity", "threshold", "before", "after", "expected"),
    [
        ("higher", np.nan, 40.0, 41.0, "improving"),
        ("higher", np.nan, 40.0, 40.0, "no_change"),
        ("higher", 1.0, 40.0, 41.0, "no_change"),  # at the threshold: no change
        ("higher", 1.0, 40.0, 41.1, "improving"),
        ("lower", 1.0, 40.0, 41.1, "worsening"),
        ("lower", np.nan, 40.0, 39.0, "improving"),
        ("none", np.nan, 40.0, 39.0, None),
        ("higher", np.nan, np.nan, 39.0, None),
    ],
)
def test__direction__with_threshold_and_polarity(polarity, threshold, before, after, expected):
    ind = indicators({"polarity": polarity, "dot_threshold": threshold})
    ac = actuals({"2008/09 Q2": before, "2009/10 Q1": before, "2009/10 Q2": after})
    row = compute_statuses(ind, targets({}), ac, ["2009/10 Q2"]).iloc[0]
    got_prev = None if pd.isna(row["dot_previous"]) else row["dot_previous"]
    got_ly = None if pd.isna(row["dot_last_year"]) else row["dot_last_year"]
    assert got_prev == expected and got_ly == expected


def test__persistence__counts_consecutive_amber_or_red():
    ac = actuals(dict(zip(YEAR, [43.0, 30.0, 50.0, np.nan], strict=True)) | {"2010/11 Q1": 30.0})
    tg = pd.concat([targets({}), targets({"financial_year": "2010/11"})])
    periods = [*YEAR, "2010/11 Q1"]
    out = compute_statuses(indicators(), tg, ac, periods)
    assert out["rag_status"].tolist() == ["amber", "red", "green", "missing", "red"]
    assert out["persistence_periods"].tolist() == [1, 2, 0, 0, 1]


def test__persistence__sees_history_before_the_periods_asked_for():
    ac = actuals(dict(zip(YEAR, [30.0, 30.0, 30.0, 30.0], strict=True)))
    out = compute_statuses(indicators(), targets({}), ac, ["2009/10 Q4"])
    assert out["persistence_periods"].tolist() == [4]
