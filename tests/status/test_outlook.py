"""The forecast against next year's target, and the reward grant's share of the stretch."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.status.outlook import next_year_statuses, reward_paid_share, stretch_achieved


def _judge(rows: list[dict], **indicator) -> list[str]:
    base = {"polarity": "higher", "decimals": 1, "status_rule": "pct_tolerance"} | indicator
    indicators = pd.DataFrame([{"indicator_id": i + 1, **base} for i in range(len(rows))])
    forecasts = pd.DataFrame([{"indicator_id": i + 1, **r} for i, r in enumerate(rows)])
    return next_year_statuses(indicators, forecasts)["forecast_status"].tolist()


def test__forecast__judged_by_the_indicators_rule_either_side_of_the_tolerance():
    rows = [
        {"forecast_value": 50.0, "target_value": 50.0},  # exactly on target
        {"forecast_value": 47.5, "target_value": 50.0},  # 5% short: within the tolerance
        {"forecast_value": 47.4, "target_value": 50.0},  # beyond it
        {"forecast_value": 40.0, "target_value": None},  # no target next year
        {"forecast_value": None, "target_value": 50.0},  # no forecast
    ]
    assert _judge(rows) == ["green", "amber", "red", "no_target", "missing"]


def test__forecast__lower_is_better_and_a_placeholder_target_gives_no_status():
    rows = [
        {"forecast_value": 90.0, "target_value": 100.0, "is_placeholder": False},
        {"forecast_value": 120.0, "target_value": 100.0, "is_placeholder": False},
        {"forecast_value": 120.0, "target_value": 100.0, "is_placeholder": True},
    ]
    assert _judge(rows, polarity="lower", decimals=0) == ["green", "red", "no_target"]


def test__forecast__data_only_indicator_gets_no_status():
    assert _judge([{"forecast_value": 5.0, "target_value": 9.0}], polarity="none") == ["no_target"]


def test__forecast__empty_frame_gives_an_empty_column():
    out = next_year_statuses(
        pd.DataFrame(columns=["indicator_id", "polarity"]),
        pd.DataFrame(columns=["indicator_id", "forecast_value", "target_value"]),
    )
    assert out.empty and "forecast_status" in out


@pytest.mark.parametrize(
    ("outturn", "target", "without", "achieved", "paid"),
    [
        (42.0, 42.0, 38.0, 1.0, 1.0),  # the stretch in full
        (44.0, 42.0, 38.0, 1.5, 1.0),  # beyond it: capped at 100%
        (40.8, 42.0, 38.0, 0.7, 0.7),  # 70%: paid 70%
        (40.4, 42.0, 38.0, 0.6, 0.6),  # exactly 60%: paid
        (40.2, 42.0, 38.0, 0.55, 0.0),  # below 60%: nothing
        (37.0, 42.0, 38.0, -0.25, 0.0),  # worse than without the stretch
        (11.0, 10.0, 14.0, 0.75, 0.75),  # lower is better: the signs cancel
    ],
)
def test__reward__share_of_the_stretch_and_of_the_grant(outturn, target, without, achieved, paid):
    got = stretch_achieved(outturn, target, without)
    assert math.isclose(got, achieved, abs_tol=1e-9)
    assert math.isclose(reward_paid_share(got), paid, abs_tol=1e-9)


def test__reward__unknown_without_a_level_without_the_stretch():
    assert stretch_achieved(40.0, 42.0, None) is None
    assert stretch_achieved(40.0, 42.0, float("nan")) is None
    assert stretch_achieved(40.0, 42.0, 42.0) is None  # no stretch at all
    assert reward_paid_share(None) is None
